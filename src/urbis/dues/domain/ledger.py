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
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from urbis.common.audit import audit_record, snapshot
from urbis.dues import mail
from urbis.dues.domain.documents import document_number_take, document_sequence_lock
from urbis.dues.models import CreditNote, FeeSchedule, Invoice, Payment
from urbis.dues.queries.invoicing import invoicing_policy
from urbis.dues.queries.ledger import FeeContext, fee_for, fee_wording, invoices_with_balance
from urbis.dues.rules import fees
from urbis.dues.rules import payments as payment_rules
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
    try:
        with transaction.atomic():
            # The year's sequence lock first: a concurrent issue for the same member waits
            # here, then sees the invoice the first one wrote.
            document_sequence_lock(kind="invoice", fiscal_year=fiscal_year)
            if Invoice.objects.filter(organisation=organisation, fiscal_year=fiscal_year).exists():
                raise ValidationError(
                    {
                        "fiscal_year": (
                            f"{organisation.name} already has an invoice for {fiscal_year}."
                        )
                    },
                    code="conflict",
                )
            invoice = _invoice_create(
                organisation, fiscal_year, on, fee, actor=actor, illustrative=illustrative
            )
            mail.documents_mail_later(invoices=[invoice])
    except IntegrityError as exc:  # a constraint the checks above did not foresee
        raise ValidationError(
            {"fiscal_year": f"{organisation.name} already has an invoice for {fiscal_year}."},
            code="conflict",
        ) from exc
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
    context = FeeContext()
    result = IssueResult(fiscal_year=fiscal_year)
    with transaction.atomic():
        # Under the year's sequence lock, a second run submitted at the same time waits for
        # the first and then finds its invoices already issued.
        document_sequence_lock(kind="invoice", fiscal_year=fiscal_year)
        already = set(
            Invoice.objects.filter(fiscal_year=fiscal_year).values_list(
                "organisation_id", flat=True
            )
        )
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
        mail.documents_mail_later(invoices=result.created)
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
        number=document_number_take(kind="invoice", fiscal_year=fiscal_year),
        issued_on=on,
        due_on=invoicing_policy().due_on(fiscal_year=fiscal_year, issued_on=on),
        amount=fee.amount,
        currency=fee.currency,
        schedule=FeeSchedule.objects.filter(code=fee.schedule_code).first(),
        explanation=fee.explanation,
        wording=fee_wording(org, fee),
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
    """Record a payment (partial payments allowed); an invoice must be the member's own.
    Every field is bounded (`rules.payments`): amount up to the policy's ceiling, a date
    from 2000 to today, an ISO currency, a reference and method of reasonable length."""
    if amount <= 0:
        raise ValidationError({"amount": "A payment must be positive."})
    problems = {}
    ceiling = invoicing_policy().payment_ceiling
    if amount > ceiling or amount != amount.quantize(Decimal("0.01")):
        problems["amount"] = f"At most {ceiling:,.2f}, with at most two decimals."
    for name, check in (
        (
            "received_on",
            lambda: payment_rules.parse_received_on(received_on.isoformat(), today=queries.today()),
        ),
        ("currency", lambda: payment_rules.parse_currency(currency)),
        (
            "reference",
            lambda: payment_rules.parse_text(reference, limit=payment_rules.MAX_REFERENCE),
        ),
        ("method", lambda: payment_rules.parse_text(method, limit=payment_rules.MAX_METHOD)),
    ):
        try:
            check()
        except payment_rules.FieldError as exc:
            problems[name] = str(exc)
    if problems:
        raise ValidationError(problems)
    if invoice is not None and invoice.organisation_id != organisation.pk:
        raise ValidationError({"invoice": f"{invoice.number} is not {organisation.name}'s."})
    if invoice is not None and invoice.currency != currency:
        raise ValidationError({"currency": f"{invoice.number} is in {invoice.currency}."})
    with transaction.atomic():
        receipt = document_number_take(kind="receipt", fiscal_year=received_on.year)
        if reference and Payment.objects.filter(reference=reference).exists():
            raise ValidationError(
                {"reference": f"Payment '{reference}' is already recorded."}, code="conflict"
            )
        payment = Payment.objects.create(
            organisation=organisation,
            invoice=invoice,
            amount=amount,
            received_on=received_on,
            reference=reference,
            method=method,
            currency=currency,
            receipt_number=receipt,
            illustrative=illustrative,
        )
        audit_record(actor=actor, action="payment.record", target=payment, after=snapshot(payment))
        mail.documents_mail_later(payments=[payment])
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
        note = CreditNote.objects.create(
            invoice=invoice,
            number=document_number_take(kind="credit_note", fiscal_year=issued_on.year),
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
    errors: list[str] = []
    rows: list[dict[str, str]] = []
    for n, raw in enumerate(reader, start=2):  # row 1 is the header
        if None in raw:  # more cells than the header has columns (e.g. a trailing comma)
            errors.append(f"row {n}: more cells than the header's {len(header)} columns")
            continue
        rows.append({(k or "").strip(): (v or "").strip() for k, v in raw.items()})
        rows[-1]["_row"] = str(n)
    # PostgreSQL refuses NUL in text (even in a lookup), so these rows are refused first.
    nul = [
        f"row {row['_row']}: {column}: contains a NUL character"
        for row in rows
        for column, value in row.items()
        if "\x00" in value or "\x00" in column
    ]
    if nul or errors:
        raise ValidationError(errors + nul)
    on_today = queries.today()
    ceiling = invoicing_policy().payment_ceiling
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
    years = {r.get("fiscal_year", "") for r in rows}
    invoices = {
        (i.organisation_id, i.fiscal_year): i
        for i in Invoice.objects.filter(
            organisation__in={o.pk for o in orgs.values()},
            fiscal_year__in=[int(y) for y in years if payment_rules.YEAR.fullmatch(y)],
        )
    }
    for row in rows:
        n = int(row["_row"])
        bad = len(errors)

        def check(column: str, parse: Callable[[str], Any], value: str, n: int = n) -> Any:
            try:
                return parse(value)
            except payment_rules.FieldError as exc:
                errors.append(f"row {n}: {column}: {exc}")
                return None

        org = orgs.get(row["member"])
        if org is None:
            errors.append(f"row {n}: member: unknown member '{row['member']}'")
        on = check(
            "date", lambda v: payment_rules.parse_received_on(v, today=on_today), row["date"]
        )
        amount = check(
            "amount", lambda v: payment_rules.parse_amount(v, ceiling=ceiling), row["amount"]
        )
        currency = check("currency", payment_rules.parse_currency, row.get("currency") or "USD")
        method = check(
            "method",
            lambda v: payment_rules.parse_text(v, limit=payment_rules.MAX_METHOD),
            row.get("method", ""),
        )
        ref = row["reference"]
        if not ref:
            errors.append(f"row {n}: reference: required (it makes the import repeatable)")
        elif len(ref) > payment_rules.MAX_REFERENCE:
            errors.append(
                f"row {n}: reference: longer than {payment_rules.MAX_REFERENCE} characters"
            )
        elif ref in existing_refs:
            errors.append(f"row {n}: reference: '{ref}' is already recorded")
        elif ref in refs_seen:
            errors.append(f"row {n}: reference: '{ref}' repeats row {refs_seen[ref]}")
        refs_seen.setdefault(ref, n)
        invoice = None
        year_text = row.get("fiscal_year", "")
        if year_text:
            year = check(
                "fiscal_year",
                lambda v: payment_rules.parse_fiscal_year(v, today=on_today),
                year_text,
            )
            if year is not None and org is not None:
                invoice = invoices.get((org.pk, year))
                if invoice is None:
                    errors.append(f"row {n}: fiscal_year: {org.name} has no invoice for {year}")
        if invoice is not None and currency and currency != invoice.currency:
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
                    "method": method,
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
