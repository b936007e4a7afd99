"""The dues sections of a focal point's own space: invoices (with their PDFs), payments
(with their receipts) and the open balance, amounts in the reader's language. Registered in
`DuesConfig.ready`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from urbis.common.formats import format_money_local as format_money
from urbis.dues.models import Invoice, Payment
from urbis.dues.queries.ledger import invoices_with_balance
from urbis.members.pages import MineRow, MineSection


def invoices_section(user: Any, organisations: list[Any]) -> MineSection | None:
    if not organisations:
        return None
    invoices = list(
        invoices_with_balance(Invoice.objects.filter(organisation__in=organisations)).order_by(
            "organisation__name", "-fiscal_year"
        )
    )
    balances: dict[str, Decimal] = {}
    for invoice in invoices:
        balances[invoice.currency] = balances.get(invoice.currency, Decimal(0)) + (
            invoice.balance  # type: ignore[attr-defined]
        )
    rows = [
        MineRow(
            cells=[
                invoice.number,
                invoice.organisation.name,
                str(invoice.fiscal_year),
                invoice.due_on.isoformat(),
                format_money(invoice.amount, invoice.currency),
                format_money(invoice.paid, invoice.currency),  # type: ignore[attr-defined]
                format_money(invoice.balance, invoice.currency),  # type: ignore[attr-defined]
            ],
            links=[
                (_("Invoice"), reverse("dues:invoice", args=[invoice.number])),
                (_("PDF"), reverse("dues:invoice-pdf", args=[invoice.number])),
            ],
        )
        for invoice in invoices
    ]
    open_text = ", ".join(format_money(v, c) for c, v in sorted(balances.items()) if v) or _("none")
    return MineSection(
        key="invoices",
        title=_("Invoices"),
        columns=[
            _("Number"),
            _("Member"),
            _("Fiscal year"),
            _("Due"),
            _("Amount"),
            _("Paid"),
            _("Balance"),
        ],
        rows=rows,
        empty=_("No invoice has been issued to your member yet."),
        note=_("Open balance: %(amounts)s.") % {"amounts": open_text},
    )


def payments_section(user: Any, organisations: list[Any]) -> MineSection | None:
    if not organisations:
        return None
    payments = (
        Payment.objects.filter(organisation__in=organisations)
        .select_related("organisation", "invoice")
        .order_by("-received_on", "-id")
    )
    rows = [
        MineRow(
            cells=[
                payment.received_on.isoformat(),
                payment.organisation.name,
                format_money(payment.amount, payment.currency),
                payment.invoice.number if payment.invoice else _("on account"),
                payment.receipt_number or "—",
            ],
            links=(
                [(_("Receipt"), reverse("dues:receipt-pdf", args=[payment.receipt_number]))]
                if payment.receipt_number
                else []
            ),
        )
        for payment in payments
    ]
    return MineSection(
        key="payments",
        title=_("Payments"),
        columns=[_("Received"), _("Member"), _("Amount"), _("Invoice"), _("Receipt")],
        rows=rows,
        empty=_("No payment is recorded yet."),
    )
