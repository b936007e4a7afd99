"""A member's dues: its ledger, invoices, credit notes, receipts, and a focal point's list."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from urbis.common.actor import actor_required
from urbis.dues.domain.ledger import (
    credit_note_issue,
    payment_record,
)
from urbis.dues.forms import CreditNoteForm, MemberPaymentForm, PaymentForm
from urbis.dues.models import Invoice
from urbis.dues.queries.invoicing import invoicing_policy
from urbis.dues.queries.ledger import (
    InvoiceDocument,
    fee_or_reason,
    invoice_document,
    invoices_with_balance,
    ledger,
)
from urbis.dues.views.common import (
    _actor,
    _credit_note,
    _credit_note_member,
    _document,
    _form_errors,
    _invoice_member,
    _may,
    _organisation_of,
    _pdf,
    _receipt,
    _receipt_member,
)
from urbis.members.models import Organisation
from urbis.members.queries import today


def ledger_fragment(request: HttpRequest, slug: str) -> HttpResponse:
    """The member page's dues section (htmx): only for the secretariat and its focal points."""
    org = get_object_or_404(Organisation, slug=slug)
    if not _may(request, "dues.view_dues", org):
        return HttpResponse("")
    return render(request, "dues/_ledger.html", _ledger_context(org))


def _ledger_context(org: Organisation) -> dict[str, object]:
    on = today()
    return {"book": ledger(org, as_of=on), "fee": fee_or_reason(org, on.year), "year": on.year}


def _member_payment_form(
    org: Organisation, data: object = None, *, on: dt.date | None = None
) -> MemberPaymentForm:
    on = on or today()
    invoices = [
        (i.number, f"{i.number} (fiscal year {i.fiscal_year})")
        for i in Invoice.objects.filter(organisation=org).order_by("-fiscal_year")
    ]
    return MemberPaymentForm(
        data,  # type: ignore[arg-type]
        invoices=invoices,
        ceiling=invoicing_policy().payment_ceiling,
        today=on,
        initial={
            "received_on": on,
            "currency": "USD",
            "invoice": invoices[0][0] if invoices else "",
        },
    )


@actor_required("dues.view_dues", obj=_organisation_of)
def ledger_page(request: HttpRequest, slug: str) -> HttpResponse:
    org = _organisation_of(request, slug)
    context = _ledger_context(org)
    if _actor(request).has_perm("dues.manage_dues"):
        context["payment_form"] = _member_payment_form(org)
    return render(request, "dues/ledger.html", context)


@require_POST
@actor_required("dues.manage_dues", obj=_organisation_of)
def ledger_payment(request: HttpRequest, slug: str) -> HttpResponse:
    """Record a payment from the member's dues page: on one of its invoices or on account."""
    org = _organisation_of(request, slug)
    form = _member_payment_form(org, request.POST)
    if form.is_valid():
        values = dict(form.cleaned_data)
        number = values.pop("invoice")
        invoice = (
            Invoice.objects.filter(organisation=org, number=number).first() if number else None
        )
        try:
            payment = payment_record(
                actor=_actor(request), organisation=org, invoice=invoice, **values
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, f"Payment recorded; receipt {payment.receipt_number} is ready."
            )
            return redirect("dues:ledger", slug=org.slug)
    status = 409 if form.has_error("reference") else 400
    context = {**_ledger_context(org), "payment_form": form}
    return render(request, "dues/ledger.html", context, status=status)


@actor_required("dues.view_dues", obj=_invoice_member)
def invoice_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """The invoice as sent: issuer, bank details, due date, the fee in the member's words."""
    document = _document(request, number)
    return _pdf(request, "dues/invoice.html", document.context(), f"invoice-{number}")


def _invoice_page(
    request: HttpRequest,
    document: InvoiceDocument,
    *,
    payment_form: PaymentForm | None = None,
    credit_form: CreditNoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    policy = invoicing_policy()
    on = today()
    return render(
        request,
        "dues/invoice_page.html",
        {
            **document.context(),
            "can_manage": _may(request, "dues.manage_dues"),
            "payment_form": payment_form
            or PaymentForm(
                ceiling=policy.payment_ceiling,
                today=on,
                initial={
                    "received_on": on,
                    "currency": document.invoice.currency,
                    "reference": document.invoice.number,
                },
            ),
            "credit_form": credit_form
            or CreditNoteForm(ceiling=policy.payment_ceiling, initial={"issued_on": on}),
        },
        status=status,
    )


@actor_required("dues.view_dues", obj=_invoice_member)
def invoice_page(request: HttpRequest, number: str) -> HttpResponse:
    """An invoice with its payments, credit notes and documents; staff record payments here."""
    return _invoice_page(request, _document(request, number))


@require_POST
@actor_required("dues.manage_dues", obj=_invoice_member)
def invoice_payment(request: HttpRequest, number: str) -> HttpResponse:
    """Record a payment on this invoice; a bad field is named and nothing is written."""
    document = _document(request, number)
    form = PaymentForm(request.POST, ceiling=invoicing_policy().payment_ceiling, today=today())
    if form.is_valid():
        try:
            payment = payment_record(
                actor=_actor(request),
                organisation=document.invoice.organisation,
                invoice=document.invoice,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, f"Payment recorded; receipt {payment.receipt_number} is ready."
            )
            return redirect("dues:invoice", number=number)
    status = 409 if form.has_error("reference") else 400
    return _invoice_page(request, document, payment_form=form, status=status)


@require_POST
@actor_required("dues.manage_dues", obj=_invoice_member)
def invoice_credit_note(request: HttpRequest, number: str) -> HttpResponse:
    """Issue a credit note (partial or full) on this invoice, with its reason."""
    document = _document(request, number)
    form = CreditNoteForm(request.POST, ceiling=invoicing_policy().payment_ceiling)
    if form.is_valid():
        try:
            note = credit_note_issue(
                actor=_actor(request), invoice=document.invoice, **form.cleaned_data
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"Credit note {note.number} issued.")
            return redirect("dues:invoice", number=number)
    return _invoice_page(request, document, credit_form=form, status=400)


@actor_required("dues.view_dues", obj=_credit_note_member)
def credit_note_pdf(request: HttpRequest, number: str) -> HttpResponse:
    note = _credit_note(request, number)
    document = invoice_document(note.invoice.number)
    assert document is not None  # a credit note's invoice exists (PROTECT)
    return _pdf(
        request,
        "dues/credit_note.html",
        {**document.context(), "note": note},
        f"credit-note-{number}",
    )


@actor_required("dues.view_dues", obj=_receipt_member)
def receipt_pdf(request: HttpRequest, number: str) -> HttpResponse:
    payment = _receipt(request, number)
    document = invoice_document(payment.invoice.number) if payment.invoice else None
    invoice = document.invoice if document else None
    return _pdf(
        request, "dues/receipt.html", {"payment": payment, "invoice": invoice}, f"receipt-{number}"
    )


@actor_required("dues.view_mine")
def my_invoices(request: HttpRequest) -> HttpResponse:
    """A focal point's own member(s): invoices and balances."""
    orgs = Organisation.objects.filter(
        contacts__user=_actor(request).user, contacts__is_focal_point=True
    ).distinct()
    invoices = invoices_with_balance(Invoice.objects.filter(organisation__in=orgs)).order_by(
        "organisation__name", "-fiscal_year"
    )
    return render(request, "dues/my_invoices.html", {"invoices": invoices})
