"""Writes for reviews: an evaluator's draft and submitted scores, refused in a closed round
(Rules §7)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from urbis.common.actor import Actor
from urbis.common.audit import audit_record
from urbis.prize import queries, rules
from urbis.prize.domain.rounds import RoundClosed
from urbis.prize.models import (
    Assignment,
    Edition,
    Round,
    Score,
)


def _review_target(actor: Actor, assignment: Assignment) -> tuple[Assignment, Round]:
    """The assignment locked for a write by its evaluator, in an open round."""
    a = Assignment.objects.select_related("round", "round__edition", "evaluator").get(
        pk=assignment.pk
    )
    r = Round.objects.select_for_update().get(pk=a.round_id)
    # The edge checks the rule `prize.review_assignment` (evaluator, no conflict); the
    # domain keeps its own invariant: a review is given in its evaluator's name only, so not
    # even a superuser or the system scores for someone else.
    if a.evaluator.user_id is None or a.evaluator.user_id != actor.user_id:
        raise PermissionDenied("This assignment is not yours to score.")
    if error := rules.round_write_error(round_number=r.number, status=r.status):
        raise RoundClosed({"round": error})
    return a, r


def _parse_scores(
    edition: Edition, scores: Mapping[str, Any], *, complete: bool
) -> tuple[dict[Any, int], dict[str, str]]:
    """Leaf criterion -> whole-number score on the edition's scale, and the errors by
    criterion code. `complete`: every leaf needs a score (a submission; a draft may
    leave some empty)."""
    leaves = queries.leaf_criteria(edition)
    errors: dict[str, str] = {}
    values: dict[Any, int] = {}
    for criterion, _ in leaves:
        raw = scores.get(criterion.code)
        empty = raw is None or str(raw).strip() == ""
        try:
            value = None if empty else int(str(raw))
        except (TypeError, ValueError):
            errors[criterion.code] = "A whole-number score is required."
            continue
        if value is None:
            if complete:
                errors[criterion.code] = "A whole-number score is required."
        elif not edition.scale_min <= value <= edition.scale_max:
            errors[criterion.code] = f"Scores run from {edition.scale_min} to {edition.scale_max}."
        else:
            values[criterion] = value
    for code in sorted(set(scores) - {c.code for c, _ in leaves}):
        errors[code] = "Unknown criterion."
    return values, errors


def review_save_draft(
    *,
    actor: Actor,
    assignment: Assignment,
    scores: Mapping[str, Any],
    comments: Mapping[str, str] | None = None,
    comment: str = "",
) -> Assignment:
    """Save a review without submitting it: scores may be partial; nothing counts as a
    review (no score rows) until `review_submit`."""
    with transaction.atomic():
        a, _r = _review_target(actor, assignment)
        values, errors = _parse_scores(a.round.edition, scores, complete=False)
        codes = {c.code for c in values} | {c for c in scores if c not in errors}
        for code in sorted(set(comments or {}) - codes - set(scores)):
            errors[code] = "Unknown criterion."
        if errors:
            raise ValidationError(errors)
        before = a.draft
        a.draft = {
            "scores": {c.code: v for c, v in values.items()},
            "comments": {k: v for k, v in (comments or {}).items() if v.strip()},
            "comment": comment,
        }
        a.save(update_fields=["draft"])
        audit_record(actor=actor, action="review.draft", target=a, before=before, after=a.draft)
    return a


def review_submit(
    *,
    actor: Actor,
    assignment: Assignment,
    scores: Mapping[str, Any],
    comments: Mapping[str, str] | None = None,
    comment: str | None = None,
) -> Assignment:
    """An evaluator scores an assignment on every leaf criterion, with an optional
    comment per criterion and overall. Refused in a closed round: a later round never
    edits an earlier round's scores (Rules §7)."""
    comments = comments or {}
    with transaction.atomic():
        a, _r = _review_target(actor, assignment)
        values, errors = _parse_scores(a.round.edition, scores, complete=True)
        for code in sorted(set(comments) - {c.code for c in values} - set(errors)):
            errors[code] = "Unknown criterion."
        if errors:
            raise ValidationError(errors)
        before = {str(s.criterion_id): s.value for s in a.scores.all()}
        existing = {s.criterion_id: s for s in a.scores.all()}
        for criterion, value in values.items():
            text = comments.get(criterion.code, "").strip()
            if criterion.pk in existing:
                score = existing[criterion.pk]
                if (score.value, score.comment) != (value, text):
                    score.value, score.comment = value, text
                    score.save(update_fields=["value", "comment"])
            else:
                Score.objects.create(
                    assignment=a, criterion_id=criterion.pk, value=value, comment=text
                )
        a.submitted_at = timezone.now()
        if comment is not None:
            a.comment = comment.strip()
        a.draft = None
        a.save(update_fields=["submitted_at", "comment", "draft"])
        audit_record(
            actor=actor,
            action="review.submit",
            target=a,
            before=before or None,
            after={str(c.pk): v for c, v in values.items()},
        )
    return a
