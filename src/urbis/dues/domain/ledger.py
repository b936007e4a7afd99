"""Writes of dues: fee schedules, invoices, payments, credit notes, payment imports.

Every function runs in one transaction and leaves an audit record; bad input raises a
ValidationError naming the field (or the CSV row and column) and writes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from urbis.common.audit import audit_record, snapshot
from urbis.dues.models import CreditNote, FeeSchedule, Invoice, Payment
from urbis.dues.queries.ledger import FeeContext, fee_for, invoices_with_balance
from urbis.dues.rules import fees
from urbis.members import queries
from urbis.members.models import MEMBER_CATEGORIES, Organisation
from urbis.members.rules import IN_MEMBERSHIP

ZERO = Decimal("0.00")


def fee_schedules_load(*, schedules: Iterable[fees.Schedule], actor: Any) -> list[FeeSchedule]:
    """Store validated schedules, upserting by code (loading twice changes nothing)."""
    saved = []
    with transaction.atomic():
        for schedule in schedules:
            fees.validate_schedule(schedule)
            values = {
                "title": schedule.title,
                "effective_from": schedule.effective_from,
                "currency": schedule.currency,
                "source": schedule.source,
                "example": schedule.example,
                "choices": list(schedule.choices),
                "tables": fees.schedule_to_data(schedule),
            }
            row = FeeSchedule.objects.filter(code=schedule.code).first()
            before = snapshot(row) if row else None
            if row is None:
                row = FeeSchedule(code=schedule.code, **values)
            else:
                for name, value in values.items():
                    setattr(row, name, value)
            after = snapshot(row)
            if before != after:
                row.save()
                audit_record(
                    actor=actor, action="fee_schedule.save", target=row, before=before, after=after
                )
            saved.append(row)
    return saved


def invoice_number(organisation: Organisation, fiscal_year: int) -> str:
    return f"{fiscal_year}-{organisation.pk:06d}"


def invoice_issue(
    *,
    actor: Any,
    organisation: Organisation,
    fiscal_year: int,
    issued_on: dt.date | None = None,
    context: FeeContext | None = None,
    illustrative: bool = False,
) -> Invoice:
    """Issue the invoice of one member for one fiscal year (Art. 19), priced by `fee_for`."""
    on = issued_on or dt.date.today()
    try:
        fee = fee_for(organisation, fiscal_year, context=context)
    except fees.FeeError as exc:
        raise ValidationError({"amount": str(exc)}) from exc
    with transaction.atomic():
        if Invoice.objects.filter(organisation=organisation, fiscal_year=fiscal_year).exists():
            raise ValidationError(
                {"fiscal_year": f"{organisation.name} already has an invoice for {fiscal_year}."}
            )
        invoice = _invoice_create(
            organisation, fiscal_year, on, fee, actor=actor, illustrative=illustrative
        )
    return invoice


@dataclass
class IssueResult:
    fiscal_year: int
    created: list[Invoice] = field(default_factory=list)
    existing: int = 0
    skipped: list[tuple[Organisation, str]] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return (
            f"FY{self.fiscal_year}: {len(self.created)} invoice(s) issued, "
            f"{self.existing} already issued, {len(self.skipped)} not priced"
        )


def invoices_issue(
    *,
    actor: Any,
    fiscal_year: int,
    issued_on: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> IssueResult:
    """Issue the invoices of a fiscal year to every member in membership on the issue date
    that has none yet. Members that cannot be priced are listed with the reason; the
    others are issued in one transaction."""
    on = issued_on or dt.date.today()
    members = list(
        queries.with_state(
            Organisation.objects.filter(category__in=MEMBER_CATEGORIES), as_of=on
        ).filter(state__in=[s.value for s in IN_MEMBERSHIP])  # type: ignore[misc]
    )
    already = set(
        Invoice.objects.filter(fiscal_year=fiscal_year).values_list("organisation_id", flat=True)
    )
    context = FeeContext()
    result = IssueResult(fiscal_year=fiscal_year)
    with transaction.atomic():
        for n, org in enumerate(members, start=1):
            if org.pk in already:
                result.existing += 1
            else:
                try:
                    fee = fee_for(org, fiscal_year, context=context)
                except fees.FeeError as exc:
                    result.skipped.append((org, str(exc)))
                else:
                    result.created.append(_invoice_create(org, fiscal_year, on, fee, actor=actor))
            if progress:
                progress(n, len(members))
    return result


def _invoice_create(
    org: Organisation,
    fiscal_year: int,
    on: dt.date,
    fee: fees.Fee,
    *,
    actor: Any,
    illustrative: bool = False,
) -> Invoice:
    invoice = Invoice.objects.create(
        organisation=org,
        fiscal_year=fiscal_year,
        number=invoice_number(org, fiscal_year),
        issued_on=on,
        due_on=max(on, dt.date(fiscal_year, 3, 31)),
        amount=fee.amount,
        currency=fee.currency,
        schedule=FeeSchedule.objects.filter(code=fee.schedule_code).first(),
        explanation=fee.explanation,
        illustrative=illustrative,
    )
    audit_record(actor=actor, action="invoice.issue", target=invoice, after=snapshot(invoice))
    return invoice


def payment_record(
    *,
    actor: Any,
    organisation: Organisation,
    amount: Decimal,
    received_on: dt.date,
    invoice: Invoice | None = None,
    reference: str = "",
    method: str = "",
    currency: str = "USD",
    illustrative: bool = False,
) -> Payment:
    """Record a payment (partial payments allowed); an invoice must be the member's own."""
    if amount <= 0:
        raise ValidationError({"amount": "A payment must be positive."})
    if invoice is not None and invoice.organisation_id != organisation.pk:
        raise ValidationError({"invoice": f"{invoice.number} is not {organisation.name}'s."})
    if invoice is not None and invoice.currency != currency:
        raise ValidationError({"currency": f"{invoice.number} is in {invoice.currency}."})
    with transaction.atomic():
        if reference and Payment.objects.filter(reference=reference).exists():
            raise ValidationError({"reference": f"Payment '{reference}' is already recorded."})
        payment = Payment.objects.create(
            organisation=organisation,
            invoice=invoice,
            amount=amount,
            received_on=received_on,
            reference=reference,
            method=method,
            currency=currency,
            illustrative=illustrative,
        )
        audit_record(actor=actor, action="payment.record", target=payment, after=snapshot(payment))
    return payment


def credit_note_issue(
    *, actor: Any, invoice: Invoice, amount: Decimal, reason: str, issued_on: dt.date
) -> CreditNote:
    """Reduce an invoice by at most its open balance, with a reason."""
    if not reason.strip():
        raise ValidationError({"reason": "A credit note needs a reason."})
    with transaction.atomic():
        row = invoices_with_balance(Invoice.objects.select_for_update().filter(pk=invoice.pk)).get()
        if amount <= 0 or amount > row.balance:  # type: ignore[attr-defined]
            raise ValidationError(
                {"amount": f"Must be positive and at most the open balance {row.balance}."}  # type: ignore[attr-defined]
            )
        count = CreditNote.objects.filter(invoice=invoice).count()
        note = CreditNote.objects.create(
            invoice=invoice,
            number=f"CN-{invoice.number}-{count + 1}",
            issued_on=issued_on,
            amount=amount,
            reason=reason,
        )
        audit_record(actor=actor, action="credit_note.issue", target=note, after=snapshot(note))
    return note


PAYMENT_COLUMNS = ("member", "fiscal_year", "date", "amount", "currency", "reference", "method")
REQUIRED_COLUMNS = ("member", "date", "amount", "reference")


@dataclass(frozen=True)
class ImportResult:
    payments: list[Payment]

    @property
    def summary(self) -> str:
        return f"{len(self.payments)} payment(s) imported"


def payments_import(
    *, actor: Any, text: str, progress: Callable[[int, int], None] | None = None
) -> ImportResult:
    """Import payments from CSV (columns: member, fiscal_year, date, amount, currency,
    reference, method). `member` is the slug or the name. Every bad row is reported as
    'row N: column: reason' and nothing is written unless every row is good."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ValidationError([f"header: missing column(s) {', '.join(missing)}"])
    rows = [{(k or "").strip(): (v or "").strip() for k, v in r.items()} for r in reader]
    # PostgreSQL refuses NUL in text (even in a lookup), so these rows are refused first.
    nul = [
        f"row {n}: {column}: contains a NUL character"
        for n, row in enumerate(rows, start=2)
        for column, value in row.items()
        if "\x00" in value or "\x00" in column
    ]
    if nul:
        raise ValidationError(nul)
    errors: list[str] = []
    parsed: list[dict[str, Any]] = []
    refs_seen: dict[str, int] = {}
    keys = {r["member"] for r in rows}
    orgs = {
        key: org
        for org in Organisation.objects.filter(Q(slug__in=keys) | Q(name__in=keys))
        for key in (org.slug, org.name)
    }
    existing_refs = set(
        Payment.objects.filter(reference__in=[r["reference"] for r in rows]).values_list(
            "reference", flat=True
        )
    )
    for n, row in enumerate(rows, start=2):  # row 1 is the header
        bad = len(errors)
        org = orgs.get(row["member"])
        if org is None:
            errors.append(f"row {n}: member: unknown member '{row['member']}'")
        try:
            on = dt.date.fromisoformat(row["date"])
        except ValueError:
            errors.append(f"row {n}: date: '{row['date']}' is not a date (YYYY-MM-DD)")
            on = None
        try:
            amount = Decimal(row["amount"].replace(",", ""))
            if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors.append(f"row {n}: amount: '{row['amount']}' is not a positive amount")
            amount = ZERO
        ref = row["reference"]
        if not ref:
            errors.append(f"row {n}: reference: required (it makes the import repeatable)")
        elif ref in existing_refs:
            errors.append(f"row {n}: reference: '{ref}' is already recorded")
        elif ref in refs_seen:
            errors.append(f"row {n}: reference: '{ref}' repeats row {refs_seen[ref]}")
        refs_seen.setdefault(ref, n)
        invoice = None
        year = row.get("fiscal_year", "")
        if year and org is not None:
            if not year.isdigit():
                errors.append(f"row {n}: fiscal_year: '{year}' is not a year")
            else:
                invoice = Invoice.objects.filter(organisation=org, fiscal_year=int(year)).first()
                if invoice is None:
                    errors.append(f"row {n}: fiscal_year: {org.name} has no invoice for {year}")
        currency = row.get("currency") or "USD"
        if invoice is not None and currency != invoice.currency:
            errors.append(f"row {n}: currency: {invoice.number} is in {invoice.currency}")
        if len(errors) == bad:
            parsed.append(
                {
                    "organisation": org,
                    "invoice": invoice,
                    "received_on": on,
                    "amount": amount,
                    "currency": currency,
                    "reference": ref,
                    "method": row.get("method", ""),
                }
            )
    if errors:
        raise ValidationError(errors)
    payments = []
    with transaction.atomic():
        for n, values in enumerate(parsed, start=1):
            payments.append(payment_record(actor=actor, **values))
            if progress:
                progress(n, len(parsed))
    return ImportResult(payments=payments)
