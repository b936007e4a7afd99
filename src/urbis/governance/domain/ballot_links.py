"""Ballot links for heads of delegation: sent through the outbox when the registry knows the
head's e-mail address, otherwise handed over by staff (see `..ballot_links`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from urbis.common.actor import ActorArg
from urbis.common.audit import audit_record
from urbis.governance.ballot_links import ballot_link_sign
from urbis.governance.models import Delegate, Meeting
from urbis.members.models import Contact
from urbis.messaging.domain import Outgoing, messages_queue
from urbis.messaging.languages import recipient_language
from urbis.messaging.unsubscribe import absolute


@dataclass(frozen=True)
class LinksSent:
    """What `ballot_links_send` did: how many mails were queued, and the heads of
    delegation whose address the registry does not know (their links are handed over)."""

    queued: int
    without_address: list[Delegate] = field(default_factory=list)


def ballot_link_url(*, delegate: Delegate) -> str:
    """The absolute address of a delegate's ballot link."""
    token = ballot_link_sign(delegate=delegate, meeting=delegate.meeting)
    return absolute(reverse("governance:ballot_link", args=[token]))


def _addresses(delegates: list[Delegate]) -> dict[int, str]:
    """A head of delegation's address: the delegate's own e-mail, else a contact of its
    member with the delegate's name (the focal point's registry)."""
    names = {(d.organisation_id, d.name.strip().lower()) for d in delegates if d.name.strip()}
    found: dict[tuple[int, str], str] = {}
    contacts = Contact.objects.filter(
        organisation_id__in={o for o, _ in names}, email__gt=""
    ).values_list("organisation_id", "name", "email")
    for org_id, name, email in contacts:
        found.setdefault((org_id, name.strip().lower()), email)
    addresses = {
        d.pk: found[(d.organisation_id, d.name.strip().lower())]
        for d in delegates
        if (d.organisation_id, d.name.strip().lower()) in found
    }
    addresses.update({d.pk: d.email for d in delegates if d.email})
    return addresses


def ballot_links_send(*, meeting: Meeting, actor: ActorArg) -> LinksSent:
    """Queue each head of delegation's personal ballot link for `meeting` (one mail per head
    whose address the registry knows), in one transaction with its audit record."""
    heads = list(
        Delegate.objects.filter(meeting=meeting, role=Delegate.Role.HEAD)
        .select_related("organisation", "meeting")
        .order_by("organisation__name", "pk")
    )
    addresses = _addresses(heads)
    outgoing = []
    for d in heads:
        if d.pk not in addresses:
            continue
        context = {"delegate": d, "meeting": meeting, "url": ballot_link_url(delegate=d)}
        with translation.override(recipient_language(addresses[d.pk])):
            outgoing.append(
                Outgoing(
                    to_address=addresses[d.pk],
                    to_name=d.name,
                    subject=gettext("Your ballot for %(meeting)s") % {"meeting": meeting.title},
                    body_text=render_to_string("governance/ballot/link_mail.txt", context),
                )
            )
    with transaction.atomic():
        if outgoing:
            messages_queue(
                kind="governance.ballot_link",
                messages=outgoing,
                actor=actor,
                statutory=True,
                reference=f"meeting:{meeting.pk}",
            )
        audit_record(
            actor=actor,
            action="meeting.ballot_links_send",
            target=meeting,
            after={"queued": len(outgoing), "without_address": len(heads) - len(outgoing)},
        )
    return LinksSent(len(outgoing), [d for d in heads if d.pk not in addresses])


def ballot_link_hand_over(*, delegate: Delegate, actor: ActorArg) -> str:
    """A head of delegation's link, for staff to hand over (the registry knows no address);
    the audit trail keeps who asked for it."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="delegate.ballot_link_hand_over",
            target=delegate,
            after={"meeting": delegate.meeting_id, "organisation": delegate.organisation_id},
        )
    return ballot_link_url(delegate=delegate)
