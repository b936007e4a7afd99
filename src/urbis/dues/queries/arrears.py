"""What a treasurer chases: open balances past their due date by member, in ageing buckets,
and each fiscal year's collection (invoiced, paid, credited, outstanding)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum

from urbis.dues.models import CreditNote, Invoice, Payment
from urbis.dues.queries.ledger import ZERO, invoices_with_balance

# Days past the due date, inclusive bounds; the last bucket is open-ended.
AGEING: tuple[tuple[int, int | None], ...] = ((1, 90), (91, 180), (181, 365), (366, None))


def bucket_label(low: int, high: int | None) -> str:
    return f"{low}-{high} days" if high is not None else f"over {low - 1} days"


def bucket_of(days: int) -> int:
    """The index in AGEING of a balance `days` past due (days >= 1)."""
    for n, (low, high) in enumerate(AGEING):
        if days >= low and (high is None or days <= high):
            return n
    raise ValueError(f"{days} days is not past due")


@dataclass
class ArrearsRow:
    organisation_id: int
    name: str
    slug: str
    currency: str
    buckets: list[Decimal] = field(default_factory=lambda: [ZERO] * len(AGEING))
    invoices: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum(self.buckets, ZERO)


def arrears(*, as_of: dt.date) -> list[ArrearsRow]:
    """Members with a balance open after its due date on `as_of`, largest total first (one
    query whatever the number of invoices)."""
    rows: dict[tuple[int, str], ArrearsRow] = {}
    open_invoices = (
        invoices_with_balance(Invoice.objects.filter(due_on__lt=as_of))
        .filter(balance__gt=0)  # type: ignore[misc]  # annotated by invoices_with_balance
        .order_by("organisation__name", "due_on")
        .values_list(
            "organisation_id", "organisation__name", "organisation__slug", "currency",
            "number", "due_on", "balance",
        )
    )  # fmt: skip
    for org_id, name, slug, currency, number, due_on, balance in open_invoices:
        row = rows.setdefault((org_id, currency), ArrearsRow(org_id, name, slug, currency))
        row.buckets[bucket_of((as_of - due_on).days)] += Decimal(balance)
        row.invoices.append(number)
    return sorted(rows.values(), key=lambda r: (-r.total, r.name))


@dataclass(frozen=True)
class YearCollection:
    fiscal_year: int
    invoices: int
    invoiced: Decimal
    paid: Decimal
    credited: Decimal

    @property
    def outstanding(self) -> Decimal:
        return self.invoiced - self.paid - self.credited

    @property
    def collected_share(self) -> Decimal:
        """Paid as a share of what was due after credit notes (0 when nothing was due)."""
        due = self.invoiced - self.credited
        return (self.paid / due).quantize(Decimal("0.001")) if due > 0 else ZERO


def collection_by_year() -> list[YearCollection]:
    """Each fiscal year's invoices, payments on them and credit notes (three queries)."""
    invoiced = {
        r["fiscal_year"]: r
        for r in Invoice.objects.order_by()
        .values("fiscal_year")
        .annotate(n=Count("pk"), s=Sum("amount"))
    }
    paid = dict(
        Payment.objects.filter(invoice__isnull=False)
        .order_by()
        .values_list("invoice__fiscal_year")
        .annotate(s=Sum("amount"))
    )
    credited = dict(
        CreditNote.objects.order_by().values_list("invoice__fiscal_year").annotate(s=Sum("amount"))
    )
    return [
        YearCollection(
            fiscal_year=year,
            invoices=r["n"],
            invoiced=Decimal(r["s"] or 0),
            paid=Decimal(paid.get(year) or 0),
            credited=Decimal(credited.get(year) or 0),
        )
        for year, r in sorted(invoiced.items(), reverse=True)
    ]
