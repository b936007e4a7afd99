"""Registrations: a focal point lists and registers its own member's delegates (and signs
them up for sessions); the secretariat approves or rejects them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Status
from ninja.pagination import paginate

from urbis.common.actor import ACTOR_AUTH, permission_required
from urbis.common.errors import ErrorOut as DetailOut
from urbis.common.errors import ErrorOut as ErrorsOut
from urbis.common.pagination import BoundedPageNumberPagination
from urbis.events import domain, queries, rules
from urbis.events.api.base import _actor, router
from urbis.events.api.schemas import RegistrationIn, RegistrationOut, RejectIn, SignupIn
from urbis.events.models import Event, Registration, Session
from urbis.members.models import Organisation


def _registration(request: HttpRequest, slug: str, code: str, **_: object) -> Registration:
    """The registration of the path, looked up once: the object of the operation's rule and
    the registration the handler changes."""
    found = getattr(request, "_events_registration", None)
    if not isinstance(found, Registration):
        found = get_object_or_404(
            Registration.objects.select_related("organisation", "event"),
            event__slug=slug,
            code=rules.parse_code(code),
        )
        setattr(request, "_events_registration", found)  # noqa: B010 - no typed attribute
    return found


@router.get(
    "/{slug}/registrations",
    response=list[RegistrationOut],
    auth=ACTOR_AUTH,
    operation_id="urbis_events_api_registration_list",
)
@paginate(BoundedPageNumberPagination, page_size=100)
def registration_list(request: HttpRequest, slug: str, status: str = "") -> QuerySet[Registration]:
    """The secretariat sees every registration; a focal point its own member's only (any
    signed-in caller is answered, with the registrations it may see)."""
    event = get_object_or_404(Event, slug=slug)
    qs = queries.registrations_visible_to(_actor(request).user, event).prefetch_related("signups")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("organisation__name", "person_name", "id")


@router.post(
    "/{slug}/registrations",
    response={201: RegistrationOut, 403: DetailOut, 422: ErrorsOut},
    auth=ACTOR_AUTH,
    operation_id="urbis_events_api_registration_create",
)
def registration_create(
    request: HttpRequest, slug: str, payload: RegistrationIn
) -> Status[Registration]:
    """Register a delegate: the secretariat for any member, a focal point for its own."""
    event = get_object_or_404(Event, slug=slug)
    actor = _actor(request)
    organisation = Organisation.objects.filter(slug=payload.organisation).first()
    if organisation is not None and not actor.has_perm("events.register_delegate", organisation):
        raise PermissionDenied(f"You may not register delegates of {organisation.name}.")
    # An id beyond the database's integer range names no session (and must not reach SQLite).
    ids = [i for i in payload.sessions if rules.id_in_range(i)]
    sessions = list(Session.objects.filter(pk__in=ids))
    missing = set(payload.sessions) - {s.pk for s in sessions}
    if missing:
        raise ValidationError({"sessions": [f"Unknown session ids: {sorted(missing)}."]})
    data = payload.dict(exclude={"organisation", "sessions"})
    reg = domain.registration_create(
        actor=actor, event=event, organisation=organisation, sessions=sessions, **data
    )
    return Status(201, reg)


@router.post(
    "/{slug}/registrations/{code}/approve",
    response={200: RegistrationOut, 403: DetailOut, 422: ErrorsOut},
    auth=ACTOR_AUTH,
    operation_id="urbis_events_api_registration_approve",
)
@permission_required("events.approve_registration")
def registration_approve(request: HttpRequest, slug: str, code: str) -> Status[Registration]:
    reg = domain.registration_approve(
        actor=_actor(request), registration=_registration(request, slug, code)
    )
    return Status(200, reg)


@router.post(
    "/{slug}/registrations/{code}/reject",
    response={200: RegistrationOut, 403: DetailOut, 422: ErrorsOut},
    auth=ACTOR_AUTH,
    operation_id="urbis_events_api_registration_reject",
)
@permission_required("events.approve_registration")
def registration_reject(
    request: HttpRequest, slug: str, code: str, payload: RejectIn
) -> Status[Registration]:
    """Turn a pending registration down; the reason is sent to the delegate."""
    reg = domain.registration_reject(
        actor=_actor(request),
        registration=_registration(request, slug, code),
        reason=payload.reason,
    )
    return Status(200, reg)


@router.post(
    "/{slug}/registrations/{code}/signups",
    response={201: RegistrationOut, 403: DetailOut, 404: DetailOut, 422: ErrorsOut},
    auth=ACTOR_AUTH,
    operation_id="urbis_events_api_session_signup",
)
@permission_required("events.view_registration", obj=_registration)
def session_signup(
    request: HttpRequest, slug: str, code: str, payload: SignupIn
) -> Status[Registration] | Status[dict[str, str]]:
    """Sign a registered delegate up for a session or tour; refused when it is full."""
    reg = _registration(request, slug, code)
    session = (
        Session.objects.filter(pk=payload.session).first()
        if rules.id_in_range(payload.session)
        else None
    )
    if session is None:
        return Status(404, {"detail": f"No session {payload.session}."})
    domain.session_signup(actor=_actor(request), registration=reg, session=session)
    return Status(201, reg)
