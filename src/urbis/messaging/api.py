"""REST endpoints of the outbox (secretariat only): list with filters, a message, resend,
cancel. The same domain functions as the staff pages."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from urbis.common.actor import ACTOR_AUTH, actor_of, permission_required
from urbis.common.errors import ErrorOut
from urbis.common.pagination import BoundedPageNumberPagination
from urbis.messaging import domain, queries
from urbis.messaging.models import Message

router = Router(tags=["messaging"])


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str


class MessageOut(Schema):
    id: uuid.UUID
    kind: str
    state: str
    statutory: bool
    to_address: str
    to_name: str
    subject: str
    message_id: str
    reference: str
    batch_id: int | None
    attempts: int
    max_attempts: int
    next_attempt_at: dt.datetime
    sent_at: dt.datetime | None
    last_error: str
    created_at: dt.datetime


class MessageDetailOut(MessageOut):
    from_address: str
    body_text: str
    body_html: str
    attachments: list[AttachmentOut]


def _require(request, perm: str) -> None:  # type: ignore[no-untyped-def]
    if not request.user.has_perm(perm):
        raise PermissionDenied("The outbox is the secretariat's.")


@router.get("/messages", response=list[MessageOut], auth=django_auth)
@paginate(BoundedPageNumberPagination, page_size=50)
def messages(  # type: ignore[no-untyped-def]
    request, state: str = "", kind: str = "", recipient: str = "", batch: int | None = None
):
    """Messages newest first, filtered by state, kind, recipient (part of address or name)
    and batch."""
    _require(request, "messaging.view_outbox")
    if state and state not in Message.State.values:
        raise HttpError(422, f"state: one of {', '.join(Message.State.values)}, not '{state}'.")
    return queries.outbox(state=state, kind=kind, recipient=recipient, batch=batch)


@router.get("/messages/{message_id}", response=MessageDetailOut, auth=django_auth)
def message(request, message_id: uuid.UUID):  # type: ignore[no-untyped-def]
    _require(request, "messaging.view_outbox")
    return get_object_or_404(Message.objects.prefetch_related("attachments"), pk=message_id)


@router.post("/messages/{message_id}/resend", response={201: MessageOut}, auth=django_auth)
def message_resend(request, message_id: uuid.UUID):  # type: ignore[no-untyped-def]
    """Queue the message again as a new one (its own Message-ID); answers the new message."""
    _require(request, "messaging.change_outbox")
    original = get_object_or_404(Message, pk=message_id)
    return Status(201, domain.message_resend(message=original, actor=request.user))


@router.post("/messages/{message_id}/cancel", response=MessageOut, auth=django_auth)
def message_cancel(request, message_id: uuid.UUID):  # type: ignore[no-untyped-def]
    _require(request, "messaging.change_outbox")
    found = get_object_or_404(Message, pk=message_id)
    return domain.message_cancel(message=found, actor=request.user)


class InviteIn(Schema):
    email: str
    name: str
    as_: str = Field(alias="as")
    sign_in_link: bool = False


class InvitationOut(Schema):
    user_id: int
    username: str
    message: MessageOut


@router.post("/invitations", response={201: InvitationOut}, auth=django_auth)
def invitation_create(request, payload: InviteIn):  # type: ignore[no-untyped-def]
    """Invite a new user (`as`: focal point, evaluator, delegate, secretariat staff): the
    account is created without a password and the invitation is queued."""
    _require(request, "messaging.invite_user")
    user, message = domain.user_invite(
        email=payload.email,
        name=payload.name,
        as_=payload.as_,
        sign_in_link=payload.sign_in_link,
        actor=request.user,
    )
    return Status(201, {"user_id": user.pk, "username": user.username, "message": message})


class ReminderRunOut(Schema):
    run_id: int
    kind: str
    due: int
    sent: int
    skipped: int


@router.post(
    "/reminders/{kind}/run",
    response={200: ReminderRunOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    auth=ACTOR_AUTH,
)
@permission_required("messaging.change_outbox")
def reminder_run(request: HttpRequest, kind: str) -> dict[str, object]:
    """Run one registered reminder kind now, as the reminders page's "run now": `sent` are
    the messages queued, `skipped` the occurrences an earlier run sent (422 on `kind` for a
    kind nobody registered)."""
    outcome = domain.reminder_run(kind=kind, today=timezone.localdate(), actor=actor_of(request))
    return {
        "run_id": outcome.run_id,
        "kind": outcome.kind,
        "due": outcome.due,
        "sent": outcome.sent,
        "skipped": outcome.skipped,
    }
