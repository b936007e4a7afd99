"""Reads of dues: schedules in force, reference GDP data, fees, ledgers and arrears."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml
from django.db.models import Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from urbis.common.exports import csv_bytes
from urbis.common.models import CountryRegion
from urbis.dues.models import CreditNote, FeeSchedule, Invoice, Payment
from urbis.dues.rules import fees
from urbis.members.models import Organisation

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
FEE_SCHEDULES_FILE = DATA_DIR / "fee_schedules.yaml"
GDP_FILE = DATA_DIR / "gdp_ppp.yaml"
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class GdpTable:
    source: str
    version: str
    values: dict[str, dict[int, int]]
    citation: str = ""  # the source in words, for documents sent to members

    def value_for(self, country: str, fiscal_year: int) -> tuple[int, int] | None:
        """(year, value): the latest year up to fiscal_year - 1, else the earliest known."""
        years = self.values.get(country.upper())
        if not years:
            return None
        known = [y for y in years if y <= fiscal_year - 1]
        year = max(known) if known else min(years)
        return year, years[year]


@lru_cache(maxsize=4)
def gdp_table(path: Path = GDP_FILE) -> GdpTable:
    """The reference GDP per capita (PPP) file; its source is part of every explanation."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    values = {
        str(code).upper(): {int(y): int(v) for y, v in (years or {}).items()}
        for code, years in (data.get("values") or {}).items()
    }
    return GdpTable(
        source=str(data.get("source", "")),
        version=str(data.get("version", "")),
        values=values,
        citation=str(data.get("citation", "") or data.get("source", "")),
    )


def schedule_from_model(row: FeeSchedule) -> fees.Schedule:
    return fees.schedule_from_data(
        {
            "code": row.code,
            "title": row.title,
            "effective_from": row.effective_from,
            "currency": row.currency,
            "source": row.source,
            "example": row.example,
            "choices": row.choices,
            "tables": (row.tables or {}).get("tables", []),
        }
    )


def schedules() -> list[fees.Schedule]:
    """Every stored schedule, validated (a stored schedule was validated when saved)."""
    return [schedule_from_model(row) for row in FeeSchedule.objects.order_by("effective_from")]


def schedules_from_file(path: Path = FEE_SCHEDULES_FILE) -> list[fees.Schedule]:
    """The schedules of the data file; raises ScheduleError naming each gap or overlap."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [fees.schedule_from_data(item) for item in data.get("schedules") or []]


@dataclass
class FeeContext:
    """What `fee_for` needs besides the member, read once for a bulk run."""

    schedules: list[fees.Schedule] = field(default_factory=schedules)
    gdp: GdpTable = field(default_factory=gdp_table)


def fee_for(
    member: Organisation, fiscal_year: int, *, context: FeeContext | None = None
) -> fees.Fee:
    """The fee of a member for a fiscal year, with its explanation (Annex 3, Art. 19).

    Raises `fees.FeeError` naming what is missing (schedule, employees, GDP data).
    """
    ctx = context or FeeContext()
    subtype = member.institution_type or member.corporate_category or ""
    gdp_value: int | None = None
    gdp_year: int | None = None
    note = ""
    country = str(member.country or "")
    found = ctx.gdp.value_for(country, fiscal_year) if country else None
    if found is not None:
        gdp_year, gdp_value = found
        note = f"GDP per capita (PPP) of {country} for {gdp_year}: {ctx.gdp.source}"
    try:
        return fees.compute_fee(
            ctx.schedules,
            fiscal_year=fiscal_year,
            category=member.category,
            subtype=subtype,
            employees=member.employees,
            gdp_ppp=gdp_value,
            gdp_note=note,
            gdp_year=gdp_year,
            gdp_source=ctx.gdp.citation,
        )
    except fees.FeeError as exc:
        raise fees.FeeError(f"{member.name}: {exc}") from exc


def fee_wording(member: Organisation, fee: fees.Fee) -> str:
    """The fee explained in the member's words (no internal codes), for its invoice."""
    kind = member.get_category_display()
    subtype = member.get_institution_type_display() if member.institution_type else ""
    subtype = subtype or (
        member.get_corporate_category_display() if member.corporate_category else ""
    )
    country = member.country.name if member.country else ""  # type: ignore[attr-defined]
    return fees.fee_in_words(
        fee, member_kind=f"{kind} ({subtype})" if subtype else kind, country_name=str(country)
    )


def fee_or_reason(member: Organisation, fiscal_year: int) -> fees.Fee | str:
    """The fee, or why it cannot be computed (for pages that show either)."""
    try:
        return fee_for(member, fiscal_year)
    except fees.FeeError as exc:
        return str(exc)


def invoices_with_balance(qs: QuerySet[Invoice] | None = None) -> QuerySet[Invoice]:
    """Invoices annotated with `paid`, `credited` and `balance` (amount - paid - credited)."""
    money = DecimalField(max_digits=14, decimal_places=2)
    paid = (
        Payment.objects.filter(invoice=OuterRef("pk"))
        .order_by()
        .values("invoice")
        .annotate(s=Sum("amount"))
        .values("s")[:1]
    )
    credited = (
        CreditNote.objects.filter(invoice=OuterRef("pk"))
        .order_by()
        .values("invoice")
        .annotate(s=Sum("amount"))
        .values("s")[:1]
    )
    base = qs if qs is not None else Invoice.objects.all()
    return (
        base.select_related("organisation")
        .annotate(
            paid=Coalesce(Subquery(paid, output_field=money), Value(ZERO), output_field=money),
            credited=Coalesce(
                Subquery(credited, output_field=money), Value(ZERO), output_field=money
            ),
        )
        .annotate(balance=F("amount") - F("paid") - F("credited"))
    )


@dataclass(frozen=True)
class LedgerLine:
    on: dt.date
    kind: str  # invoice, payment, credit note
    reference: str
    description: str
    debit: Decimal
    credit: Decimal
    balance: Decimal
    illustrative: bool


@dataclass(frozen=True)
class Ledger:
    organisation: Organisation
    lines: list[LedgerLine]
    invoices: list[Invoice]
    balance: Decimal
    arrears: Decimal  # open balance of invoices of fiscal years before `as_of`'s year
    illustrative: bool


@dataclass(frozen=True)
class InvoiceDocument:
    """An invoice with its balance, payments and credit notes: what its PDF prints."""

    invoice: Invoice
    payments: list[Payment]
    credit_notes: list[CreditNote]

    def context(self) -> dict[str, object]:
        return {
            "invoice": self.invoice,
            "payments": self.payments,
            "credit_notes": self.credit_notes,
        }


def invoice_document(number: str) -> InvoiceDocument | None:
    """The invoice numbered `number` with what was paid and credited on it (three queries)."""
    invoice = (
        invoices_with_balance(Invoice.objects.select_related("organisation"))
        .filter(number=number)
        .first()
    )
    if invoice is None:
        return None
    return InvoiceDocument(
        invoice=invoice,
        payments=list(invoice.payments.order_by("received_on", "id")),
        credit_notes=list(invoice.credit_notes.order_by("issued_on", "id")),
    )


def ledger(organisation: Organisation, *, as_of: dt.date | None = None) -> Ledger:
    """A member's account: invoices (debit), payments and credit notes (credit), running
    balance; arrears are what is still open on fiscal years before the current one."""
    on = as_of or dt.date.today()
    invoices = list(
        invoices_with_balance(Invoice.objects.filter(organisation=organisation)).order_by(
            "fiscal_year"
        )
    )
    entries: list[tuple[dt.date, int, str, str, str, Decimal, Decimal, bool]] = []
    for inv in invoices:
        entries.append(
            (
                inv.issued_on,
                0,
                "invoice",
                inv.number,
                gettext("Membership fee FY%(year)s") % {"year": inv.fiscal_year},
                inv.amount,
                ZERO,
                inv.illustrative,
            )
        )
    for pay in Payment.objects.filter(organisation=organisation).select_related("invoice"):
        if pay.invoice:
            text = gettext("Payment on %(invoice)s") % {"invoice": pay.invoice.number}
        else:
            text = gettext("Payment on account")
        entries.append(
            (
                pay.received_on,
                1,
                "payment",
                pay.reference,
                text,
                ZERO,
                pay.amount,
                pay.illustrative,
            )
        )
    for note in CreditNote.objects.filter(invoice__organisation=organisation).select_related(
        "invoice"
    ):
        entries.append(
            (
                note.issued_on,
                2,
                "credit note",
                note.number,
                gettext("Credit on %(invoice)s: %(reason)s")
                % {"invoice": note.invoice.number, "reason": note.reason},
                ZERO,
                note.amount,
                False,
            )
        )
    entries.sort(key=lambda e: (e[0], e[1], e[3]))
    running = ZERO
    lines = []
    for on_, _, kind, ref, text, debit, credit, illustrative in entries:
        running += debit - credit
        lines.append(LedgerLine(on_, kind, ref, text, debit, credit, running, illustrative))
    arrears = sum(
        (
            max(inv.amount - inv.paid - inv.credited, ZERO)  # type: ignore[attr-defined]
            for inv in invoices
            if inv.fiscal_year < on.year
        ),
        ZERO,
    )
    return Ledger(
        organisation=organisation,
        lines=lines,
        invoices=invoices,
        balance=running,
        arrears=arrears,
        illustrative=any(line.illustrative for line in lines),
    )


INVOICE_STATES = {"open": "open (balance due)", "settled": "settled (nothing due)"}


def invoice_list(
    *,
    fiscal_year: int | None = None,
    state: str = "",
    category: str = "",
    region: str = "",
    search: str = "",
) -> QuerySet[Invoice]:
    """Invoices with their balances, filtered: fiscal year, state (`open` or `settled`),
    member category, region (or sub-region) of the member's country, and a search on the
    member's name or the invoice number."""
    qs = invoices_with_balance()
    if fiscal_year:
        qs = qs.filter(fiscal_year=fiscal_year)
    if state == "open":
        qs = qs.filter(balance__gt=0)  # type: ignore[misc]  # annotated above
    elif state == "settled":
        qs = qs.filter(balance__lte=0)  # type: ignore[misc]  # annotated above
    if category:
        qs = qs.filter(organisation__category=category)
    if region:
        countries = CountryRegion.objects.filter(
            Q(region__code=region) | Q(region__parent__code=region)
        ).values("country")
        qs = qs.filter(organisation__country__in=countries)
    if search.strip():
        term = search.strip()
        qs = qs.filter(Q(organisation__name__icontains=term) | Q(number__icontains=term))
    return qs.order_by("organisation__name", "fiscal_year")


@dataclass(frozen=True)
class InvoiceTotals:
    count: int
    amount: Decimal
    paid: Decimal
    credited: Decimal
    balance: Decimal


def invoice_totals(qs: QuerySet[Invoice]) -> InvoiceTotals:
    """The totals of a filtered invoice list in three queries whatever its length (amounts
    in the invoices' currency: the schedules invoice in one currency)."""
    ids = qs.order_by().values("pk")
    base = Invoice.objects.filter(pk__in=ids).aggregate(n=Count("pk"), amount=Sum("amount"))
    paid = Payment.objects.filter(invoice__in=ids).aggregate(s=Sum("amount"))["s"] or ZERO
    credited = CreditNote.objects.filter(invoice__in=ids).aggregate(s=Sum("amount"))["s"] or ZERO
    amount = base["amount"] or ZERO
    return InvoiceTotals(
        count=base["n"],
        amount=amount,
        paid=paid,
        credited=credited,
        balance=amount - paid - credited,
    )


def invoices_csv(qs: QuerySet[Invoice]) -> bytes:
    """The filtered list as CSV, one line per invoice, amounts as plain decimals; member
    names are written inert (`urbis.common.exports`)."""
    rows = (
        [i.number, i.organisation.name, i.fiscal_year, i.issued_on, i.due_on, i.currency,
         *(f"{Decimal(v):.2f}" for v in (i.amount, i.paid, i.credited, i.balance))]  # type: ignore[attr-defined]
        for i in qs
    )  # fmt: skip
    return csv_bytes(
        ["number", "member", "fiscal_year", "issued_on", "due_on", "currency", "amount",
         "paid", "credited", "balance"],
        rows,
    )  # fmt: skip


def fee_schedules(*, include_examples: bool = False) -> list[FeeSchedule]:
    """The fee schedules of the statutes (Annex 3) in effective-date order; illustrative
    example schedules only when asked for."""
    qs = FeeSchedule.objects.order_by("effective_from", "code")
    if not include_examples:
        qs = qs.filter(example=False)
    return list(qs)
