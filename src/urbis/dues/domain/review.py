"""Applying a status review: the approved proposals, all or nothing, linked to a decision.

members does not import governance: the decision is a reference (e.g. "6th GA, agenda 2")
stored on every lifecycle event and on the StatusReview record; governance calls
`review_apply` when an agenda item approves a review.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from urbis.common.actor import Actor
from urbis.common.audit import audit_record, snapshot
from urbis.common.errors import Conflict
from urbis.dues import mail
from urbis.dues.models import ReviewFlag, StatusReview
from urbis.dues.queries.review import ReviewPreview, load_rules, review_preview
from urbis.dues.rules.review import When
from urbis.members.domain.registry import lifecycle_record
from urbis.members.models import Organisation


def review_decision_errors(
    *, as_of: dt.date, decision_ref: str, decided_on: dt.date
) -> dict[str, str]:
    """What is wrong with the decision a review is applied under, by field (empty: nothing);
    checked again by `review_apply`, and before a review job is queued."""
    errors = {}
    if not decision_ref.strip():
        errors["decision_ref"] = "A review is applied by a decision: name it."
    if decided_on < as_of:
        errors["decided_on"] = f"The decision ({decided_on}) precedes the review date ({as_of})."
    return errors


def review_apply(
    *,
    actor: Actor,
    preview: ReviewPreview,
    decision_ref: str,
    decided_on: dt.date,
    approved: Iterable[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> StatusReview:
    """Record the approved subset of a preview's new proposals (all of them when `approved`
    is None) as lifecycle events dated `decided_on`, in one transaction: if any transition
    is refused (e.g. the registry changed since the preview), nothing is written."""
    errors = review_decision_errors(
        as_of=preview.as_of, decision_ref=decision_ref, decided_on=decided_on
    )
    if errors:
        raise ValidationError(errors)
    new = {p.organisation_id: p for p in preview.new}
    chosen = list(new) if approved is None else list(dict.fromkeys(approved))
    unknown = [pk for pk in chosen if pk not in new]
    if unknown:
        raise ValidationError({"approved": f"Not new proposals of this preview: {sorted(unknown)}"})
    # A proposal made by a manual reason (a flag rule) settles that reason: its flag is
    # resolved on the decision, so the review page no longer lists it as open.
    flag_of_rule = {r.code: r.flag for r in load_rules() if r.when == When.FLAG}
    with transaction.atomic():
        orgs = Organisation.objects.in_bulk(chosen)
        settled = {
            (f.organisation_id, f.code): f
            for f in ReviewFlag.objects.filter(organisation_id__in=chosen, resolved_on__isnull=True)
        }
        done = []
        for n, pk in enumerate(chosen, start=1):
            proposal = new[pk]
            flag = settled.get((pk, flag_of_rule.get(proposal.rule, "")))
            if flag is not None:
                review_flag_resolve(actor=actor, flag=flag, resolved_on=decided_on)
            lifecycle_record(
                actor=actor,
                organisation=orgs[pk],
                kind=proposal.propose.value,
                date=decided_on,
                reason=proposal.reason,
                decision_ref=decision_ref,
                evidence={"review": proposal.rule, **proposal.evidence},
            )
            done.append(
                {
                    "organisation": pk,
                    "name": proposal.name,
                    "kind": proposal.propose.value,
                    "rule": proposal.rule,
                    "reason": proposal.reason,
                }
            )
            if progress:
                progress(n, len(chosen))
        review = StatusReview.objects.create(
            as_of=preview.as_of,
            decision_ref=decision_ref,
            decided_on=decided_on,
            applied_by=(
                actor.user
                if isinstance(actor, Actor)
                else actor
                if getattr(actor, "is_authenticated", False)
                else None
            ),
            proposals=done,
        )
        audit_record(
            actor=actor,
            action="review.apply",
            target=review,
            after={"as_of": preview.as_of, "decision_ref": decision_ref, "applied": len(done)},
        )
    return review


def review_apply_for_decision(
    *,
    actor: Actor,
    as_of: dt.date,
    decision_ref: str,
    decided_on: dt.date,
    adopted: bool,
    approved: Iterable[int] | None = None,
) -> StatusReview | None:
    """Apply the review as of `as_of` because the agenda item that approves it was decided.

    Called by the app that records decisions, inside the transaction that records the
    decision: an adopted item records the transitions (each lifecycle event cites
    `decision_ref`), a rejected one records none and returns None. The review is previewed
    again now; if any transition is refused, the ValidationError propagates and the
    caller's transaction (its decision included) is rolled back with it.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("apply a review for a decision inside the decision's transaction")
    if not adopted:
        return None
    return review_apply(
        actor=actor,
        preview=review_preview(as_of=as_of),
        decision_ref=decision_ref,
        decided_on=decided_on,
        approved=approved,
    )


def review_flag_record(
    *, actor: Actor, organisation: Organisation, code: str, noted_on: dt.date, note: str = ""
) -> ReviewFlag:
    """Note a manual reason for the review (e.g. the entity no longer exists)."""
    if code not in ReviewFlag.Code.values:
        raise ValidationError({"code": f"Unknown review flag '{code}'."})
    with transaction.atomic():
        if ReviewFlag.objects.filter(
            organisation=organisation, code=code, resolved_on__isnull=True
        ).exists():
            # a state conflict (409 in the API); a ValidationError still, for the page
            raise Conflict({"code": f"{organisation.name} already has this open flag."})
        flag = ReviewFlag.objects.create(
            organisation=organisation, code=code, noted_on=noted_on, note=note
        )
        audit_record(actor=actor, action="review_flag.record", target=flag, after=snapshot(flag))
    return flag


def review_flag_resolve(*, actor: Actor, flag: ReviewFlag, resolved_on: dt.date) -> ReviewFlag:
    """Close a flag (the reason no longer holds); the flag itself is kept."""
    with transaction.atomic():
        row = ReviewFlag.objects.select_for_update().get(pk=flag.pk)
        if row.resolved_on is not None:
            raise ValidationError({"resolved_on": "This flag is already resolved."})
        if resolved_on < row.noted_on:
            raise ValidationError({"resolved_on": "A flag cannot be resolved before it was noted."})
        before = snapshot(row)
        row.resolved_on = resolved_on
        row.save(update_fields=["resolved_on"])
        audit_record(
            actor=actor,
            action="review_flag.resolve",
            target=row,
            before=before,
            after=snapshot(row),
        )
    return row


def review_proposals_notify(*, actor: Actor, as_of: dt.date) -> int:
    """Before the decision, tell the members concerned what the review as of `as_of`
    proposes for them (one message per focal point, queued in this transaction); running it
    again tells only the members not told yet. Returns the number of members told."""
    preview = review_preview(as_of=as_of)
    with transaction.atomic():  # each message's audit record names the review and member
        return mail.review_proposals_queue(proposals=preview.new, as_of=as_of, actor=actor)
