"""Pages for the secretariat and EXCOM: an edition's management, rounds, conflicts and the
ceremony run-sheet."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from urbis.common.actor import actor_required, request_actor
from urbis.common.inputs import InputError, parse_id, parse_int
from urbis.common.pdf import render_pdf
from urbis.prize import domain, queries, rules
from urbis.prize.models import (
    Conflict,
    Edition,
    Round,
)
from urbis.prize.views.public import _edition


@actor_required("prize.manage_edition")
def run_sheet(request: HttpRequest, year: int) -> HttpResponse:
    """The ceremony run-sheet: awards in order with presenters and recipients."""
    edition = _edition(year)
    context = {"edition": edition, "sheet": queries.run_sheet(edition)}
    if request.GET.get("format") == "pdf":
        pdf = render_pdf("prize/run_sheet_pdf.html", context)
        return HttpResponse(pdf, content_type="application/pdf")
    return render(request, "prize/run_sheet.html", context)


@actor_required("prize.view_all_applications")
def round_view(request: HttpRequest, year: int, number: int) -> HttpResponse:
    """Ranking, agreement and the sensitivity of the ranking to the aggregation; the
    secretariat changes the edition's settings from here (EXCOM reads only)."""
    round_ = get_object_or_404(
        Round.objects.select_related("edition"), edition__year=year, number=number
    )
    if request.method == "POST":
        try:
            request_actor(request).require("prize.manage_edition")
            if "agreement_level" in request.POST:
                domain.edition_settings_set(
                    actor=request_actor(request),
                    edition=round_.edition,
                    agreement_level=request.POST["agreement_level"],
                )
                messages.success(request, "Level of measurement changed.")
            else:
                domain.edition_settings_set(
                    actor=request_actor(request),
                    edition=round_.edition,
                    aggregation=request.POST.get("aggregation", ""),
                )
                messages.success(request, "Aggregation changed.")
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        except PermissionDenied:
            messages.error(request, "Only the secretariat may change the edition's settings.")
        return redirect("prize:round", year=year, number=number)
    context = {
        "round": round_,
        "edition": round_.edition,
        "sensitivity": queries.sensitivity(round_),
        "agreement": queries.agreement_table(round_),
        "levels": rules.AGREEMENT_LEVELS,
    }
    return render(request, "prize/round.html", context)


@actor_required("prize.manage_edition")
def conflicts(request: HttpRequest, year: int) -> HttpResponse:
    """Staff: the edition's conflicts; an automatic one can be waived with a reason."""
    edition = _edition(year)
    if request.method == "POST":
        raw = request.POST.get("conflict", "")
        try:
            pk = parse_id(raw, field="conflict")
        except InputError:
            pk = None
        conflict = (
            Conflict.objects.filter(pk=pk, evaluator__edition=edition).first()
            if pk is not None
            else None
        )
        if conflict is None:
            messages.error(request, f"conflict: '{raw}' is not a conflict of this edition.")
        else:
            try:
                domain.conflict_waive(
                    actor=request_actor(request),
                    conflict=conflict,
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, "Conflict waived.")
            except ValidationError as exc:
                messages.error(request, "; ".join(exc.messages))
        return redirect("prize:conflicts", year=year)
    page = Paginator(queries.conflicts_of(edition), 100).get_page(request.GET.get("page"))
    return render(request, "prize/conflicts.html", {"edition": edition, "page": page})


MAX_ROUND = 32767  # a PositiveSmallIntegerField

MANAGE_ACTIONS = {
    "publish_call": "Call for applications published: the members' focal points receive it.",
    "detect_conflicts": "Conflicts detected.",
    "open_round": "Round opened.",
    "assign": "Evaluators assigned.",
    "allocate_awards": "Awards allocated.",
    "publish": "Results published.",
    "withdraw": "Results withdrawn from the public pages.",
}


def _round_number(request: HttpRequest) -> int | None:
    """The round named by the form, as a number; a clear error when it is not one."""
    raw = request.POST.get("round", "").strip()
    if not raw:
        return None
    try:
        return parse_int(raw, field="round", min=0, max=MAX_ROUND)
    except InputError:
        raise ValidationError({"round": f"'{raw}' is not a round number."}) from None


def _manage_action(request: HttpRequest, edition: Edition, action: str) -> None:
    """Call the one domain function the staff's button names."""
    round_ = None
    if (number := _round_number(request)) is not None:
        round_ = Round.objects.filter(edition=edition, number=number).first()
        if round_ is None:
            raise ValidationError({"round": f"{edition.name} has no round {number}."})
    if action == "publish_call":
        domain.call_publish(actor=request_actor(request), edition=edition)
    elif action == "detect_conflicts":
        domain.conflicts_detect(actor=request_actor(request), edition=edition)
    elif action == "open_round" and round_:
        domain.round_open(actor=request_actor(request), round_=round_)
    elif action == "assign" and round_:
        domain.assignments_generate(actor=request_actor(request), round_=round_)
    elif action == "allocate_awards":
        domain.awards_allocate(actor=request_actor(request), edition=edition)
    elif action == "publish":
        domain.results_publish(
            actor=request_actor(request),
            edition=edition,
            confirm=request.POST.get("confirm") == "yes",
        )
    elif action == "withdraw":
        domain.results_withdraw(
            actor=request_actor(request), edition=edition, reason=request.POST.get("reason", "")
        )
    else:
        raise ValidationError({"action": f"Unknown action '{action}'."})


@actor_required("prize.manage_edition")
def round_close(request: HttpRequest, year: int, number: int) -> HttpResponse:
    """Close a round: first what is missing (reviews not done, per application and
    evaluator); closing with reviews missing needs a reason."""
    round_ = get_object_or_404(
        Round.objects.select_related("edition"), edition__year=year, number=number
    )
    error = ""
    if request.method == "POST":
        try:
            outcome = domain.round_close(
                actor=request_actor(request),
                round_=round_,
                force_reason=request.POST.get("force_reason", ""),
            )
            messages.success(
                request,
                f"{round_.name} closed; {outcome['advanced']} application(s) advance."
                + (
                    f" Closed with {outcome['missing']} review(s) missing."
                    if outcome["missing"]
                    else ""
                ),
            )
            return redirect("prize:manage", year=year)
        except ValidationError as exc:
            error = "; ".join(exc.messages)
    context = {
        "round": round_,
        "edition": round_.edition,
        "missing": queries.round_missing(round_) if round_.status == Round.Status.OPEN else [],
        "applications": queries.round_applications(round_).count(),
        "error": error,
    }
    return render(request, "prize/round_close.html", context)


@actor_required("prize.manage_edition")
def manage(request: HttpRequest, year: int) -> HttpResponse:
    """Staff page of an edition: conflicts, rounds (open, assign, close), awards."""
    edition = _edition(year)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            _manage_action(request, edition, action)
            messages.success(request, MANAGE_ACTIONS.get(action, "Done."))
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        return redirect("prize:manage", year=year)
    context = {
        "edition": edition,
        "awards_missing": queries.awards_missing(edition),
        **queries.edition_overview(edition),
    }
    return render(request, "prize/manage.html", context)
