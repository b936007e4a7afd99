"""The governance section of a focal point's own space: the meetings its member is called
to (General Assemblies and any meeting not yet concluded), with the link to each meeting's
page, where delegates find the agenda and the ballots. Registered in
`GovernanceConfig.ready`; and how an application for membership is put on an EXCOM
agenda (`members.domain.applications`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from urbis.common.actor import ActorArg
from urbis.governance.domain.meetings import agenda_item_save
from urbis.governance.models import Meeting
from urbis.governance.models.meetings import Body, ItemKind, MeetingStatus
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
            links=[(_("Meeting and ballots"), reverse("governance:meeting", args=[meeting.slug]))],
        )
        for meeting in meetings
    ]
    return MineSection(
        key="meetings",
        title=_("Meetings and votes"),
        columns=[_("Meeting"), _("Body"), _("Date"), _("Status")],
        rows=rows,
        empty=_("No meeting is convened."),
    )


# --- applications for membership on an EXCOM agenda ------------------------------------------


def excom_meetings_open() -> list[tuple[str, str]]:
    """The EXCOM meetings an application can be put to: not yet concluded."""
    meetings = Meeting.objects.filter(
        body=Body.EXCOM,
        status__in=[MeetingStatus.DRAFT, MeetingStatus.CONVENED, MeetingStatus.IN_SESSION],
    ).order_by("date", "id")
    return [(m.slug, f"{m.title} ({m.date.isoformat()})") for m in meetings]


def application_agenda_place(*, actor: ActorArg, meeting: str, title: str, reference: str) -> str:
    """Add an approval item carrying the application's reference to an open EXCOM meeting's
    agenda (the next number); deciding it approves or rejects the application."""
    row = (
        Meeting.objects.select_for_update()
        .filter(slug=meeting, body=Body.EXCOM)
        .exclude(status__in=[MeetingStatus.CONCLUDED, MeetingStatus.MINUTES_APPROVED])
        .exclude(status=MeetingStatus.PUBLISHED)
        .first()
    )
    if row is None:
        raise ValidationError({"meeting": f"'{meeting[:80]}' is not an open EXCOM meeting."})
    number = (row.items.aggregate(n=Max("number"))["n"] or 0) + 1
    item = agenda_item_save(
        actor=actor,
        meeting=row,
        number=number,
        title=title[:300],
        kind=ItemKind.APPROVAL,
        article="7",
        membership_review_ref=reference,
    )
    return f"{row.title}, agenda {item.number}"


def assembly_dates(on: dt.date) -> list[dt.date]:
    """The dates of the General Assemblies held up to `on`, newest first (the reader of the
    setting `URBIS_ASSEMBLY_DATES_READER`, for the dues pages' default period)."""
    return list(
        Meeting.objects.filter(body=Body.GENERAL_ASSEMBLY, date__lte=on)
        .exclude(status=MeetingStatus.DRAFT)
        .order_by("-date")
        .values_list("date", flat=True)[:2]
    )
