"""What the dues pages share: the actor, the objects a rule is checked on, dates, PDFs."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation

from urbis.common.actor import Actor, actor_of
from urbis.common.inputs import InputError, optional, parse_date
from urbis.dues.models import CreditNote, Payment
from urbis.dues.pdf import document_pdf
from urbis.dues.queries.ledger import (
    InvoiceDocument,
    invoice_document,
)
from urbis.members.models import Organisation


def _date(value: str | None, default: dt.date) -> dt.date:
    """A date of the query or form, or `default` when it is missing or not a date. Any
    date is read: the domain words why a date is out of its range."""
    try:
        return (
            optional(parse_date, value, field="date", min=dt.date.min, max=dt.date.max) or default
        )
    except InputError:
        return default


def _actor(request: HttpRequest) -> Actor:
    """The actor `@actor_required` resolved and authorised."""
    actor = actor_of(request)
    assert actor is not None
    return actor


def _may(request: HttpRequest, perm: str, obj: object = None) -> bool:
    """Whether the caller (if any) holds `perm`: what a page shows, not who may open it."""
    actor = actor_of(request)
    return actor is not None and actor.has_perm(perm, obj)


def _organisation_of(request: HttpRequest, slug: str, **_: object) -> Organisation:
    """The member named by the URL (404 if none), read once for the rule and the view."""
    cached = getattr(request, "urbis_organisation", None)
    if not isinstance(cached, Organisation) or cached.slug != slug:
        cached = get_object_or_404(Organisation, slug=slug)
        request.urbis_organisation = cached  # type: ignore[attr-defined]
    return cached


def _document(request: HttpRequest, number: str) -> InvoiceDocument:
    """The invoice named by the URL (404 if none), read once for the rule and the view."""
    cached = getattr(request, "urbis_invoice_document", None)
    if not isinstance(cached, InvoiceDocument) or cached.invoice.number != number:
        cached = invoice_document(number)
        if cached is None:
            raise Http404("No such invoice.")
        request.urbis_invoice_document = cached  # type: ignore[attr-defined]
    return cached


def _invoice_member(request: HttpRequest, number: str, **_: object) -> Organisation:
    """The member whose invoice the URL names: what the dues rules are checked on."""
    return _document(request, number).invoice.organisation


def _credit_note(request: HttpRequest, number: str) -> CreditNote:
    return get_object_or_404(CreditNote.objects.select_related("invoice"), number=number)


def _credit_note_member(request: HttpRequest, number: str, **_: object) -> Organisation:
    return _credit_note(request, number).invoice.organisation


def _receipt(request: HttpRequest, number: str) -> Payment:
    return get_object_or_404(
        Payment.objects.select_related("organisation", "invoice").exclude(receipt_number=""),
        receipt_number=number,
    )


def _receipt_member(request: HttpRequest, number: str, **_: object) -> Organisation:
    return _receipt(request, number).organisation


def _ids(request: HttpRequest, values: list[str]) -> set[int] | None:
    """Member ids posted by the review form; None (with the error said) if one is not an id:
    "¹" is a digit to str.isdigit() but not an id, and nothing is applied on a bad value."""
    bad = [v for v in values if not (v.isascii() and v.isdigit() and 0 < len(v) <= 18)]
    if bad:
        messages.error(
            request, f"Nothing was applied: approve: '{bad[0][:20]}' is not a member id."
        )
        return None
    return {int(v) for v in values}


def _pdf(
    request: HttpRequest, template: str, context: dict[str, object], filename: str
) -> HttpResponse:
    """A dues document in the request's language (the page's, chosen in the switcher)."""
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
    pdf = document_pdf(template, context, language=language or settings.LANGUAGE_CODE)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response


def _form_errors(form: forms.Form, exc: ValidationError) -> None:
    for field, problems in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)
