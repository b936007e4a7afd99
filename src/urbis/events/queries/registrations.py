"""Registrations: those a user may see, the members a user may register for, the
participant list, and a registration by its code.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from urbis.common.roles import is_secretariat
from urbis.events import rules
from urbis.events.models import Event, Registration, RegistrationStatus
from urbis.members.models import Organisation


def registrations_visible_to(user: Any, event: Event) -> QuerySet[Registration]:
    """The secretariat sees every registration; a focal point those of its own members."""
    qs = Registration.objects.filter(event=event).select_related("organisation")
    if is_secretariat(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    own = Organisation.objects.filter(contacts__user=user, contacts__is_focal_point=True)
    return qs.filter(organisation__in=own)


def organisations_for_registration(user: Any) -> QuerySet[Organisation]:
    """Organisations a user may register delegates for."""
    if is_secretariat(user):
        return Organisation.objects.order_by("name")
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(contacts__user=user, contacts__is_focal_point=True).order_by(
        "name"
    )


def participant_list(
    event: Event, *, status: str = RegistrationStatus.APPROVED, search: str = ""
) -> QuerySet[Registration]:
    qs = Registration.objects.filter(event=event).select_related("organisation")
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(
            Q(person_name__icontains=search)
            | Q(organisation__name__icontains=search)
            | Q(code__iexact=rules.parse_code(search))
        )
    return qs.annotate(n_checkins=Count("checkins")).order_by(
        "organisation__name", "person_name", "id"
    )


def registration_by_code(code: str) -> Registration | None:
    return (
        Registration.objects.select_related("event", "organisation")
        .filter(code=rules.parse_code(code))
        .first()
    )
