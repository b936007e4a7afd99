"""Dues and review pages. Views parse input, call one query or domain function, and render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from urbis.common.pdf import render_pdf
from urbis.dues.domain.ledger import invoices_issue, payments_import
from urbis.dues.domain.review import review_flag_record
from urbis.dues.jobs import review_apply_enqueue
from urbis.dues.models import Invoice, ReviewFlag
from urbis.dues.queries.ledger import (
    fee_or_reason,
    invoice_list,
    invoices_with_balance,
    ledger,
)
from urbis.dues.queries.review import review_preview
from urbis.members.models import MEMBER_CATEGORIES, Organisation
from urbis.members.queries import today
from urbis.members.queries.between_assemblies import (
    BASIS_LABEL,
    between_assemblies_csv,
)
from urbis.members.queries.between_assemblies import (
    between_assemblies as between_assemblies_query,
)

# The 5th General Assembly (Seoul, October 2021) to the 6th (26 September 2023).
DEFAULT_PERIOD = (dt.date(2021, 10, 1), dt.date(2023, 9, 26))
DEFAULT_REVIEW_DATE = dt.date(2023, 9, 1)


def _date(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _require(request: HttpRequest, perm: str, obj: object = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def ledger_fragment(request: HttpRequest, slug: str) -> HttpResponse:
    """The member page's dues section (htmx): only for the secretariat and its focal points."""
    org = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("dues.view_dues", org):
        return HttpResponse("")
    return render(request, "dues/_ledger.html", _ledger_context(org))


def _ledger_context(org: Organisation) -> dict[str, object]:
    on = today()
    return {"book": ledger(org, as_of=on), "fee": fee_or_reason(org, on.year), "year": on.year}


@login_required
def ledger_page(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_object_or_404(Organisation, slug=slug)
    _require(request, "dues.view_dues", org)
    return render(request, "dues/ledger.html", _ledger_context(org))


@login_required
def invoice_pdf(request: HttpRequest, number: str) -> HttpResponse:
    invoice = get_object_or_404(invoices_with_balance(), number=number)
    _require(request, "dues.view_dues", invoice.organisation)
    pdf = render_pdf("dues/invoice.html", {"invoice": invoice})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="invoice-{invoice.number}.pdf"'
    return response


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


@login_required
def invoices(request: HttpRequest) -> HttpResponse:
    _require(request, "dues.manage_dues")
    year = request.GET.get("year", "")
    rows = invoice_list(fiscal_year=int(year) if year.isdigit() else None)
    return render(request, "dues/invoices.html", {"invoices": rows, "year": year})


@login_required
@require_POST
def invoices_issue_view(request: HttpRequest) -> HttpResponse:
    """Issue a fiscal year's invoices in bulk (members that cannot be priced are listed)."""
    _require(request, "dues.manage_dues")
    year = request.POST.get("year", "")
    if not year.isdigit():
        messages.error(request, "Fiscal year: a year is required.")
        return redirect("dues:invoices")
    result = invoices_issue(actor=request.user, fiscal_year=int(year))
    messages.success(request, result.summary)
    for _org, reason in result.skipped[:20]:
        messages.error(request, f"Not priced: {reason}")
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
        text = upload.read().decode("utf-8")
        result = payments_import(actor=request.user, text=text)
    except UnicodeDecodeError:
        messages.error(request, f"{upload.name}: not UTF-8 text; nothing was imported.")
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
    as_of = _date(request.GET.get("as_of"), DEFAULT_REVIEW_DATE)
    try:
        preview = review_preview(as_of=as_of)
    except ValidationError as exc:
        messages.error(request, f"{as_of.isoformat()}: " + "; ".join(exc.messages))
        as_of = DEFAULT_REVIEW_DATE
        preview = review_preview(as_of=as_of)
    return render(
        request,
        "dues/review.html",
        {
            "preview": preview,
            "as_of": as_of,
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
def review_approve(request: HttpRequest) -> HttpResponse:
    """Queue the approved transitions for the task worker; the job's page follows them."""
    _require(request, "dues.apply_review")
    as_of = _date(request.POST.get("as_of"), DEFAULT_REVIEW_DATE)
    decided_on = _date(request.POST.get("decided_on"), as_of)
    approved = [int(pk) for pk in request.POST.getlist("approve") if pk.isdigit()]
    url = f"{reverse('dues:review')}?as_of={as_of.isoformat()}"
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
    start = _date(request.GET.get("start"), DEFAULT_PERIOD[0])
    end = _date(request.GET.get("end"), DEFAULT_PERIOD[1])
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
