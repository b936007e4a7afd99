"""A bank statement before it is imported: every row parsed and bounded, and matched to the
invoice its reference names (`rules.statements`). Nothing is written here; the import
(`domain.statements.statement_import`) records the matched rows only after this preview.

Columns (CSV or XLSX, read by `common.imports.read_table`): `date`, `amount`, `reference`
(required), `currency` (default USD), `transaction` (the bank's id of the transfer: what
makes a re-import recognise a row already recorded; without it the reference is the key),
`payer`, `description` (shown, not used)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from urbis.common.imports import RowError, read_table
from urbis.dues.models import Invoice, Payment
from urbis.dues.queries.invoicing import invoicing_policy
from urbis.dues.queries.ledger import invoices_with_balance
from urbis.dues.rules import payments as payment_rules
from urbis.dues.rules.statements import Match, match, reference_words
from urbis.members.queries import today

REQUIRED = ("date", "amount", "reference")
OPTIONAL = ("currency", "transaction", "payer", "description")
MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class StatementRow:
    row: int
    received_on: dt.date
    amount: Decimal
    currency: str
    reference: str
    key: str  # the payment's reference: the bank's transaction id, or the reference
    payer: str
    match: Match
    invoices: list[str]  # the invoice numbers the reference names
    invoice: Invoice | None = None  # the one invoice, when matched
    note: str = ""  # e.g. "pays more than the open balance"


@dataclass
class StatementPreview:
    name: str
    rows: list[StatementRow] = field(default_factory=list)
    recorded: list[StatementRow] = field(default_factory=list)  # already imported: skipped
    errors: list[RowError] = field(default_factory=list)

    def of(self, kind: Match) -> list[StatementRow]:
        return [r for r in self.rows if r.match == kind]

    @property
    def matched(self) -> list[StatementRow]:
        return self.of(Match.MATCHED)

    @property
    def unmatched(self) -> list[StatementRow]:
        return self.of(Match.UNMATCHED)

    @property
    def ambiguous(self) -> list[StatementRow]:
        return self.of(Match.AMBIGUOUS)

    @property
    def summary(self) -> str:
        return (
            f"{len(self.matched)} matched, {len(self.unmatched)} unmatched,"
            f" {len(self.ambiguous)} ambiguous, {len(self.recorded)} already recorded,"
            f" {len(self.errors)} error(s)"
        )


def statement_preview(data: bytes, *, name: str) -> StatementPreview:
    """Parse, bound and match every row of a statement file, in a fixed number of queries.
    A malformed row is an error naming its row and column and is left out of the matches."""
    preview = StatementPreview(name=name)
    table = read_table(
        data,
        name=name,
        required=REQUIRED,
        optional=OPTIONAL,
        max_rows=MAX_ROWS,
        max_bytes=MAX_BYTES,
    )
    preview.errors.extend(table.errors)
    on_today = today()
    ceiling = invoicing_policy().payment_ceiling
    parsed: list[dict[str, object]] = []
    keys_seen: dict[str, int] = {}
    bad_rows = {e.row for e in table.errors}
    for row in table:
        if row.number in bad_rows:
            continue  # the reader named its problem
        errors: list[RowError] = []

        def check(column: str, parse, value: str):  # type: ignore[no-untyped-def]
            try:
                return parse(value)
            except payment_rules.FieldError as exc:
                errors.append(row.error(column, str(exc)))  # noqa: B023 - called in the loop
                return None

        on = check(
            "date", lambda v: payment_rules.parse_received_on(v, today=on_today), row["date"]
        )
        amount = check(
            "amount", lambda v: payment_rules.parse_amount(v, ceiling=ceiling), row["amount"]
        )
        currency = check("currency", payment_rules.parse_currency, row["currency"] or "USD")
        reference = row["reference"]
        if not reference:
            errors.append(row.error("reference", "required (the invoice number quoted)"))
        key = row["transaction"] or reference
        limit = payment_rules.MAX_REFERENCE
        column = "transaction" if row["transaction"] else "reference"
        if len(key) > limit:
            errors.append(
                row.error(column, f"longer than {limit} characters (give a transaction column)")
            )
        elif key and key in keys_seen:
            errors.append(row.error(column, f"'{key}' repeats row {keys_seen[key]}"))
        if len(row["payer"]) > 200:
            errors.append(row.error("payer", "longer than 200 characters"))
        keys_seen.setdefault(key, row.number)
        if errors:
            preview.errors.extend(errors)
            continue
        parsed.append(
            {
                "row": row.number,
                "received_on": on,
                "amount": amount,
                "currency": currency,
                "reference": reference,
                "key": key,
                "payer": row["payer"],
                "words": reference_words(reference),
            }
        )
    words: set[str] = set()
    for p in parsed:
        words |= p["words"]  # type: ignore[arg-type]
    invoices = {
        i.number.upper(): i
        for i in invoices_with_balance(Invoice.objects.filter(number__in=sorted(words)))
    }
    recorded = set(
        Payment.objects.filter(reference__in=[p["key"] for p in parsed]).values_list(
            "reference", flat=True
        )
    )
    for p in parsed:
        kind, named = match(p.pop("words"), set(invoices))  # type: ignore[arg-type]
        invoice = invoices[named[0]] if kind == Match.MATCHED else None
        note = ""
        if invoice is not None and invoice.currency != p["currency"]:
            kind, note = Match.UNMATCHED, f"{invoice.number} is in {invoice.currency}"
            invoice = None
        elif invoice is not None and p["amount"] > invoice.balance:  # type: ignore[attr-defined,operator]
            note = f"more than the open balance of {invoice.balance:,.2f}"  # type: ignore[attr-defined]
        statement_row = StatementRow(
            match=kind,
            invoices=[invoices[n].number for n in named],
            invoice=invoice,
            note=note,
            **p,  # type: ignore[arg-type]
        )
        (preview.recorded if p["key"] in recorded else preview.rows).append(statement_row)
    preview.errors.sort(key=lambda e: e.order)
    return preview
