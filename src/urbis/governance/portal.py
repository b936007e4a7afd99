"""The governance section of a focal point's own space: the meetings its member is called
to (General Assemblies and any meeting not yet concluded), with the link to each meeting's
page, where delegates find the agenda and the ballots. Registered in
`GovernanceConfig.ready`."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse

from urbis.governance.models import Meeting
from urbis.governance.models.meetings import Body, MeetingStatus
from urbis.members.pages import MineRow, MineSection

SHOWN = 10


def meetings_section(user: Any, organisations: list[Any]) -> MineSection | None:
    if not organisations:
        return None
    open_states = [MeetingStatus.CONVENED, MeetingStatus.IN_SESSION]
    meetings = (
        Meeting.objects.exclude(status=MeetingStatus.DRAFT)
        .filter(Q(body=Body.GENERAL_ASSEMBLY) | Q(status__in=open_states))
        .order_by("-date", "-id")[:SHOWN]
    )
    rows = [
        MineRow(
            cells=[
                meeting.title,
                meeting.get_body_display(),
                meeting.date.isoformat(),
                meeting.get_status_display(),
            ],
            links=[("Meeting and ballots", reverse("governance:meeting", args=[meeting.slug]))],
        )
        for meeting in meetings
    ]
    return MineSection(
        key="meetings",
        title="Meetings and votes",
        columns=["Meeting", "Body", "Date", "Status"],
        rows=rows,
        empty="No meeting is convened.",
    )
