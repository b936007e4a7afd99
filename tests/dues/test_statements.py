"""Bank statements: matched, unmatched and ambiguous rows in a preview that writes nothing,
every malformed row named by row and column, and the import of the matched rows."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from tests.factories.dues import InvoiceFactory
from tests.factories.members import OrganisationFactory
from urbis.dues.domain.statements import statement_import
from urbis.dues.models import Payment
from urbis.dues.queries.statements import statement_preview
from urbis.dues.rules.statements import Match, match, reference_words

pytestmark = pytest.mark.django_db

HEADER = "date,amount,currency,reference,transaction,payer\n"


@pytest.fixture
def invoices():
    north = OrganisationFactory(name="North City")
    south = OrganisationFactory(name="South City")
    return (
        InvoiceFactory(organisation=north, fiscal_year=2026, number="2026-0001"),
        InvoiceFactory(organisation=south, fiscal_year=2026, number="2026-0002"),
    )


STATEMENT = (
    HEADER
    + "2026-02-01,1000.00,USD,Invoice 2026-0001 North City,TX-1,North City\n"
    + "2026-02-02,250,,dues south,TX-2,South City\n"
    + "2026-02-03,500.00,USD,2026-0001 and 2026-0002,TX-3,Both\n"
    + '2026-02-04,"1,000.00",usd,2026-0002/dues,TX-4,South City\n'
)


def test_reference_words_and_match():
    words = reference_words("Inv. 2026-0001/dues, CN-2026-0002")
    assert words == {"INV", "2026-0001/DUES", "2026-0001", "DUES", "CN-2026-0002"}
    numbers = {"2026-0001", "2026-0002"}
    assert match(words, numbers) == (Match.MATCHED, ["2026-0001"])
    assert match({"X"}, numbers) == (Match.UNMATCHED, [])
    assert match(numbers, numbers) == (Match.AMBIGUOUS, ["2026-0001", "2026-0002"])


def test_the_preview_sorts_rows_and_writes_nothing(invoices):
    preview = statement_preview(STATEMENT.encode(), name="march.csv")
    assert preview.errors == []
    assert [(r.row, r.invoice.number) for r in preview.matched] == [
        (2, "2026-0001"),
        (5, "2026-0002"),
    ]
    assert [r.row for r in preview.unmatched] == [3]
    assert [(r.row, r.invoices) for r in preview.ambiguous] == [(4, ["2026-0001", "2026-0002"])]
    assert preview.matched[1].amount == Decimal("1000.00")
    assert preview.matched[1].currency == "USD"
    assert preview.summary == (
        "2 matched, 1 unmatched, 1 ambiguous, 0 already recorded, 0 error(s)"
    )
    assert Payment.objects.count() == 0


def test_an_xlsx_statement_reads_like_a_csv(invoices):
    book = Workbook()
    sheet = book.active
    sheet.append(["Date", "Amount", "Reference"])
    sheet.append(["2026-02-01", 1000, "2026-0001"])
    sheet.append(["2026-02-02", 12.5, "unknown"])
    out = io.BytesIO()
    book.save(out)
    preview = statement_preview(out.getvalue(), name="march.xlsx")
    assert preview.errors == []
    assert [r.row for r in preview.matched] == [2]
    assert [(r.row, r.amount) for r in preview.unmatched] == [(3, Decimal("12.5"))]


def test_every_malformed_row_is_named_by_row_and_column(invoices):
    text = (
        HEADER
        + "2026-02-01,1000.00,USD,2026-0001,TX-1,\n"
        + "2026-02-30,10,USD,2026-0001,TX-2,\n"
        + "2026-02-01,²,USD,2026-0001,TX-3,\n"
        + "2026-02-01,99999999999999.99,USD,2026-0001,TX-4,\n"
        + "2026-02-01,-5,USD,2026-0001,TX-5,\n"
        + "2026-02-01,10,XYZ,2026-0001,TX-6,\n"
        + "2026-02-01,10,USD,,TX-7,\n"
        + "2026-02-01,10,USD,2026-0001,TX-1,\n"
        + "2999-01-01,10,USD,2026-0001,TX-9,\n"
        + "2026-02-01,10,USD,2026-0001,TX-10,,extra\n"
    )
    preview = statement_preview(text.encode(), name="bad.csv")
    assert [str(e) for e in preview.errors] == [
        "row 3: date: '2026-02-30' is not a date (YYYY-MM-DD)",
        "row 4: amount: '²' is not a positive amount",
        "row 5: amount: 99,999,999,999,999.99 is above the ceiling of 1,000,000.00",
        "row 6: amount: '-5' is not a positive amount",
        "row 7: currency: 'XYZ' is not an ISO currency code such as USD",
        "row 8: reference: required (the invoice number quoted)",
        "row 9: transaction: 'TX-1' repeats row 2",
        "row 10: date: 2999-01-01 is not between 2000-01-01 and today",
        "row 11: column 7: a value under no header",
    ]
    with pytest.raises(Exception) as raised:
        statement_import(data=text.encode(), name="bad.csv", actor=None)
    assert "row 4: amount: '²' is not a positive amount" in raised.value.messages
    assert Payment.objects.count() == 0


def test_a_file_that_is_not_a_statement_is_one_error(invoices):
    preview = statement_preview(b"\xff\xfe", name="x.csv")
    assert [str(e) for e in preview.errors] == [
        "file: encoding: the file is not UTF-8 text (byte 1)"
    ]
    preview = statement_preview(b"a,b\n", name="x.pdf")
    assert [str(e) for e in preview.errors] == ["file: format: expected a .csv or .xlsx file"]


def test_the_import_records_matched_rows_with_receipts_and_skips_them_next_time(invoices):
    result = statement_import(data=STATEMENT.encode(), name="march.csv", actor=None)
    assert [(p.invoice.number, p.amount, p.reference) for p in result.payments] == [
        ("2026-0001", Decimal("1000.00"), "TX-1"),
        ("2026-0002", Decimal("1000.00"), "TX-4"),
    ]
    assert all(p.receipt_number.startswith("R-2026-") for p in result.payments)
    assert [r.row for r in result.left] == [3, 4]
    again = statement_preview(STATEMENT.encode(), name="march.csv")
    assert [r.row for r in again.recorded] == [2, 5]
    assert statement_import(data=STATEMENT.encode(), name="march.csv", actor=None).payments == []
    assert Payment.objects.count() == 2


def test_a_payment_in_another_currency_is_not_matched(invoices):
    text = HEADER + "2026-02-01,10,EUR,2026-0001,TX-1,\n"
    preview = statement_preview(text.encode(), name="eur.csv")
    assert [(r.row, r.note) for r in preview.unmatched] == [(2, "2026-0001 is in USD")]


def test_the_page_previews_then_records_on_confirmation(client, staff_user, invoices):
    client.force_login(staff_user)
    assert client.get("/dues/payments/statement/").status_code == 200
    upload = SimpleUploadedFile("march.csv", STATEMENT.encode(), content_type="text/csv")
    response = client.post("/dues/payments/statement/", {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Matched (2)" in html and "Unmatched (1)" in html and "Ambiguous (1)" in html
    assert Payment.objects.count() == 0
    data = response.context["data"]
    response = client.post(
        "/dues/payments/statement/", {"name": "march.csv", "data": data, "confirm": "1"}
    )
    assert response.status_code == 200
    assert Payment.objects.count() == 2
    assert "2 payment(s) recorded; 1 unmatched and 1 ambiguous row(s) left for you" in (
        response.content.decode()
    )


def test_the_page_refuses_to_confirm_a_bad_file(client, staff_user, invoices):
    client.force_login(staff_user)
    import base64

    bad = base64.b64encode((HEADER + "2026-02-01,²,USD,2026-0001,TX-1,\n").encode()).decode()
    response = client.post(
        "/dues/payments/statement/", {"name": "bad.csv", "data": bad, "confirm": "1"}, follow=True
    )
    assert "bad.csv: row 2: amount: &#x27;²&#x27; is not a positive amount" in (
        response.content.decode()
    )
    assert Payment.objects.count() == 0


def test_the_api_previews_and_imports(client, staff_user, invoices):
    client.force_login(staff_user)
    upload = SimpleUploadedFile("march.csv", STATEMENT.encode(), content_type="text/csv")
    body = client.post("/api/v1/dues/statements/preview", {"file": upload}).json()
    assert [r["row"] for r in body["matched"]] == [2, 5]
    assert body["ambiguous"][0]["invoices"] == ["2026-0001", "2026-0002"]
    assert Payment.objects.count() == 0
    upload = SimpleUploadedFile("march.csv", STATEMENT.encode(), content_type="text/csv")
    response = client.post("/api/v1/dues/statements", {"file": upload})
    assert response.status_code == 201
    assert len(response.json()["receipts"]) == 2
    bad = SimpleUploadedFile("bad.csv", (HEADER + "x,1,USD,r,,\n").encode())
    response = client.post("/api/v1/dues/statements", {"file": bad})
    assert response.status_code == 422
    assert response.json()["errors"] == {"file": ["row 2: date: 'x' is not a date (YYYY-MM-DD)"]}


def test_a_focal_point_may_not_import(client, focal_point):
    client.force_login(focal_point[0])
    assert client.get("/dues/payments/statement/").status_code == 403
    upload = SimpleUploadedFile("march.csv", STATEMENT.encode())
    assert client.post("/api/v1/dues/statements", {"file": upload}).status_code == 403


def test_the_preview_costs_the_same_queries_for_more_rows(invoices):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(text: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            statement_preview(text.encode(), name="s.csv")
        return len(ctx.captured_queries)

    more = STATEMENT + "".join(
        f"2026-03-{n:02d},10,USD,2026-000{1 + n % 2},TX-{100 + n},\n" for n in range(1, 20)
    )
    assert count(more) == count(STATEMENT)
