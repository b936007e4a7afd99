"""The overdue dues reminders: policy steps (30, 60, 90 days), the latest step reached only,
to the member's focal points, each step once; paid invoices get nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories.dues import InvoiceFactory, PaymentFactory
from tests.factories.members import ContactFactory, OrganisationFactory
from urbis.dues.reminders import dues_overdue, step_reached
from urbis.messaging import domain
from urbis.messaging.models import Message

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("days", "step"), [(29, None), (30, 30), (59, 30), (60, 60), (90, 90), (400, 90)]
)
def test_step_reached_boundaries(days, step):
    assert step_reached(days, (30, 60, 90)) == step


def test_overdue_reminders_go_once_per_step_to_focal_points(settings):
    settings.URBIS_DUES_REMINDER_DAYS = ["30", "60", "90"]
    org = OrganisationFactory(name="Late City")
    ContactFactory(organisation=org, is_focal_point=True, email="fp@late.example", name="Fay")
    ContactFactory(organisation=org, is_focal_point=False, email="mayor@late.example")
    invoice = InvoiceFactory(
        organisation=org,
        fiscal_year=2026,
        number="2026-LATE",
        due_on=dt.date(2026, 3, 31),
        amount=Decimal("2000.00"),
    )
    paid = InvoiceFactory(fiscal_year=2026, due_on=dt.date(2026, 3, 31))
    ContactFactory(organisation=paid.organisation, is_focal_point=True, email="ok@paid.example")
    PaymentFactory(organisation=paid.organisation, invoice=paid, amount=paid.amount)
    PaymentFactory(organisation=org, invoice=invoice, amount=Decimal("500.00"))

    assert list(dues_overdue(dt.date(2026, 4, 29))) == []  # 29 days
    run = domain.reminder_run(kind="dues.overdue", today=dt.date(2026, 4, 30), actor=None)
    assert (run.due, run.sent) == (1, 1)
    again = domain.reminder_run(kind="dues.overdue", today=dt.date(2026, 5, 15), actor=None)
    assert (again.due, again.sent) == (1, 0)
    domain.reminder_run(kind="dues.overdue", today=dt.date(2026, 6, 29), actor=None)  # 90 days
    subjects = list(Message.objects.order_by("created_at").values_list("subject", flat=True))
    assert subjects == [
        "Reminder: invoice 2026-LATE is 30 days overdue",
        "Final reminder: invoice 2026-LATE is 90 days overdue",
    ]
    message = Message.objects.get(subject__startswith="Final")
    assert (message.to_address, message.statutory) == ("fp@late.example", True)
    assert "USD 1500.00 of USD 2000.00 remain due" in message.body_text
