"""Importing a payments file through the API: all rows or none, every bad row named."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories.dues import InvoiceFactory
from tests.factories.members import member_since
from urbis.common.models import AuditRecord
from urbis.dues.models import Payment

pytestmark = pytest.mark.django_db
D = dt.date
IMPORT = "/api/v1/dues/payments/import"
HEADER = b"member,fiscal_year,date,amount,reference\n"


def _upload(client, body: bytes):
    return client.post(IMPORT, {"file": SimpleUploadedFile("pay.csv", HEADER + body)})


def test_a_good_file_records_every_row(client, staff_user):
    org = member_since(D(2015, 1, 1), name="Kampala", country="UG")
    invoice = InvoiceFactory(organisation=org, fiscal_year=2024)
    client.force_login(staff_user)
    response = _upload(client, b"Kampala,2024,2024-02-28,200,R1\n")
    assert response.status_code == 201
    payment = Payment.objects.get()
    assert response.json() == {
        "name": "pay.csv",
        "summary": "1 payment(s) imported",
        "payments": [
            {
                "id": payment.pk,
                "member": "kampala",
                "invoice": invoice.number,
                "amount": "200",  # as written in the file
                "currency": "USD",
                "received_on": "2024-02-28",
                "reference": "R1",
                "method": "",
                "receipt_number": payment.receipt_number,
            }
        ],
    }
    assert AuditRecord.objects.filter(action="payment.record", target_id=str(payment.pk)).exists()


def test_every_bad_row_is_named_and_nothing_is_written(client, staff_user):
    org = member_since(D(2015, 1, 1), name="Kampala", country="UG")
    InvoiceFactory(organisation=org, fiscal_year=2024)
    client.force_login(staff_user)
    response = _upload(client, b"Kampala,2024,2024-02-28,200,R1\nKampala,2024,2024-02-30,10,R2\n")
    assert response.status_code == 422
    assert response.json() == {
        "detail": "pay.csv: 1 error(s), nothing imported.",
        "errors": {"file": ["row 3: date: '2024-02-30' is not a date (YYYY-MM-DD)"]},
    }
    assert not Payment.objects.exists()


def test_importing_is_refused_to_a_role_without_dues_management(client, excom_user):
    member_since(D(2015, 1, 1), name="Kampala", country="UG")
    assert _upload(client, b"Kampala,,2024-02-28,200,R1\n").status_code == 401
    client.force_login(excom_user)
    assert _upload(client, b"Kampala,,2024-02-28,200,R1\n").status_code == 403
    assert not Payment.objects.exists()
