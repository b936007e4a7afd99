"""Desk keys: issued to those who run a meeting, revoked by generation, resolved to their
holder where the database cannot check them in the write itself (see `..desk`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from urbis.common.actor import Actor, ActorArg, ActorKind, as_actor
from urbis.common.audit import audit_record
from urbis.governance import statements
from urbis.governance.desk import MAX_AGE, DeskKey, desk_key_sign, user_stamp
from urbis.governance.models import Meeting


@dataclass(frozen=True)
class IssuedDeskKey:
    key: str
    expires_at: dt.datetime
    generation: int


def _may_run_meeting(user: User | None) -> bool:
    """Whether a key's holder still holds the rule a desk key stands for
    (`governance.run_meeting`), which `statements` mirrors in SQL with `desk.HOLDER_ROLES`."""
    return user is not None and Actor.for_user(user).has_perm("governance.run_meeting")


def desk_key_issue(*, actor: ActorArg, meeting: Meeting) -> IssuedDeskKey:
    """A key for a check-in desk or a voting console of `meeting`, held by `actor` (allowed
    `governance.run_meeting` at the edge), valid for `desk.MAX_AGE` or until revoked.

    A key is signed for a user (its credentials make it hold): a desk key or the system
    cannot hold one."""
    holder = as_actor(actor).user
    if not isinstance(holder, User) or as_actor(actor).kind is not ActorKind.USER:
        raise PermissionDenied("A desk key is held by a signed-in user who runs the meeting.")
    meeting.refresh_from_db(fields=["desk_key_generation"])
    audit_record(
        actor=actor,
        action="meeting.desk_key_issue",
        target=meeting,
        after={"generation": meeting.desk_key_generation},
    )
    return IssuedDeskKey(
        key=desk_key_sign(user=holder, meeting=meeting),
        expires_at=timezone.now() + MAX_AGE,
        generation=meeting.desk_key_generation,
    )


def desk_keys_revoke(*, actor: ActorArg, meeting: Meeting) -> int:
    """Revoke every desk key issued for `meeting` so far (a lost laptop, the end of the
    session); returns the new generation, which the next keys carry."""
    with transaction.atomic():
        before = meeting.desk_key_generation
        Meeting.objects.filter(pk=meeting.pk).update(
            desk_key_generation=F("desk_key_generation") + 1
        )
        meeting.refresh_from_db(fields=["desk_key_generation"])
        audit_record(
            actor=actor,
            action="meeting.desk_keys_revoke",
            target=meeting,
            before={"generation": before},
            after={"generation": meeting.desk_key_generation},
        )
    return meeting.desk_key_generation


def desk_key_user(key: DeskKey) -> User:
    """The holder of a desk key, after the checks the PostgreSQL statements make in SQL:
    still active, still allowed to run the meeting, key not revoked, the same password and
    roles as when it was signed. PermissionDenied
    otherwise."""
    user = User.objects.filter(pk=key.user_id, is_active=True).first()
    current = Meeting.objects.filter(pk=key.meeting_id).values_list(
        "desk_key_generation", flat=True
    )
    if (
        user is None
        or not _may_run_meeting(user)
        or list(current) != [key.generation]
        or user_stamp(user) != key.stamp
    ):
        raise PermissionDenied(statements.DESK_KEY_REFUSED)
    return user
