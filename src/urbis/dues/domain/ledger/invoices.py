"""Invoices and credit notes: issuing one invoice, a fiscal year's invoices, a credit note."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from urbis.common.actor import Actor
from urbis.common.audit import audit_record, snapshot
from urbis.dues import mail
from urbis.dues.domain.documents import document_number_take, document_sequence_lock
from urbis.dues.models import CreditNote, FeeSchedule, Invoice
from urbis.dues.queries.invoicing import invoicing_policy
from urbis.dues.queries.ledger import FeeContext, fee_for, fee_wording, invoices_with_balance
from urbis.dues.rules import fees
from urbis.members import queries
from urbis.members.models import MEMBER_CATEGORIES, Organisation
from urbis.members.rules import IN_MEMBERSHIP


def invoice_issue(
    *,
    actor: Actor,
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
                organisation,
                fiscal_year,
                on,
                fee,
                actor=actor,
                schedule=_schedules_by_code([fee.schedule_code]).get(fee.schedule_code),
                illustrative=illustrative,
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
    actor: Actor,
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
    # The schedules' rows, read once: each invoice names the one that priced it.
    schedule_rows = _schedules_by_code([s.code for s in context.schedules])
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
                    schedule = schedule_rows.get(fee.schedule_code)
                    result.created.append(
                        _invoice_create(org, fiscal_year, on, fee, actor=actor, schedule=schedule)
                    )
            if progress:
                progress(n, len(members))
        mail.documents_mail_later(invoices=result.created)
    return result


def _schedules_by_code(codes: list[str]) -> dict[str, FeeSchedule]:
    return {row.code: row for row in FeeSchedule.objects.filter(code__in=codes)}


def _invoice_create(
    org: Organisation,
    fiscal_year: int,
    on: dt.date,
    fee: fees.Fee,
    *,
    actor: Actor,
    schedule: FeeSchedule | None,
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
        schedule=schedule,
        explanation=fee.explanation,
        wording=fee_wording(org, fee),
        illustrative=illustrative,
    )
    audit_record(actor=actor, action="invoice.issue", target=invoice, after=snapshot(invoice))
    return invoice


def credit_note_issue(
    *, actor: Actor, invoice: Invoice, amount: Decimal, reason: str, issued_on: dt.date
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
