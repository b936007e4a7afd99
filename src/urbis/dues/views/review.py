"""The membership status review and the between-assemblies tables."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from urbis.common.actor import actor_required
from urbis.dues.domain.review import (
    review_decision_errors,
    review_flag_record,
    review_proposals_notify,
)
from urbis.dues.jobs import review_apply_enqueue
from urbis.dues.models import ReviewFlag
from urbis.dues.queries.defaults import default_period, default_review_date
from urbis.dues.queries.review import review_effect_text, review_preview
from urbis.dues.views.common import (
    _actor,
    _date,
    _ids,
)
from urbis.members.models import MEMBER_CATEGORIES, Organisation
from urbis.members.queries import today
from urbis.members.queries.between_assemblies import (
    BASIS_LABEL,
    between_assemblies_csv,
)
from urbis.members.queries.between_assemblies import (
    between_assemblies as between_assemblies_query,
)


@actor_required("dues.view_review")
def review(request: HttpRequest) -> HttpResponse:
    """The status review preview; the secretariat approves it under a decision reference."""
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
            "can_apply": _actor(request).has_perm("dues.apply_review"),
            "flag_codes": ReviewFlag.Code.choices,
            "members": Organisation.objects.filter(category__in=MEMBER_CATEGORIES).only(
                "slug", "name"
            ),
            "open_flags": ReviewFlag.objects.filter(resolved_on__isnull=True).select_related(
                "organisation"
            ),
        },
    )


@require_POST
@actor_required("dues.apply_review")
def review_confirm(request: HttpRequest) -> HttpResponse:
    """Before anything is applied: the selected proposals and what applying them does."""
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


@require_POST
@actor_required("dues.apply_review")
def review_notify(request: HttpRequest) -> HttpResponse:
    """Tell the members concerned what the review proposes for them, before the decision."""
    as_of = _date(request.POST.get("as_of"), default_review_date())
    try:
        told = review_proposals_notify(actor=_actor(request), as_of=as_of)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, f"{told} member(s) told of the proposal concerning them.")
    return redirect(f"{reverse('dues:review')}?as_of={as_of.isoformat()}")


@require_POST
@actor_required("dues.apply_review")
def review_approve(request: HttpRequest) -> HttpResponse:
    """Queue the approved transitions for the task worker; the job's page follows them."""
    as_of = _date(request.POST.get("as_of"), default_review_date())
    decided_on = _date(request.POST.get("decided_on"), as_of)
    url = f"{reverse('dues:review')}?as_of={as_of.isoformat()}"
    ids = _ids(request, request.POST.getlist("approve"))
    if ids is None:
        return redirect(url)
    approved = sorted(ids)
    try:
        job = review_apply_enqueue(
            actor=_actor(request),
            as_of=as_of,
            decision_ref=request.POST.get("decision_ref", ""),
            decided_on=decided_on,
            approved=approved,
        )
    except ValidationError as exc:
        messages.error(request, "Nothing was applied: " + "; ".join(exc.messages))
        return redirect(url)
    return redirect("common:job_detail", job_id=job.pk)


@require_POST
@actor_required("dues.apply_review")
def review_flag(request: HttpRequest) -> HttpResponse:
    """Note a manual review reason (e.g. the entity no longer exists) for a member."""
    org = get_object_or_404(Organisation, slug=request.POST.get("organisation", ""))
    try:
        review_flag_record(
            actor=_actor(request),
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
