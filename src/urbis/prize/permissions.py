"""Who may do what with the prize (django-rules predicates, object-level where it matters).

An evaluator sees and scores only the applications assigned to them, and never one they
are in conflict with; an applicant sees only their own applications.
"""

from __future__ import annotations

from typing import Any

import rules

from urbis.common.roles import is_evaluator, is_excom, is_secretariat


@rules.predicate
def is_applicant_of(user: Any, application: Any) -> bool:
    if application is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(application.submitted_by_id == user.pk)


@rules.predicate
def is_draft(user: Any, application: Any) -> bool:
    return application is not None and application.status == "draft"


@rules.predicate
def is_assigned_to(user: Any, application: Any) -> bool:
    """The user is an evaluator with an assignment on this application and no conflict."""
    if application is None or not getattr(user, "is_authenticated", False):
        return False
    from urbis.prize.models import Assignment, Conflict

    if Conflict.objects.filter(
        evaluator__user=user, application=application, waived=False
    ).exists():
        return False
    return Assignment.objects.filter(evaluator__user=user, application=application).exists()


@rules.predicate
def owns_assignment(user: Any, assignment: Any) -> bool:
    """The assignment is the user's own, and the user is not in conflict with it."""
    if assignment is None or not getattr(user, "is_authenticated", False):
        return False
    if assignment.evaluator.user_id != user.pk:
        return False
    from urbis.prize.models import Conflict

    return not Conflict.objects.filter(
        evaluator_id=assignment.evaluator_id,
        application_id=assignment.application_id,
        waived=False,
    ).exists()


rules.add_perm("prize.manage_edition", is_secretariat)
rules.add_perm("prize.triage_application", is_secretariat)
rules.add_perm("prize.view_all_applications", is_secretariat | is_excom)
rules.add_perm(
    "prize.view_application",
    is_secretariat | is_excom | is_applicant_of | (is_evaluator & is_assigned_to),
)
rules.add_perm("prize.change_application", (is_applicant_of & is_draft) | is_secretariat)
rules.add_perm("prize.review_assignment", is_evaluator & owns_assignment)
rules.add_perm("prize.declare_conflict", is_evaluator)
# Any signed-in user: apply, follow one's applications, reviews and bids (what they see is
# their own, chosen by the page's query).
rules.add_perm("prize.use_workspace", rules.is_authenticated)
