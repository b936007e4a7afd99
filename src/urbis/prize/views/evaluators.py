"""Pages for evaluators: their assignments, the review workspace, expertise and bids."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from urbis.common.actor import actor_required, request_actor
from urbis.common.inputs import InputError, parse_id
from urbis.prize import domain, queries
from urbis.prize.forms import ConflictForm
from urbis.prize.models import (
    Assignment,
    Bid,
    Round,
)
from urbis.prize.views.public import _edition


@actor_required("prize.use_workspace")
def my_reviews(request: HttpRequest) -> HttpResponse:
    """An evaluator's own assignments (conflicted ones never appear), with progress and
    deadline per round."""
    context = {
        "assignments": queries.assignments_of(request_actor(request).user),
        "progress": queries.review_progress(request_actor(request).user),
    }
    return render(request, "prize/my_reviews.html", context)


def _assignment(request: HttpRequest, pk: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.select_related(
            "round", "round__edition", "application", "application__category", "evaluator"
        ),
        pk=pk,
    )


# The rule, which a superuser passes only through an assignment of their own.
@actor_required("prize.review_assignment", obj=_assignment)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluator's workspace for one assignment: the application and its documents,
    the rubric with each level's meaning, scores and comments, saved as a draft or
    submitted; a conflict can be declared from here."""
    assignment = _assignment(request, pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if "conflict" in request.POST:
            form = ConflictForm(request.POST)
            if form.is_valid():
                domain.conflict_declare(
                    actor=request_actor(request),
                    evaluator=assignment.evaluator,
                    application=assignment.application,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, "Conflict declared; the assignment was removed.")
                return redirect("prize:my_reviews")
            errors = {"reason": ["Say what the conflict is."]}
        else:
            codes = [c.code for c, _ in queries.leaf_criteria(assignment.round.edition)]
            scores = {code: request.POST.get(code, "") for code in codes}
            comments = {code: request.POST.get(f"comment-{code}", "") for code in codes}
            comment = request.POST.get("comment", "")
            try:
                if "draft" in request.POST:
                    domain.review_save_draft(
                        actor=request_actor(request),
                        assignment=assignment,
                        scores=scores,
                        comments=comments,
                        comment=comment,
                    )
                    messages.success(request, "Draft saved; it is not submitted yet.")
                    return redirect("prize:review", pk=pk)
                domain.review_submit(
                    actor=request_actor(request),
                    assignment=assignment,
                    scores=scores,
                    comments=comments,
                    comment=comment,
                )
                messages.success(request, "Review submitted.")
                return redirect("prize:my_reviews")
            except ValidationError as exc:
                errors = exc.message_dict
    workspace = queries.review_workspace(assignment)
    if request.method == "POST" and errors:
        for row in workspace["rubric"]:
            code = row["criterion"].code
            row["value"] = request.POST.get(code, row["value"])
            row["comment"] = request.POST.get(f"comment-{code}", row["comment"])
        workspace["comment"] = request.POST.get("comment", workspace["comment"])
    for row in workspace["rubric"]:
        row["errors"] = errors.get(row["criterion"].code, [])
    context = {
        "assignment": assignment,
        "w": workspace,
        "errors": errors,
        "closed": assignment.round.status == Round.Status.CLOSED,
        "progress": next(
            (
                p
                for p in queries.review_progress(request_actor(request).user)
                if p["round"] == assignment.round.name
            ),
            None,
        ),
    }
    return render(request, "prize/review.html", context)


@actor_required("prize.use_workspace")
def bids(request: HttpRequest, year: int) -> HttpResponse:
    """An evaluator's expertise areas and bids on the edition's applications."""
    edition = _edition(year)
    evaluator = queries.evaluator_for(request_actor(request).user, edition)
    if evaluator is None:
        raise PermissionDenied
    if request.method == "POST":
        raw = {k[4:]: str(v) for k, v in request.POST.items() if k.startswith("bid-")}
        try:
            choices: dict[int, str] = {}
            for key, level in raw.items():
                try:
                    choices[parse_id(key, field=key)] = level
                except InputError:
                    raise ValidationError({key: f"'{key}' is not an application id."}) from None
            domain.bids_save(
                actor=request_actor(request),
                evaluator=evaluator,
                expertise=request.POST.get("expertise", "").split(","),
                bids=choices,
            )
            messages.success(request, "Expertise and bids saved.")
            return redirect("prize:bids", year=year)
        except ValidationError as exc:
            messages.error(
                request, "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            )
    context = {
        "edition": edition,
        "evaluator": evaluator,
        "rows": queries.bidding(evaluator),
        "levels": Bid.Level.choices,
    }
    return render(request, "prize/bids.html", context)
