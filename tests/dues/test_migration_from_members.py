"""The dues tables were created by the members app; moving the models into the `dues` app
changes Django's state only, so a database migrated before the move keeps every row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from urbis.common.models import AuditRecord
from urbis.dues.models import Invoice, Payment

BEFORE = [("dues", None)]  # members.0002_dues applied, the dues app not yet


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_its_rows():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(("members", "0002_dues")).apps
    org = old.get_model("members", "Organisation").objects.create(
        name="Lyon", slug="lyon", category="local_government", country="FR"
    )
    invoice = old.get_model("members", "Invoice").objects.create(
        organisation=org,
        fiscal_year=2023,
        number="2023-0001",
        issued_on=dt.date(2023, 1, 15),
        due_on=dt.date(2023, 3, 31),
        amount=Decimal("1500.00"),
    )
    old.get_model("members", "Payment").objects.create(
        organisation=org,
        invoice=invoice,
        received_on=dt.date(2023, 2, 1),
        amount=Decimal("500.00"),
        reference="BANK-1",
    )
    old_type = ContentType.objects.filter(app_label="dues", model="invoice")
    old_type.update(app_label="members")  # as the database had it before the move
    AuditRecord.objects.create(
        actor_label="system",
        action="invoice.issue",
        target_type="members.invoice",
        target_id=str(invoice.pk),
        target_repr="2023-0001",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    ContentType.objects.clear_cache()
    moved = Invoice.objects.get(number="2023-0001")
    assert (moved.pk, moved.organisation.slug, moved.amount) == (
        invoice.pk,
        "lyon",
        Decimal("1500.00"),
    )
    assert list(Payment.objects.values_list("reference", "invoice_id")) == [("BANK-1", invoice.pk)]
    assert AuditRecord.objects.get(target_id=str(invoice.pk)).target_type == "dues.invoice"
    assert ContentType.objects.get_for_model(Invoice).app_label == "dues"
    assert not ContentType.objects.filter(app_label="members", model="invoice").exists()
