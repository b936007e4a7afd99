"""Proxies: one member's mandate to another to vote for it at a meeting, granted and
revoked under the statute cap; the vote checks the mandate again under its own lock.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from urbis.common.audit import audit_record
from urbis.common.errors import Conflict
from urbis.governance import queries
from urbis.governance.domain.lifecycle import MeetingClosedError, ensure_open
from urbis.governance.models import Meeting, PollParticipation, PollState, Proxy
from urbis.members.models import Organisation


def proxy_grant(
    *,
    meeting: Meeting,
    grantor: Organisation,
    holder: Organisation,
    granted_on: dt.date,
    reference: str = "",
    actor: Any,
) -> Proxy:
    """Record a dated mandate: `holder` carries `grantor`'s vote at the meeting. Only where
    the statutes in force allow proxies; a holder carries at most their cap; both must be
    members that vote; the mandate is dated no later than the meeting."""
    voting = queries.voting_rule_on(meeting.date, meeting.body)
    if not voting.proxies_allowed:
        raise ValidationError(
            {"holder": f"The statutes in force do not allow proxies (Art. {voting.article})."}
        )
    if grantor.pk == holder.pk:
        raise ValidationError({"holder": "A member cannot hold its own proxy."})
    if granted_on > meeting.date:
        raise ValidationError(
            {"granted_on": f"A mandate is dated by the meeting ({meeting.date})."}
        )
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        ensure_open(locked)
        rule = queries.quorum_rule_on(locked.date, locked.body)
        voters = set(
            queries.quorum_members(locked, rule)
            .filter(pk__in=[grantor.pk, holder.pk])
            .values_list("pk", flat=True)
        )
        for field, org in (("grantor", grantor), ("holder", holder)):
            if org.pk not in voters:
                raise ValidationError({field: f"{org} is not a member that votes at {locked}."})
        held = Proxy.objects.filter(meeting=locked, holder=holder).count()
        if held >= voting.proxy_cap:
            raise ValidationError(
                {
                    "holder": f"{holder} already holds {held} prox{'ies' if held != 1 else 'y'}: "
                    f"the statutes allow {voting.proxy_cap} (Art. {voting.article})."
                }
            )
        if Proxy.objects.filter(meeting=locked, holder=grantor).exists():
            raise ValidationError({"grantor": f"{grantor} holds a proxy itself."})
        try:
            with transaction.atomic():
                proxy = Proxy.objects.create(
                    meeting=locked,
                    grantor=grantor,
                    holder=holder,
                    granted_on=granted_on,
                    reference=reference.strip(),
                )
        except IntegrityError as exc:
            raise Conflict({"grantor": f"{grantor} has already given its proxy."}) from exc
        audit_record(
            actor=actor,
            action="proxy.grant",
            target=proxy,
            after={
                "grantor": grantor.pk,
                "holder": holder.pk,
                "granted_on": granted_on.isoformat(),
            },
        )
    return proxy


def proxy_revoke(*, proxy: Proxy, actor: Any) -> None:
    """Withdraw a mandate before a poll it would be used in: the holder no longer carries
    the grantor's vote. Refused (409) on a concluded meeting, and once a vote was cast
    under it in the poll still open (that vote stands and is counted; revoke after the
    close). Votes cast under it in closed polls stand. The mandate row is deleted (one per
    grantor and meeting, so it can be given again); the audit record keeps what it was.

    The row is locked for update, as a proxy vote locks it: a vote in flight under the
    mandate commits first and the revocation is refused, or the revocation commits first
    and the vote finds no mandate."""
    with transaction.atomic():
        locked = (
            Proxy.objects.select_for_update(of=("self",))
            .select_related("meeting", "grantor", "holder")
            .filter(pk=proxy.pk)
            .first()
        )
        if locked is None:
            raise Conflict({"proxy": "This mandate has already been revoked."})
        try:
            ensure_open(locked.meeting)
        except MeetingClosedError as exc:  # a concluded meeting's record is locked: 409
            raise Conflict(exc.message_dict) from exc
        used = (
            PollParticipation.objects.filter(
                poll__meeting_id=locked.meeting_id,
                poll__state=PollState.OPEN,
                organisation_id=locked.grantor_id,
                proxy_holder_id=locked.holder_id,
            )
            .select_related("poll__agenda_item")
            .first()
        )
        if used is not None:
            raise Conflict(
                {
                    "proxy": f"{locked.holder} has already cast the vote of {locked.grantor} "
                    f"under this mandate in the open poll on agenda "
                    f"{used.poll.agenda_item.number}: revoke it after the poll closes."
                }
            )
        before = {
            "grantor": locked.grantor_id,
            "holder": locked.holder_id,
            "granted_on": locked.granted_on.isoformat(),
            "reference": locked.reference,
        }
        audit_record(actor=actor, action="proxy.revoke", target=locked, before=before)
        locked.delete()
