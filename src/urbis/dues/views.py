"""Dues and review pages. Views parse input, call one query or domain function, and render."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections import Counter

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from urbis.common.actor import actor_required
from urbis.common.models import Region
from urbis.common.pdf import render_pdf
from urbis.dues.domain.ledger import (
    credit_note_issue,
    invoices_issue,
    payment_record,
    payments_import,
)
from urbis.dues.domain.review import (
    review_decision_errors,
    review_flag_record,
    review_proposals_notify,
)
from urbis.dues.domain.statements import statement_import
from urbis.dues.forms import CreditNoteForm, MemberPaymentForm, PaymentForm
from urbis.dues.jobs import review_apply_enqueue
from urbis.dues.models import CreditNote, Invoice, Payment, ReviewFlag
from urbis.dues.queries.arrears import AGEING, arrears, bucket_label, collection_by_year
from urbis.dues.queries.defaults import default_period, default_review_date
from urbis.dues.queries.invoicing import invoicing_policy
from urbis.dues.queries.ledger import (
    INVOICE_STATES,
    InvoiceDocument,
    fee_or_reason,
    invoice_document,
    invoice_list,
    invoice_totals,
    invoices_csv,
    invoices_with_balance,
    ledger,
)
from urbis.dues.queries.review import review_effect_text, review_preview
from urbis.dues.queries.statements import MAX_BYTES, statement_preview
from urbis.dues.rules import payments as payment_rules
from urbis.members.models import MEMBER_CATEGORIES, Category, Organisation
from urbis.members.queries import today
from urbis.members.queries.between_assemblies import (
    BASIS_LABEL,
    between_assemblies_csv,
)
from urbis.members.queries.between_assemblies import (
    between_assemblies as between_assemblies_query,
)


def _date(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _require(request: HttpRequest, perm: str, obj: object = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


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


def ledger_fragment(request: HttpRequest, slug: str) -> HttpResponse:
    """The member page's dues section (htmx): only for the secretariat and its focal points."""
    org = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("dues.view_dues", org):
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


@login_required
def ledger_page(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_object_or_404(Organisation, slug=slug)
    _require(request, "dues.view_dues", org)
    context = _ledger_context(org)
    if request.user.has_perm("dues.manage_dues"):
        context["payment_form"] = _member_payment_form(org)
    return render(request, "dues/ledger.html", context)


@login_required
@require_POST
def ledger_payment(request: HttpRequest, slug: str) -> HttpResponse:
    """Record a payment from the member's dues page: on one of its invoices or on account."""
    org = get_object_or_404(Organisation, slug=slug)
    _require(request, "dues.manage_dues", org)
    form = _member_payment_form(org, request.POST)
    if form.is_valid():
        values = dict(form.cleaned_data)
        number = values.pop("invoice")
        invoice = (
            Invoice.objects.filter(organisation=org, number=number).first() if number else None
        )
        try:
            payment = payment_record(
                actor=request.user, organisation=org, invoice=invoice, **values
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


def _pdf(template: str, context: dict[str, object], filename: str) -> HttpResponse:
    pdf = render_pdf(template, {**context, "policy": invoicing_policy()})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response


@login_required
def invoice_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """The invoice as sent: issuer, bank details, due date, the fee in the member's words."""
    document = invoice_document(number)
    if document is None:
        raise Http404("No such invoice.")
    _require(request, "dues.view_dues", document.invoice.organisation)
    return _pdf("dues/invoice.html", document.context(), f"invoice-{number}")


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
            "can_manage": request.user.has_perm("dues.manage_dues"),
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


def _document_or_404(request: HttpRequest, number: str, perm: str) -> InvoiceDocument:
    document = invoice_document(number)
    if document is None:
        raise Http404("No such invoice.")
    _require(request, perm, document.invoice.organisation)
    return document


@login_required
def invoice_page(request: HttpRequest, number: str) -> HttpResponse:
    """An invoice with its payments, credit notes and documents; staff record payments here."""
    return _invoice_page(request, _document_or_404(request, number, "dues.view_dues"))


def _form_errors(form: forms.Form, exc: ValidationError) -> None:
    for field, problems in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


@login_required
@require_POST
def invoice_payment(request: HttpRequest, number: str) -> HttpResponse:
    """Record a payment on this invoice; a bad field is named and nothing is written."""
    document = _document_or_404(request, number, "dues.manage_dues")
    form = PaymentForm(request.POST, ceiling=invoicing_policy().payment_ceiling, today=today())
    if form.is_valid():
        try:
            payment = payment_record(
                actor=request.user,
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


@login_required
@require_POST
def invoice_credit_note(request: HttpRequest, number: str) -> HttpResponse:
    """Issue a credit note (partial or full) on this invoice, with its reason."""
    document = _document_or_404(request, number, "dues.manage_dues")
    form = CreditNoteForm(request.POST, ceiling=invoicing_policy().payment_ceiling)
    if form.is_valid():
        try:
            note = credit_note_issue(
                actor=request.user, invoice=document.invoice, **form.cleaned_data
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"Credit note {note.number} issued.")
            return redirect("dues:invoice", number=number)
    return _invoice_page(request, document, credit_form=form, status=400)


@login_required
def credit_note_pdf(request: HttpRequest, number: str) -> HttpResponse:
    note = get_object_or_404(CreditNote.objects.select_related("invoice"), number=number)
    document = invoice_document(note.invoice.number)
    assert document is not None  # a credit note's invoice exists (PROTECT)
    _require(request, "dues.view_dues", document.invoice.organisation)
    return _pdf(
        "dues/credit_note.html", {**document.context(), "note": note}, f"credit-note-{number}"
    )


@login_required
def receipt_pdf(request: HttpRequest, number: str) -> HttpResponse:
    payment = get_object_or_404(
        Payment.objects.select_related("organisation", "invoice").exclude(receipt_number=""),
        receipt_number=number,
    )
    _require(request, "dues.view_dues", payment.organisation)
    document = invoice_document(payment.invoice.number) if payment.invoice else None
    invoice = document.invoice if document else None
    return _pdf("dues/receipt.html", {"payment": payment, "invoice": invoice}, f"receipt-{number}")


@login_required
def my_invoices(request: HttpRequest) -> HttpResponse:
    """A focal point's own member(s): invoices and balances."""
    orgs = Organisation.objects.filter(
        contacts__user=request.user, contacts__is_focal_point=True
    ).distinct()
    invoices = invoices_with_balance(Invoice.objects.filter(organisation__in=orgs)).order_by(
        "organisation__name", "-fiscal_year"
    )
    return render(request, "dues/my_invoices.html", {"invoices": invoices})


PAGE_SIZE = 50


@login_required
def invoices(request: HttpRequest) -> HttpResponse:
    """The treasurer's list: search, filters, totals of the filtered set, pages, CSV export."""
    _require(request, "dues.manage_dues")
    params = request.GET
    year_text = params.get("year", "").strip()
    fiscal_year = None
    if year_text:
        try:
            fiscal_year = payment_rules.parse_fiscal_year(year_text, today=today())
        except payment_rules.FieldError as exc:
            messages.error(request, f"Fiscal year: {exc}; showing every year.")
    state = params.get("state", "") if params.get("state", "") in INVOICE_STATES else ""
    category = params.get("category", "") if params.get("category", "") in MEMBER_CATEGORIES else ""
    regions = list(Region.objects.order_by("name"))
    region = (
        params.get("region", "") if params.get("region", "") in {r.code for r in regions} else ""
    )
    search = params.get("q", "")[:100]
    rows = invoice_list(
        fiscal_year=fiscal_year, state=state, category=category, region=region, search=search
    )
    if params.get("format") == "csv":
        response = HttpResponse(invoices_csv(rows), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="invoices.csv"'
        return response
    page = Paginator(rows, PAGE_SIZE).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    return render(
        request,
        "dues/invoices.html",
        {
            "invoices": page.object_list,
            "page": page,
            "query": query.urlencode(),
            "totals": invoice_totals(rows),
            "year": fiscal_year or "",
            "state": state,
            "states": INVOICE_STATES.items(),
            "category": category,
            "categories": [(c.value, c.label) for c in Category if c.value in MEMBER_CATEGORIES],
            "region": region,
            "regions": regions,
            "q": search,
        },
    )


@login_required
def arrears_page(request: HttpRequest) -> HttpResponse:
    """Open balances past due by member and age, and each fiscal year's collection."""
    _require(request, "dues.manage_dues")
    as_of = _date(request.GET.get("as_of"), today())
    return render(
        request,
        "dues/arrears.html",
        {
            "as_of": as_of,
            "rows": arrears(as_of=as_of),
            "buckets": [bucket_label(low, high) for low, high in AGEING],
            "years": collection_by_year(),
        },
    )


@login_required
@require_POST
def invoices_issue_view(request: HttpRequest) -> HttpResponse:
    """Issue a fiscal year's invoices in bulk (members that cannot be priced are listed)."""
    _require(request, "dues.manage_dues")
    try:
        year = payment_rules.parse_fiscal_year(request.POST.get("year", ""), today=today())
    except payment_rules.FieldError as exc:
        messages.error(request, f"Fiscal year: {exc}.")
        return redirect("dues:invoices")
    result = invoices_issue(actor=request.user, fiscal_year=year)
    messages.success(request, result.summary)
    for _org, reason in result.skipped[:20]:
        messages.error(request, f"Not priced: {reason}")
    if len(result.skipped) > 20:
        messages.error(
            request,
            f"… and {len(result.skipped) - 20} more not priced (run `urbis issue_invoices`"
            f" --year {year} for the whole list).",
        )
    return redirect(f"{reverse('dues:invoices')}?year={year}")


@login_required
@require_POST
def payments_import_view(request: HttpRequest) -> HttpResponse:
    """Import payments from an uploaded CSV: every bad row is listed and nothing is written."""
    _require(request, "dues.manage_dues")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Choose a CSV file.")
        return redirect("dues:invoices")
    try:
        result = payments_import(actor=request.user, data=upload.read(), name=upload.name or "")
    except ValidationError as exc:
        messages.error(request, f"{upload.name}: {len(exc.messages)} error(s), nothing imported.")
        for message in exc.messages[:50]:
            messages.error(request, f"{upload.name}: {message}")
    else:
        messages.success(request, f"{upload.name}: {result.summary}.")
    return redirect("dues:invoices")


@login_required
def review(request: HttpRequest) -> HttpResponse:
    """The status review preview; the secretariat approves it under a decision reference."""
    _require(request, "dues.view_review")
    as_of = _date(request.GET.get("as_of"), default_review_date())
    try:
        preview = review_preview(as_of=as_of)
    except ValidationError as exc:
        messages.error(request, f"{as_of.isoformat()}: " + "; ".join(exc.messages))
        as_of = default_review_date()
        preview = review_preview(as_of=as_of)
    return render(
        request,
        "dues/review.html",
        {
            "preview": preview,
            "as_of": as_of,
            "select_all": request.GET.get("select") == "all",
            "can_apply": request.user.has_perm("dues.apply_review"),
            "flag_codes": ReviewFlag.Code.choices,
            "members": Organisation.objects.filter(category__in=MEMBER_CATEGORIES).only(
                "slug", "name"
            ),
            "open_flags": ReviewFlag.objects.filter(resolved_on__isnull=True).select_related(
                "organisation"
            ),
        },
    )


@login_required
@require_POST
def review_confirm(request: HttpRequest) -> HttpResponse:
    """Before anything is applied: the selected proposals and what applying them does."""
    _require(request, "dues.apply_review")
    as_of = _date(request.POST.get("as_of"), default_review_date())
    decided_on = _date(request.POST.get("decided_on"), as_of)
    url = f"{reverse('dues:review')}?as_of={as_of.isoformat()}"
    chosen = _ids(request, request.POST.getlist("approve"))
    if chosen is None:
        return redirect(url)
    try:
        preview = review_preview(as_of=as_of)
    except ValidationError as exc:
        messages.error(request, "Nothing was applied: " + "; ".join(exc.messages))
        return redirect(url)
    selected = [p for p in preview.new if p.organisation_id in chosen]
    decision_ref = request.POST.get("decision_ref", "").strip()
    errors = review_decision_errors(as_of=as_of, decision_ref=decision_ref, decided_on=decided_on)
    if not selected:
        errors["approve"] = "Select at least one proposal to approve."
    if errors:
        messages.error(request, "Nothing was applied: " + "; ".join(errors.values()))
        return redirect(url)
    effect = Counter(str(p.propose) for p in selected)
    return render(
        request,
        "dues/review_confirm.html",
        {
            "selected": selected,
            "effect": sorted(effect.items()),
            "as_of": as_of,
            "decided_on": decided_on,
            "decision_ref": decision_ref,
            "confirm_text": (
                f"{review_effect_text(selected, on=decided_on)} Decision: {decision_ref}."
            ),
        },
    )


@login_required
@require_POST
def review_notify(request: HttpRequest) -> HttpResponse:
    """Tell the members concerned what the review proposes for them, before the decision."""
    _require(request, "dues.apply_review")
    as_of = _date(request.POST.get("as_of"), default_review_date())
    try:
        told = review_proposals_notify(actor=request.user, as_of=as_of)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, f"{told} member(s) told of the proposal concerning them.")
    return redirect(f"{reverse('dues:review')}?as_of={as_of.isoformat()}")


@login_required
@require_POST
def review_approve(request: HttpRequest) -> HttpResponse:
    """Queue the approved transitions for the task worker; the job's page follows them."""
    _require(request, "dues.apply_review")
    as_of = _date(request.POST.get("as_of"), default_review_date())
    decided_on = _date(request.POST.get("decided_on"), as_of)
    url = f"{reverse('dues:review')}?as_of={as_of.isoformat()}"
    ids = _ids(request, request.POST.getlist("approve"))
    if ids is None:
        return redirect(url)
    approved = sorted(ids)
    try:
        job = review_apply_enqueue(
            actor=request.user,
            as_of=as_of,
            decision_ref=request.POST.get("decision_ref", ""),
            decided_on=decided_on,
            approved=approved,
        )
    except ValidationError as exc:
        messages.error(request, "Nothing was applied: " + "; ".join(exc.messages))
        return redirect(url)
    return redirect("common:job_detail", job_id=job.pk)


@login_required
@require_POST
def review_flag(request: HttpRequest) -> HttpResponse:
    """Note a manual review reason (e.g. the entity no longer exists) for a member."""
    _require(request, "dues.apply_review")
    org = get_object_or_404(Organisation, slug=request.POST.get("organisation", ""))
    try:
        review_flag_record(
            actor=request.user,
            organisation=org,
            code=request.POST.get("code", ""),
            noted_on=_date(request.POST.get("noted_on"), today()),
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, f"Flag noted for {org.name}.")
    return redirect(f"{reverse('dues:review')}?as_of={request.POST.get('as_of', '')}")


def between_assemblies(request: HttpRequest) -> HttpResponse:
    """Membership changes between two assemblies (memorandum Annex 1): HTML or CSV."""
    period = default_period()
    start = _date(request.GET.get("start"), period[0])
    end = _date(request.GET.get("end"), period[1])
    basis = request.GET.get("basis", "approval")
    if basis not in BASIS_LABEL:
        basis = "approval"
    report = between_assemblies_query(start=start, end=end, basis=basis)  # type: ignore[arg-type]
    if request.GET.get("format") == "csv":
        response = HttpResponse(between_assemblies_csv(report), content_type="text/csv")
        response["Content-Disposition"] = (
            f'attachment; filename="membership-changes-{start}-{end}.csv"'
        )
        return response
    return render(
        request,
        "dues/between_assemblies.html",
        {"report": report, "bases": BASIS_LABEL.items()},
    )


@actor_required("dues.manage_dues")
def statement_page(request: HttpRequest) -> HttpResponse:
    """A bank statement (CSV or XLSX): upload, see the matches, then confirm. The preview
    names matched, unmatched, ambiguous and malformed rows; nothing is written before the
    treasurer confirms, and the confirmation sends the same file back (kept in the form)."""
    context: dict[str, object] = {"max_kb": MAX_BYTES // 1024}
    if request.method != "POST":
        return render(request, "dues/statement.html", context)
    upload = request.FILES.get("file")
    if upload is not None:
        name, data = upload.name or "statement.csv", upload.read(MAX_BYTES + 1)
    else:
        name = request.POST.get("name", "")[:200]
        try:
            data = base64.b64decode(request.POST.get("data", ""), validate=True)
        except binascii.Error:
            data = b""
        if not data:
            messages.error(request, "Choose a statement file (CSV or XLSX).")
            return render(request, "dues/statement.html", context, status=400)
    if request.POST.get("confirm") and upload is None:
        try:
            result = statement_import(data=data, name=name, actor=request.actor)  # type: ignore[attr-defined]
        except ValidationError as exc:
            messages.error(request, f"{name}: nothing was imported.")
            for problem in exc.messages[:50]:
                messages.error(request, f"{name}: {problem}")
            return redirect("dues:statement")
        messages.success(request, f"{name}: {result.summary}.")
        return render(
            request, "dues/statement.html", {**context, "preview": result.preview, "done": True}
        )
    preview = statement_preview(data, name=name)
    return render(
        request,
        "dues/statement.html",
        {
            **context,
            "preview": preview,
            "name": name,
            "data": base64.b64encode(data).decode("ascii"),
        },
        status=200 if not preview.errors else 400,
    )
