"""The home page's dashboards: for each role, what needs doing, counted from the data.

The composition root reads every app here; each figure is one query (a count or a short
list), so a dashboard costs a bounded number of queries whatever the size of the registry
(`tests/config/test_dashboard.py` guards it). A user holding several roles sees each role's
section; everyone sees the public part (upcoming events, latest results, the directory).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from urbis.common import roles as role_rules
from urbis.common.models import Job
from urbis.dues.models import Invoice
from urbis.dues.queries.arrears import arrears
from urbis.dues.queries.ledger import invoices_with_balance
from urbis.events.models import Event, Registration
from urbis.governance.models import Meeting, MeetingStatus
from urbis.index.models import Edition as IndexEdition
from urbis.members import queries as member_queries
from urbis.members.models import Organisation
from urbis.prize import queries as prize_queries
from urbis.prize.models import Application, Edition, Round

UPCOMING = 5  # how many upcoming events or meetings a list shows


@dataclass
class Tile:
    """One figure of a dashboard: what it counts, the count, where to act on it."""

    what: str
    figure: int | None
    url: str
    action: str
    note: str = ""

    @property
    def attention(self) -> bool:
        return bool(self.figure)


@dataclass
class Section:
    title: str
    intro: str = ""
    tiles: list[Tile] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)  # a short list under the tiles
    empty: str = ""


def _upcoming_events(today: dt.date, *, public_only: bool) -> list[Event]:
    qs = Event.objects.filter(ends_on__gte=today)
    if public_only:
        qs = qs.filter(is_public=True)
    return list(qs.order_by("starts_on", "name")[:UPCOMING])


def _latest_prize_edition() -> Edition | None:
    return prize_queries.published_editions().order_by("-year").first()


def _current_prize_edition() -> Edition | None:
    return Edition.objects.order_by("-year").first()


def _long_date(on: dt.date | dt.datetime) -> str:
    """A date as the visitor's language writes it (the catalog's long date format)."""
    return date_format(on, pgettext("long date format", "j F Y"))


def staff_section(today: dt.date) -> Section:
    pending = Registration.objects.filter(status="pending", event__ends_on__gte=today).count()
    in_arrears = len({row.slug for row in arrears(as_of=today)})
    edition = _current_prize_edition()
    to_triage = Application.objects.filter(status=Application.Status.SUBMITTED).count()
    rounds_due = list(
        Round.objects.filter(status=Round.Status.OPEN, closes__lt=today)
        .select_related("edition")
        .order_by("closes")
    )
    jobs = Job.objects.filter(state__in=[Job.State.QUEUED, Job.State.RUNNING]).count()
    meetings = list(
        Meeting.objects.filter(status__in=[MeetingStatus.CONVENED, MeetingStatus.IN_SESSION])
        .order_by("date")
        .only("slug", "title", "date", "status")[:UPCOMING]
    )
    round_url = (
        reverse("prize:round", args=[rounds_due[0].edition.year, rounds_due[0].number])
        if rounds_due
        else (reverse("prize:manage", args=[edition.year]) if edition else reverse("prize:index"))
    )
    tiles = [
        Tile(_("Registrations awaiting approval"), pending, reverse("events:manage"), _("Events")),
        Tile(_("Members in arrears"), in_arrears, reverse("dues:arrears"), _("Arrears")),
        Tile(
            _("Prize applications to triage"),
            to_triage,
            reverse("prize:triage", args=[edition.year]) if edition else reverse("prize:index"),
            _("Triage"),
        ),
        Tile(_("Review rounds past their closing date"), len(rounds_due), round_url, _("Rounds")),
        Tile(_("Jobs queued or running"), jobs, reverse("common:job_list"), _("Jobs")),
        Tile(
            _("Meetings convened or in session"),
            len(meetings),
            reverse("governance:workspace", args=[meetings[0].slug])
            if meetings
            else reverse("governance:meetings"),
            _("Governance"),
        ),
        Tile(
            _("Membership status review"),
            None,
            reverse("dues:review"),
            _("Review"),
            note=_("Proposes suspensions and terminations as of a date."),
        ),
    ]
    return Section(_("What needs doing"), tiles=tiles)


def excom_section(today: dt.date) -> Section:
    edition = _current_prize_edition()
    rows: list[dict[str, Any]] = []
    if edition is not None:
        for round_ in edition.rounds.order_by("number"):
            rows.append(
                {
                    "label": f"{edition.name}: {round_.name}",
                    "detail": _("%(status)s, closes %(date)s")
                    % {"status": round_.get_status_display(), "date": _long_date(round_.closes)},
                    "url": reverse("prize:round", args=[edition.year, round_.number]),
                }
            )
    meetings = list(
        Meeting.objects.filter(date__gte=today)
        .exclude(status=MeetingStatus.DRAFT)
        .order_by("date")
        .only("slug", "title", "date")[:UPCOMING]
    )
    for m in meetings:
        rows.append(
            {
                "label": m.title,
                "detail": _("Meeting on %(date)s") % {"date": _long_date(m.date)},
                "url": reverse("governance:meeting", args=[m.slug]),
            }
        )
    tiles = [
        Tile(
            _("Membership status review"),
            None,
            reverse("dues:review"),
            _("Open the review"),
            note=_("The transitions proposed to the Executive Committee, with their evidence."),
        ),
    ]
    return Section(
        _("Decisions awaiting the Executive Committee"),
        tiles=tiles,
        rows=rows,
        empty=_("No prize round or meeting is waiting."),
    )


def focal_point_section(user: Any, today: dt.date) -> Section:
    members = list(
        Organisation.objects.filter(contacts__user=user, contacts__is_focal_point=True)
        .distinct()
        .order_by("name")
        .only("slug", "name")
    )
    open_invoices = (
        invoices_with_balance(Invoice.objects.filter(organisation__in=members))
        .filter(balance__gt=0)  # type: ignore[misc]  # annotated by invoices_with_balance
        .count()
        if members
        else 0
    )
    registrations = Registration.objects.filter(
        organisation__in=members, event__ends_on__gte=today
    ).count()
    applications = prize_queries.applications_of(user).count()
    tiles = [
        Tile(
            _("Invoices with a balance to pay"),
            open_invoices,
            reverse("dues:mine"),
            _("My invoices"),
        ),
        Tile(
            _("Delegates registered for coming events"),
            registrations,
            reverse("events:list"),
            _("Events"),
        ),
        Tile(
            _("Prize applications"),
            applications,
            reverse("prize:my_applications"),
            pgettext("prize applications", "Applications"),
        ),
    ]
    rows = [
        {
            "label": m.name,
            "detail": _("Profile, contacts and ledger"),
            "url": reverse("members:detail", args=[m.slug]),
        }
        for m in members
    ]
    return Section(
        _("Your member's space"),
        tiles=tiles,
        rows=rows,
        empty=_("Your account is not yet the focal point of a member; ask the secretariat."),
    )


def evaluator_section(user: Any, today: dt.date) -> Section:
    assignments = list(prize_queries.assignments_of(user).select_related("round__edition"))
    to_do = [a for a in assignments if a.submitted_at is None]
    overdue = [a for a in to_do if a.round.closes < today]
    rows = [
        {
            "label": f"{a.application.reference} · {a.round.name}",
            "detail": (
                _("Submitted %(date)s") % {"date": _long_date(a.submitted_at)}
                if a.submitted_at
                else (_("Due %(date)s — overdue") if a.round.closes < today else _("Due %(date)s"))
                % {"date": _long_date(a.round.closes)}
            ),
            "url": reverse("prize:review", args=[a.pk]),
        }
        for a in sorted(assignments, key=lambda a: (a.submitted_at is not None, a.round.closes))
    ]
    tiles = [
        Tile(_("Reviews to submit"), len(to_do), reverse("prize:my_reviews"), _("My reviews")),
        Tile(
            _("Reviews past their deadline"),
            len(overdue),
            reverse("prize:my_reviews"),
            _("Catch up"),
        ),
    ]
    editions = sorted({a.round.edition.year for a in assignments}, reverse=True)
    for year in editions[:1]:
        tiles.append(
            Tile(
                _("Expertise and bids"),
                None,
                reverse("prize:bids", args=[year]),
                _("Bids"),
                note=_("Say which categories you know."),
            )
        )
    return Section(
        _("Your reviews"),
        tiles=tiles,
        rows=rows,
        empty=_("No application is assigned to you yet."),
    )


def public_part(today: dt.date, *, all_events: bool) -> dict[str, Any]:
    prize = _latest_prize_edition()
    meeting = (
        Meeting.objects.filter(status=MeetingStatus.PUBLISHED)
        .order_by("-date")
        .only("slug", "title", "date", "number", "body")
        .first()
    )
    index_edition = IndexEdition.objects.order_by("-year").only("year", "title").first()
    results: list[dict[str, str]] = []
    if meeting is not None:
        results.append(
            {
                "label": _("Memorandum of the %(meeting)s") % {"meeting": meeting.title},
                "url": reverse("governance:memorandum", args=[meeting.slug]),
            }
        )
        if meeting.body == "ga" and meeting.number:
            results.append(
                {
                    "label": _("Activity report of the %(meeting)s") % {"meeting": meeting.title},
                    "url": reverse("reports:html", args=[meeting.number]),
                }
            )
    if prize is not None:
        results.append(
            {
                "label": _("%(edition)s: results") % {"edition": prize.name},
                "url": reverse("prize:results", args=[prize.year]),
            }
        )
    if index_edition is not None:
        results.append(
            {
                "label": _("%(edition)s: ranking") % {"edition": index_edition.title},
                "url": reverse("index:ranking", args=[index_edition.year]),
            }
        )
    return {
        "upcoming": _upcoming_events(today, public_only=not all_events),
        "results": results,
        "rows": member_queries.membership_rows(as_of=today),
        "as_of": today,
    }


def dashboard_for(user: Any) -> dict[str, Any]:
    """The home page's context for `user` (anonymous: the public home only)."""
    today = member_queries.today()
    sections: list[Section] = []
    if role_rules.is_secretariat(user):
        sections.append(staff_section(today))
    if role_rules.is_excom(user) and not role_rules.is_secretariat(user):
        sections.append(excom_section(today))
    if role_rules.has_role(user, role_rules.FOCAL_POINT) and not user.is_superuser:
        sections.append(focal_point_section(user, today))
    if role_rules.is_evaluator(user) and not user.is_superuser:
        sections.append(evaluator_section(user, today))
    return {
        "sections": sections,
        **public_part(today, all_events=role_rules.is_secretariat(user)),
    }
