"""Importing payments from a CSV or XLSX file: every row is checked, then all are written.

The file is read by `common.imports.read_table` (row numbers as in the file, NUL and
encoding refused there); what a row names (members, invoices, references already recorded)
is read in a fixed number of queries before the rows are checked, so a file of a thousand
rows costs the same reads as a file of one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from urbis.common.actor import Actor
from urbis.common.imports import Row, RowError, read_table
from urbis.dues.domain.ledger.payments import payment_record
from urbis.dues.models import Invoice, Payment
from urbis.dues.queries.invoicing import invoicing_policy
from urbis.dues.rules import payments as payment_rules
from urbis.members import queries
from urbis.members.models import Organisation

PAYMENT_COLUMNS = ("member", "fiscal_year", "date", "amount", "currency", "reference", "method")
REQUIRED_COLUMNS = ("member", "date", "amount", "reference")


@dataclass(frozen=True)
class ImportResult:
    payments: list[Payment]

    @property
    def summary(self) -> str:
        return f"{len(self.payments)} payment(s) imported"


@dataclass(frozen=True)
class _Known:
    """What the rows name, read once for the whole file."""

    organisations: dict[str, Organisation]
    recorded: set[str]
    invoices: dict[tuple[int, int], Invoice]


def _known(rows: list[Row]) -> _Known:
    keys = {row["member"] for row in rows}
    organisations = {
        key: org
        for org in Organisation.objects.filter(Q(slug__in=keys) | Q(name__in=keys))
        for key in (org.slug, org.name)
    }
    recorded = set(
        Payment.objects.filter(reference__in={row["reference"] for row in rows}).values_list(
            "reference", flat=True
        )
    )
    years = {int(y) for row in rows if payment_rules.YEAR.fullmatch(y := row["fiscal_year"])}
    invoices = {
        (i.organisation_id, i.fiscal_year): i
        for i in Invoice.objects.filter(
            organisation__in={o.pk for o in organisations.values()}, fiscal_year__in=years
        )
    }
    return _Known(organisations, recorded, invoices)


def _check_row(
    row: Row, known: _Known, refs_seen: dict[str, int], errors: list[RowError]
) -> dict[str, Any] | None:
    """The payment a row describes, or None after adding its errors to `errors`."""
    before = len(errors)
    on_today = queries.today()
    ceiling = invoicing_policy().payment_ceiling

    def check(column: str, parse: Callable[[str], Any], value: str) -> Any:
        try:
            return parse(value)
        except payment_rules.FieldError as exc:
            errors.append(row.error(column, str(exc)))
            return None

    org = known.organisations.get(row["member"])
    if org is None:
        errors.append(row.error("member", f"unknown member '{row['member']}'"))
    on = check("date", lambda v: payment_rules.parse_received_on(v, today=on_today), row["date"])
    amount = check(
        "amount", lambda v: payment_rules.parse_amount(v, ceiling=ceiling), row["amount"]
    )
    currency = check("currency", payment_rules.parse_currency, row["currency"] or "USD")
    method = check(
        "method",
        lambda v: payment_rules.parse_text(v, limit=payment_rules.MAX_METHOD),
        row["method"],
    )
    ref = row["reference"]
    if not ref:
        errors.append(row.error("reference", "required (it makes the import repeatable)"))
    elif len(ref) > payment_rules.MAX_REFERENCE:
        errors.append(
            row.error("reference", f"longer than {payment_rules.MAX_REFERENCE} characters")
        )
    elif ref in known.recorded:
        errors.append(row.error("reference", f"'{ref}' is already recorded"))
    elif ref in refs_seen:
        errors.append(row.error("reference", f"'{ref}' repeats row {refs_seen[ref]}"))
    refs_seen.setdefault(ref, row.number)
    invoice = None
    if row["fiscal_year"]:
        year = check(
            "fiscal_year",
            lambda v: payment_rules.parse_fiscal_year(v, today=on_today),
            row["fiscal_year"],
        )
        if year is not None and org is not None:
            invoice = known.invoices.get((org.pk, year))
            if invoice is None:
                errors.append(row.error("fiscal_year", f"{org.name} has no invoice for {year}"))
    if invoice is not None and currency and currency != invoice.currency:
        errors.append(row.error("currency", f"{invoice.number} is in {invoice.currency}"))
    if len(errors) > before:
        return None
    return {
        "organisation": org,
        "invoice": invoice,
        "received_on": on,
        "amount": amount,
        "currency": currency,
        "reference": ref,
        "method": method,
    }


def payments_import(
    *,
    actor: Actor,
    data: bytes,
    name: str,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import payments from a CSV or XLSX file `name` (columns: member, fiscal_year, date,
    amount, currency, reference, method). `member` is the slug or the name. Every bad row
    is reported as 'row N: column: reason' (a ValidationError listing them, by row) and
    nothing is written unless every row is good."""
    table = read_table(data, name=name, required=REQUIRED_COLUMNS, optional=PAYMENT_COLUMNS)
    errors = list(table.errors)
    rows = list(table)
    parsed: list[dict[str, Any]] = []
    if rows and not any(e.row in {None, 1} for e in errors):
        known = _known(rows)
        refs_seen: dict[str, int] = {}
        for row in rows:
            values = _check_row(row, known, refs_seen, errors)
            if values is not None:
                parsed.append(values)
    if errors:
        # By row, and within a row in the order of the checks.
        raise ValidationError([str(e) for e in sorted(errors, key=lambda e: e.row or 0)])
    payments = []
    with transaction.atomic():
        for n, values in enumerate(parsed, start=1):
            payments.append(payment_record(actor=actor, **values))
            if progress:
                progress(n, len(parsed))
    return ImportResult(payments=payments)
