import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories.dues import InvoiceFactory, PaymentFactory
from tests.factories.members import LifecycleEventFactory, member_since
from urbis.common.models import AuditRecord
from urbis.dues.domain import ledger as domain
from urbis.dues.models import CreditNote, FeeSchedule, Invoice, Payment
from urbis.dues.queries import ledger as queries
from urbis.dues.rules import fees

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def schedules(db):
    return domain.fee_schedules_load(schedules=queries.schedules_from_file(), actor=None)


def test_loading_schedules_twice_changes_nothing(schedules):
    audits = AuditRecord.objects.filter(action="fee_schedule.save").count()
    assert audits == 3
    domain.fee_schedules_load(schedules=queries.schedules_from_file(), actor=None)
    assert AuditRecord.objects.filter(action="fee_schedule.save").count() == audits
    assert FeeSchedule.objects.get(code="annex3-2024").effective_from == D(2024, 1, 1)


def test_command_rejects_a_schedule_with_a_gap(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "schedules:\n- code: printed\n  effective_from: 2010-01-01\n  tables:\n"
        "  - {category: corporation, type: sme, criterion: employees, covers_from: 1, bands: ["
        "{range: '1-229', fee: 2000}, {range: '300-499', fee: 2500}, {range: '500+', fee: 5000}]}\n"
    )
    with pytest.raises(CommandError, match="corporation/sme: employees 230\u2013299 not covered"):
        call_command("load_fee_schedules", file=bad)
    assert not FeeSchedule.objects.exists()


def test_fee_for_a_member_uses_its_country_gdp(schedules):
    city = member_since(D(2015, 1, 1), name="Kaduna", country="NG")
    fee = queries.fee_for(city, 2023)
    assert (fee.amount, fee.value, fee.example) == (Decimal(1500), 5900, True)
    assert "GDP per capita (PPP) of NG for 2022" in fee.explanation
    assert "World Bank WDI" in fee.explanation


def test_fee_for_a_corporation(schedules):
    sme = member_since(
        D(2015, 1, 1),
        name="Acme",
        category="corporation",
        corporate_category="sme",
        employees=400,
    )
    assert queries.fee_for(sme, 2023).amount == Decimal(2500)
    assert queries.fee_for(sme, 2024).amount == Decimal(2000)


def test_fee_for_names_what_is_missing(schedules):
    corp = member_since(
        D(2015, 1, 1), name="Nameless", category="corporation", corporate_category="mnc"
    )
    with pytest.raises(fees.FeeError, match="Nameless: corporation/mnc: the number of employees"):
        queries.fee_for(corp, 2023)


def test_bulk_issue_covers_members_only_and_is_repeatable(schedules, staff_user):
    a = member_since(D(2015, 1, 1), name="A", country="KR")
    member_since(D(2015, 1, 1), name="B", category="corporation", corporate_category="sme")
    gone = member_since(D(2015, 1, 1), name="Gone", country="KR")
    LifecycleEventFactory(organisation=gone, kind="withdrawn", date=D(2022, 5, 1))
    result = domain.invoices_issue(actor=staff_user, fiscal_year=2023, issued_on=D(2023, 1, 10))
    assert [i.organisation for i in result.created] == [a]
    assert [(o.name, r) for o, r in result.skipped] == [
        ("B", "B: corporation/sme: the number of employees is not recorded")
    ]
    invoice = result.created[0]
    assert (invoice.number, invoice.amount, invoice.due_on) == (
        "2023-0001",  # gap-free per fiscal year (docs/dues.md)
        Decimal(5000),
        D(2023, 3, 31),
    )
    again = domain.invoices_issue(actor=staff_user, fiscal_year=2023, issued_on=D(2023, 2, 1))
    assert (len(again.created), again.existing) == (0, 1)
    assert Invoice.objects.count() == 1


def test_partial_payments_credit_notes_and_arrears(staff_user):
    org = member_since(D(2015, 1, 1), name="Payer")
    old = InvoiceFactory(organisation=org, fiscal_year=2022, amount=Decimal(1000))
    new = InvoiceFactory(organisation=org, fiscal_year=2023, amount=Decimal(1000))
    domain.payment_record(
        actor=staff_user,
        organisation=org,
        invoice=old,
        amount=Decimal(400),
        received_on=D(2022, 5, 1),
        reference="P1",
    )
    domain.credit_note_issue(
        actor=staff_user,
        invoice=old,
        amount=Decimal(100),
        reason="Late joiner discount",
        issued_on=D(2022, 6, 1),
    )
    with pytest.raises(ValidationError, match="at most the open balance 500"):
        domain.credit_note_issue(
            actor=staff_user,
            invoice=old,
            amount=Decimal(501),
            reason="Too much",
            issued_on=D(2022, 7, 1),
        )
    book = queries.ledger(org, as_of=D(2023, 9, 1))
    assert [(line.kind, line.balance) for line in book.lines] == [
        ("invoice", Decimal(1000)),
        ("payment", Decimal(600)),
        ("credit note", Decimal(500)),
        ("invoice", Decimal(1500)),
    ]
    assert (book.balance, book.arrears) == (Decimal(1500), Decimal(500))
    assert new.number in [line.reference for line in book.lines]


def test_payment_on_someone_elses_invoice_is_refused(staff_user):
    mine = member_since(D(2015, 1, 1), name="Mine")
    theirs = InvoiceFactory(organisation=member_since(D(2015, 1, 1), name="Theirs"))
    with pytest.raises(ValidationError, match="is not Mine's"):
        domain.payment_record(
            actor=staff_user,
            organisation=mine,
            invoice=theirs,
            amount=Decimal(10),
            received_on=D(2022, 1, 1),
        )


CSV_HEADER = "member,fiscal_year,date,amount,currency,reference,method\n"


def test_payment_import_good_file(staff_user):
    org = member_since(D(2015, 1, 1), name="Seoul", country="KR")
    InvoiceFactory(organisation=org, fiscal_year=2023)
    text = CSV_HEADER + "seoul,2023,2023-03-01,600.00,USD,TX-1,wire\nSeoul,,2023-04-01,50,,TX-2,\n"
    result = domain.payments_import(actor=staff_user, data=text.encode(), name="payments.csv")
    assert result.summary == "2 payment(s) imported"
    first, second = sorted(result.payments, key=lambda p: p.reference)
    assert (first.invoice.fiscal_year, first.amount) == (2023, Decimal(600))
    assert second.invoice is None


def test_payment_import_bad_rows_write_nothing(staff_user):
    org = member_since(D(2015, 1, 1), name="Seoul", country="KR")
    InvoiceFactory(organisation=org, fiscal_year=2023)
    PaymentFactory(organisation=org, reference="OLD")
    text = CSV_HEADER + (
        "Seoul,2023,2023-03-01,100,USD,TX-1,\n"
        "Atlantis,2023,2023-03-01,100,USD,TX-2,\n"
        "Seoul,2023,01/03/2023,-5,USD,TX-1,\n"
        "Seoul,2019,2023-03-01,100,USD,OLD,\n"
    )
    with pytest.raises(ValidationError) as exc:
        domain.payments_import(actor=staff_user, data=text.encode(), name="payments.csv")
    assert exc.value.messages == [
        "row 3: member: unknown member 'Atlantis'",
        "row 4: date: '01/03/2023' is not a date (YYYY-MM-DD)",
        "row 4: amount: '-5' is not a positive amount",
        "row 4: reference: 'TX-1' repeats row 2",
        "row 5: reference: 'OLD' is already recorded",
        "row 5: fiscal_year: Seoul has no invoice for 2019",
    ]
    assert Payment.objects.count() == 1


def test_import_command_reports_rows(tmp_path):
    path = tmp_path / "pay.csv"
    path.write_text("member,date,amount\nX,2023-01-01,1\n")
    with pytest.raises(CommandError, match="required column is missing"):
        call_command("import_payments", str(path))


def test_issue_invoices_command(schedules, capsys):
    member_since(D(2015, 1, 1), name="Kampala", country="UG")
    call_command("issue_invoices", year=2024, issued_on="2024-01-05")
    assert "FY2024: 1 invoice(s) issued" in capsys.readouterr().out
    assert CreditNote.objects.count() == 0


# --- query budgets: reads are set-based, not one per row or per invoice --------------------


@pytest.mark.parametrize("rows", [1, 30])
def test_checking_a_payments_file_costs_the_same_reads_whatever_its_rows(
    staff_user, rows, django_assert_max_num_queries
):
    org = member_since(D(2015, 1, 1), name="Seoul", country="KR")
    InvoiceFactory(organisation=org, fiscal_year=2023)
    good = "".join(f"Seoul,2023,2023-03-01,10,USD,TX-{n},\n" for n in range(rows))
    text = CSV_HEADER + good + "Atlantis,2023,2023-03-01,10,USD,TX-X,\n"
    with django_assert_max_num_queries(3), pytest.raises(ValidationError) as exc:
        domain.payments_import(actor=staff_user, data=text.encode(), name="payments.csv")
    assert exc.value.messages == [f"row {rows + 2}: member: unknown member 'Atlantis'"]
    assert Payment.objects.count() == 0


@pytest.mark.parametrize("count", [2, 6])
def test_issuing_invoices_reads_the_fee_schedules_once(schedules, count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(count):
        member_since(D(2015, 1, 1), name=f"City {n}", country="UG")
    with CaptureQueriesContext(connection) as captured:
        result = domain.invoices_issue(actor=None, fiscal_year=2024, issued_on=D(2024, 1, 5))
    assert len(result.created) == count
    sql = [q["sql"] for q in captured.captured_queries]
    schedule_reads = [q for q in sql if "members_feeschedule" in q]
    assert len(schedule_reads) == 2  # the schedules to price with, their rows to name
    print(f"{count} invoices: {len(sql)} queries")
