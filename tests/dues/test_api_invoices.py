"""The invoice operations of the API: a fiscal year's invoices, a credit note on one."""

import datetime as dt

import pytest

from tests.factories.dues import InvoiceFactory
from tests.factories.members import member_since
from urbis.common.models import AuditRecord
from urbis.dues.domain.ledger import fee_schedules_load
from urbis.dues.models import CreditNote, Invoice
from urbis.dues.queries.ledger import schedules_from_file

pytestmark = pytest.mark.django_db
D = dt.date
ISSUE = "/api/v1/dues/invoices/issue"


@pytest.fixture
def schedules(db):
    return fee_schedules_load(schedules=schedules_from_file(), actor=None)


def test_issuing_a_year_answers_the_counts_the_invoices_and_who_was_not_priced(
    client, staff_user, schedules
):
    kampala = member_since(D(2015, 1, 1), name="Kampala", country="UG")
    sme = member_since(
        D(2015, 1, 1), name="Nameless", category="corporation", corporate_category="sme"
    )
    client.force_login(staff_user)
    response = client.post(ISSUE, {"year": 2024}, content_type="application/json")
    assert response.status_code == 200
    invoice = Invoice.objects.get()
    assert response.json() == {
        "fiscal_year": 2024,
        "summary": "FY2024: 1 invoice(s) issued, 0 already issued, 1 not priced",
        "issued": 1,
        "already_issued": 0,
        "not_priced": 1,
        "invoices": [
            {
                "id": invoice.pk,
                "number": "2024-0001",
                "member": kampala.slug,
                "amount": "500.00",
                "currency": "USD",
                "due_on": invoice.due_on.isoformat(),  # after today, the issue date
            }
        ],
        "members_not_priced": [
            {
                "id": sme.pk,
                "member": sme.slug,
                "reason": "Nameless: corporation/sme: the number of employees is not recorded",
            }
        ],
    }
    assert invoice.organisation == kampala
    assert (
        AuditRecord.objects.filter(action="invoice.issue", target_id=str(invoice.pk)).count() == 1
    )
    again = client.post(ISSUE, {"year": 2024}, content_type="application/json").json()
    assert (again["issued"], again["already_issued"], again["not_priced"]) == (0, 1, 1)
    assert Invoice.objects.count() == 1


def test_a_year_out_of_range_is_refused_naming_the_field(client, staff_user):
    member_since(D(2015, 1, 1), name="Kampala", country="UG")
    client.force_login(staff_user)
    response = client.post(ISSUE, {"year": 1999}, content_type="application/json")
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["year"]
    assert response.json()["errors"]["year"][0].startswith("'1999' is not a fiscal year from 2000")
    assert not Invoice.objects.exists()


def test_issuing_is_refused_to_a_role_without_dues_management(client, excom_user, schedules):
    member_since(D(2015, 1, 1), name="Kampala", country="UG")
    assert client.post(ISSUE, {"year": 2024}, content_type="application/json").status_code == 401
    client.force_login(excom_user)
    response = client.post(ISSUE, {"year": 2024}, content_type="application/json")
    assert response.status_code == 403
    assert not Invoice.objects.exists()


def _credit(client, number, **data):
    body = {"amount": "100", "issued_on": "2023-05-02", "reason": "Late joiner", **data}
    return client.post(
        f"/api/v1/dues/invoices/{number}/credit-notes", body, content_type="application/json"
    )


def test_a_credit_note_is_issued_on_the_invoice_with_its_number(client, staff_user):
    invoice = InvoiceFactory(organisation=member_since(D(2015, 1, 1), name="Payer"))
    client.force_login(staff_user)
    response = _credit(client, invoice.number, amount="100.50")
    assert response.status_code == 201
    note = CreditNote.objects.get()
    assert response.json() == {
        "id": note.pk,
        "number": "CN-2023-0001",  # numbered in the year of its issue
        "invoice": invoice.number,
        "invoice_id": invoice.pk,
        "member": "payer",
        "amount": "100.50",
        "currency": "USD",
        "issued_on": "2023-05-02",
        "reason": "Late joiner",
    }
    audit = AuditRecord.objects.get(action="credit_note.issue")
    assert (audit.target_id, audit.actor_id) == (str(note.pk), staff_user.pk)


def test_a_credit_note_above_the_open_balance_or_without_reason_names_the_field(client, staff_user):
    invoice = InvoiceFactory(organisation=member_since(D(2015, 1, 1), name="Payer"))
    client.force_login(staff_user)
    response = _credit(client, invoice.number, amount="1000.01")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert list(errors) == ["amount"]
    # the balance is written as the database sums it: 1000 or 1000.00
    assert errors["amount"][0].startswith("Must be positive and at most the open balance 1000")
    response = _credit(client, invoice.number, amount="1.5.0")
    assert (response.status_code, list(response.json()["errors"])) == (422, ["amount"])
    response = _credit(client, invoice.number, reason="   ")
    assert response.status_code == 422
    assert response.json()["errors"] == {"reason": ["A credit note needs a reason."]}
    assert _credit(client, "1999-000000").status_code == 404
    assert not CreditNote.objects.exists()
    assert not AuditRecord.objects.filter(action="credit_note.issue").exists()


def test_a_credit_note_is_refused_to_a_role_without_dues_management(client, excom_user):
    invoice = InvoiceFactory(organisation=member_since(D(2015, 1, 1), name="Payer"))
    assert _credit(client, invoice.number).status_code == 401
    client.force_login(excom_user)
    assert _credit(client, invoice.number).status_code == 403
    assert not CreditNote.objects.exists()
