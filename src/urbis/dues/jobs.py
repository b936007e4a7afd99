"""Applying a status review as a background job: the view or API checks the request and
queues it; the task worker previews the registry again on the review date and records the
approved transitions, all or nothing (`domain.review.review_apply`)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.urls import reverse

from urbis.common.actor import Actor
from urbis.common.jobs import JobOutcome, JobProgress, job_enqueue, job_runner
from urbis.common.models import Job
from urbis.dues.domain.review import review_apply, review_decision_errors
from urbis.dues.queries.review import MIN_REVIEW_YEAR, review_preview


def _review_url(as_of: dt.date) -> str:
    return f"{reverse('dues:review')}?as_of={as_of.isoformat()}"


@job_runner("members.review_apply")  # the kind's name for jobs queued before dues had its app
@job_runner("dues.review_apply")
def review_apply_job(
    *,
    job: Job,
    progress: JobProgress,
    as_of: str,
    decision_ref: str,
    decided_on: str,
    approved: list[int],
) -> JobOutcome:
    review_date = dt.date.fromisoformat(as_of)
    progress.stage(f"Previewing the review as of {review_date:%d %b %Y}", total=2)
    preview = review_preview(as_of=review_date)
    progress.stage(f"Recording {len(approved)} transition(s), all or nothing", total=2, done=1)
    result = review_apply(
        actor=Actor.for_user(job.requested_by) if job.requested_by else Actor.system(),
        preview=preview,
        decision_ref=decision_ref,
        decided_on=dt.date.fromisoformat(decided_on),
        approved=approved,
    )
    return JobOutcome(
        summary=f"Applied {len(result.proposals)} transition(s) under '{result.decision_ref}'.",
        result_url=_review_url(review_date),
    )


def review_apply_enqueue(
    *,
    actor: Actor,
    as_of: dt.date,
    decision_ref: str,
    decided_on: dt.date,
    approved: list[int],
) -> Job:
    """Queue the application of the approved proposals of the review as of `as_of`. What
    can be checked without the registry is checked now, so the user hears it at once; the
    job checks the rest (the proposals must still be new) and writes nothing if it fails.
    The caller has checked `dues.apply_review` at the edge."""
    errors = review_decision_errors(as_of=as_of, decision_ref=decision_ref, decided_on=decided_on)
    if not approved:
        errors["approved"] = "Select at least one proposal to approve."
    if as_of.year < MIN_REVIEW_YEAR:
        errors["as_of"] = f"A review date must be in {MIN_REVIEW_YEAR} or later."
    if errors:
        raise ValidationError(errors)
    # The job names the user it runs for (an `Actor` from a page, or a user).
    user = actor.user if isinstance(actor, Actor) and actor.user is not None else actor
    return job_enqueue(
        actor=user,
        kind="dues.review_apply",
        title=f"Status review as of {as_of:%d %b %Y}: {decision_ref.strip()}",
        params={
            "as_of": as_of.isoformat(),
            "decision_ref": decision_ref.strip(),
            "decided_on": decided_on.isoformat(),
            "approved": sorted(set(approved)),
        },
    )
