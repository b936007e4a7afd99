"""The treasurer's pages: the invoice list, arrears, issuing invoices, importing payments."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from urbis.common.actor import actor_required
from urbis.common.imports import upload_read
from urbis.common.models import Region
from urbis.dues.domain.ledger import (
    invoices_issue,
    payments_import,
)
from urbis.dues.queries.arrears import AGEING, arrears, bucket_label, collection_by_year
from urbis.dues.queries.ledger import (
    INVOICE_STATES,
    invoice_list,
    invoice_totals,
    invoices_csv,
)
from urbis.dues.rules import payments as payment_rules
from urbis.dues.views.common import (
    _actor,
    _date,
)
from urbis.members.models import MEMBER_CATEGORIES, Category
from urbis.members.queries import today

PAGE_SIZE = 50


@actor_required("dues.manage_dues")
def invoices(request: HttpRequest) -> HttpResponse:
    """The treasurer's list: search, filters, totals of the filtered set, pages, CSV export."""
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


@actor_required("dues.manage_dues")
def arrears_page(request: HttpRequest) -> HttpResponse:
    """Open balances past due by member and age, and each fiscal year's collection."""
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


@require_POST
@actor_required("dues.manage_dues")
def invoices_issue_view(request: HttpRequest) -> HttpResponse:
    """Issue a fiscal year's invoices in bulk (members that cannot be priced are listed)."""
    try:
        year = payment_rules.parse_fiscal_year(request.POST.get("year", ""), today=today())
    except payment_rules.FieldError as exc:
        messages.error(request, f"Fiscal year: {exc}.")
        return redirect("dues:invoices")
    result = invoices_issue(actor=_actor(request), fiscal_year=year)
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


@require_POST
@actor_required("dues.manage_dues")
def payments_import_view(request: HttpRequest) -> HttpResponse:
    """Import payments from an uploaded CSV: every bad row is listed and nothing is written."""
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Choose a CSV file.")
        return redirect("dues:invoices")
    name, data = upload_read(upload, default_name="payments.csv")
    try:
        result = payments_import(actor=_actor(request), data=data, name=name)
    except ValidationError as exc:
        messages.error(request, f"{name}: {len(exc.messages)} error(s), nothing imported.")
        for message in exc.messages[:50]:
            messages.error(request, f"{name}: {message}")
    else:
        messages.success(request, f"{name}: {result.summary}.")
    return redirect("dues:invoices")
