"""The Assembly's mail, queued in the outbox inside the transaction of the lifecycle step
that causes it (`domain.lifecycle`): the convocation to every member's focal point (the
agenda, the date and time in the meeting's zone, the registration link and an `.ics`), the
call for candidates and bids when the agenda holds elections or selections, and the notice
that the minutes are published.

Templates: `governance/messages/<name>.subject.txt`, `.txt`, `.html`. Each message is
rendered in its recipient's language (the focal point's contact), dates in its formats."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from urbis.common.actor import ActorArg
from urbis.governance.models import AgendaItem, ItemKind, Meeting
from urbis.members.queries.segments import Recipient, Segment, segment_recipients
from urbis.members.rules import State
from urbis.messaging.domain import AttachmentIn, messages_queue
from urbis.messaging.render import notices_render
from urbis.messaging.unsubscribe import absolute

DEFAULT_LENGTH = dt.timedelta(hours=3)
CALLED_KINDS = (ItemKind.ELECTION, ItemKind.APPOINTMENT, ItemKind.SELECTION)
# The kind of an item that calls for candidates or bids, in the recipient's language (the
# call printed the model's English label whatever the language).
CALLED_LABELS = {
    ItemKind.ELECTION: pgettext_lazy("agenda item kind", "election"),
    ItemKind.APPOINTMENT: pgettext_lazy("agenda item kind", "appointment"),
    ItemKind.SELECTION: pgettext_lazy("agenda item kind", "selection"),
}


def convened_recipients(meeting: Meeting) -> list[Recipient]:
    """The focal points (with an address, one per address) of the organisations in
    membership — members and suspended members — on the convocation date."""
    seen: set[str] = set()
    out: list[Recipient] = []
    for state in (State.MEMBER, State.SUSPENDED):
        for r in segment_recipients(Segment(state=state.value, as_of=meeting.convocation_date)):
            if r.email not in seen:
                seen.add(r.email)
                out.append(r)
    return out


def meeting_times(meeting: Meeting) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Start and end of the meeting, aware, in its own zone (None without a start time)."""
    if meeting.start_time is None:
        return None, None
    zone = ZoneInfo(meeting.time_zone or "UTC")
    start = dt.datetime.combine(meeting.date, meeting.start_time, tzinfo=zone)
    end = (
        dt.datetime.combine(meeting.date, meeting.end_time, tzinfo=zone)
        if meeting.end_time and meeting.end_time > meeting.start_time
        else start + DEFAULT_LENGTH
    )
    return start, end


def registration_url(meeting: Meeting) -> str:
    """Where a focal point registers its delegates: the registration page of the event the
    meeting sits in, or empty when the meeting has no event."""
    session = meeting.session
    if session is None:
        return ""
    return absolute(reverse("events:register", args=[session.event.slug]))


def meeting_ical(meeting: Meeting, *, stamp: dt.datetime | None = None) -> bytes:
    """The meeting as one calendar entry (RFC 5545), in the meeting's zone; its UID is
    stable so that a second convocation updates the entry instead of adding one."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//urbis//governance//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    entry = icalendar.Event()
    entry.add("uid", f"meeting-{meeting.pk}@{meeting.slug}.urbis")
    entry.add("dtstamp", stamp or timezone.now())
    entry.add("summary", meeting.title)
    start, end = meeting_times(meeting)
    if start and end:
        entry.add("dtstart", start)
        entry.add("dtend", end)
    else:
        entry.add("dtstart", meeting.date)
        entry.add("dtend", meeting.date + dt.timedelta(days=1))
    location = ", ".join(p for p in (meeting.venue, meeting.online_platform) if p)
    if location:
        entry.add("location", location)
    url = registration_url(meeting)
    if url:
        entry.add("url", url)
    entry.add("description", meeting.convocation_notice or meeting.title)
    cal.add_component(entry)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


def _context(meeting: Meeting) -> dict[str, Any]:
    start, end = meeting_times(meeting)
    agenda = list(AgendaItem.objects.filter(meeting=meeting).order_by("number"))
    return {
        "meeting": meeting,
        # Formatted here: a template's time filter would show them in the site's zone.
        "time_range": f"{start:%H:%M}\u2013{end:%H:%M}" if start and end else "",
        "zone": meeting.time_zone_label or meeting.time_zone,
        "agenda": agenda,
        "called": [(i, CALLED_LABELS[ItemKind(i.kind)]) for i in agenda if i.kind in CALLED_KINDS],
        "registration_url": registration_url(meeting),
        "meeting_url": absolute(reverse("governance:meeting", args=[meeting.slug])),
    }


def convocation_queue(*, meeting: Meeting, actor: ActorArg) -> int:
    """Queue the convocation (statutory) and, if the agenda calls for candidates or bids,
    the call (statutory too); inside the caller's transaction. Returns the number of
    convocations queued."""
    recipients = convened_recipients(meeting)
    if not recipients:
        return 0
    context = _context(meeting)
    ics = AttachmentIn(f"{meeting.slug}.ics", meeting_ical(meeting), "text/calendar")
    reference = f"meeting:{meeting.pk}"
    messages_queue(
        kind="governance.convocation",
        messages=notices_render(
            "governance/messages/convocation",
            context,
            recipients,
            announcement=False,
            attachments=(ics,),
        ),
        statutory=True,
        reference=reference,
        actor=actor,
    )
    if context["called"]:
        messages_queue(
            kind="governance.call_for_candidates",
            messages=notices_render(
                "governance/messages/call_for_candidates", context, recipients, announcement=False
            ),
            statutory=True,
            reference=reference,
            actor=actor,
        )
    return len(recipients)


def minutes_published_queue(*, meeting: Meeting, actor: ActorArg) -> int:
    """Tell the members that the minutes are published (an announcement: an address that
    turned announcements off does not receive it)."""
    recipients = convened_recipients(meeting)
    context = _context(meeting)
    messages_queue(
        kind="governance.minutes_published",
        messages=notices_render(
            "governance/messages/minutes_published", context, recipients, announcement=True
        ),
        statutory=False,
        reference=f"meeting:{meeting.pk}",
        actor=actor,
    )
    return len(recipients)
