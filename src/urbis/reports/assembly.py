"""The activity report of a General Assembly, assembled read-only from the other apps' queries.

`build(number)` returns one plain, typed structure (`ActivityReport`) that the template, the
API and the command render. This is the only module of `reports` that reads the database, and
it reads only through the queries of members, events, governance and prize: a figure of the
report is never typed in, and every count states its definition next to it.

The number of queries does not depend on the number of members or delegates: each query
function used here is set-based (one or a few queries whatever the data), and the charts and
the map are computed in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from urbis.dues.models import FeeSchedule
from urbis.dues.queries.ledger import fee_schedules
from urbis.events import charts, geo
from urbis.events import queries as events_q
from urbis.events.models import Event, Session, SessionKind, Sponsor
from urbis.governance import queries as gov_q
from urbis.governance.models import Meeting, OfficeKind, OfficeTerm
from urbis.members.models import MEMBER_CATEGORIES, Category
from urbis.members.queries import membership_table
from urbis.members.queries.between_assemblies import BetweenAssemblies, between_assemblies
from urbis.members.rules import State
from urbis.prize import queries as prize_q
from urbis.prize.models import Application, Edition
from urbis.reports import svg
from urbis.reports.highlights import Figure, assembly_figures, event_figures

Progress = Callable[[str], None]
CHART_YEARS = 10  # the membership chart and table cover the ten years up to the assembly


class ReportError(Exception):
    """The report cannot be built (e.g. no such assembly)."""


@dataclass(frozen=True)
class NextAssembly:
    label: str
    host: str
    decision: str
    evp: str
    evp_term: str


@dataclass
class PrizeSection:
    edition: Edition
    finalists: list[Application]
    results: list[prize_q.ResultGroup]


@dataclass
class ActivityReport:
    number: int
    title: str
    meeting: Meeting
    event: Event | None
    generated_on: dt.date
    highlights: list[Figure]
    notes: list[str]
    memorandum: gov_q.Memorandum
    mayoral_at_session: int
    officers_elected: list[OfficeTerm]
    regional_offices: list[OfficeTerm]
    membership: BetweenAssemblies
    membership_by_year: list[dict[str, Any]]
    fee_schedules: list[FeeSchedule]
    next_assembly: NextAssembly | None
    statistics: events_q.Statistics | None = None
    programme: list[events_q.ProgrammeDay] = field(default_factory=list)
    ceremonies: list[Session] = field(default_factory=list)
    side_sessions: list[Session] = field(default_factory=list)
    sponsors: list[Sponsor] = field(default_factory=list)
    prize: PrizeSection | None = None
    region_chart: SafeString | None = None
    delegates_chart: SafeString | None = None
    membership_chart: SafeString | None = None
    city_map: SafeString | None = None
    unplaced_cities: list[str] = field(default_factory=list)
    network: str = ""
    host: str = ""  # the host of the assembly, for the cover
    place: str = ""  # the city (and country) it met in
    # Where the figures come from and how the data closes gaps in its sources: shown to the
    # secretariat on the report's page, never printed in the published report.
    data_notes: list[str] = field(default_factory=list)

    @property
    def principal_officers(self) -> list[OfficeTerm]:
        """The officers elected by this assembly other than the Executive Committee members."""
        return [t for t in self.officers_elected if t.kind != OfficeKind.EXCOM_MEMBER]

    @property
    def highlight(self) -> dict[str, Figure]:
        return {f.key: f for f in self.highlights}


def _meeting(number: int) -> Meeting:
    meeting = Meeting.objects.filter(body="ga", number=number).first()
    if meeting is None:
        raise ReportError(f"assembly: no General Assembly number {number} is recorded.")
    return meeting


def _event(meeting: Meeting) -> Event | None:
    """The event during which the assembly met (its session day lies in the event's days)."""
    return (
        Event.objects.filter(starts_on__lte=meeting.date, ends_on__gte=meeting.date)
        .select_related("host")
        .order_by("starts_on", "id")
        .first()
    )


def _membership_by_year(first: int, meeting: Meeting) -> list[dict[str, Any]]:
    """Members by category and state at the end of each year up to the assembly (one grouped
    query a year, `CHART_YEARS` of them: not one per member)."""
    rows = []
    for year in range(first, meeting.date.year + 1):
        on = min(dt.date(year, 12, 31), meeting.date)
        table = membership_table(as_of=on)
        rows.append({"year": year, "as_of": on, "table": table})
    return rows


def _host(meeting: Meeting, event: Event | None) -> str:
    """Who hosted the assembly: the meeting's own label, else its host, else the event's."""
    if meeting.host_label:
        return meeting.host_label
    if meeting.host_id is not None and meeting.host is not None:
        return meeting.host.name
    if event is not None and event.host_id is not None and event.host is not None:
        return event.host.name
    return ""


def _next_assembly(memo: gov_q.Memorandum) -> NextAssembly | None:
    """Art. 11(4): the host selected for the next assembly becomes Executive Vice President."""
    item = next((i for i in memo.items if i.kind == "selection"), None)
    evp = next(
        (t for t in memo.officers if t.kind == OfficeKind.EXECUTIVE_VICE_PRESIDENT_CITY), None
    )
    if item is None and evp is None:
        return None
    host = ""
    if item is not None:
        chosen = [c for c in item.candidates.all() if c.status == "selected"]
        host = ", ".join(c.label or c.organisation.name for c in chosen)
    decision = getattr(item, "decision", None) if item is not None else None
    return NextAssembly(
        label=item.hosts_meeting if item is not None else "",
        host=host or (evp.organisation.name if evp and evp.organisation else ""),
        decision=decision.outcome if decision is not None else "",
        evp=evp.organisation.name if evp and evp.organisation else "",
        evp_term=f"{evp.start:%Y}\u2013{evp.end:%Y}" if evp and evp.end else "",
    )


def build(
    number: int, *, progress: Progress | None = None, figures_only: bool = False
) -> ActivityReport:
    """Everything the activity report of the `number`th General Assembly states.

    `figures_only`: just what the highlights need (no charts, map, prize or yearly
    membership table), for the API."""
    say = progress or (lambda _msg: None)
    say("governance: the assembly, its memorandum and quorum")
    meeting = _meeting(number)
    memo = gov_q.memorandum(meeting)
    notes: list[str] = []
    event = _event(meeting)
    since = memo.changes_since
    say("members: membership changes between assemblies")
    membership = between_assemblies(
        start=(since + dt.timedelta(days=1)) if since else None,
        end=meeting.date,
        basis="approval",
    )
    by_application = between_assemblies(
        start=(since + dt.timedelta(days=1)) if since else None,
        end=meeting.date,
        basis="application",
    )
    first_year = meeting.date.year - CHART_YEARS + 1
    by_year = [] if figures_only else _membership_by_year(first_year, meeting)
    regional = [
        t for t in gov_q.terms_on(meeting.date, kind=OfficeKind.REGIONAL_OFFICE) if t.organisation
    ]
    elected = memo.officers_chosen or [t for t in memo.officers if t.start == meeting.date]
    mayoral_session = sum(len(g.rows) for g in memo.groups if g.key in ("q-on-m", "q-online-m"))
    report = ActivityReport(
        number=number,
        title=meeting.title,
        meeting=meeting,
        event=event,
        generated_on=dt.date.today(),
        highlights=[],
        notes=notes,
        memorandum=memo,
        mayoral_at_session=mayoral_session,
        officers_elected=elected,
        regional_offices=regional,
        membership=membership,
        membership_by_year=by_year,
        fee_schedules=fee_schedules(),
        next_assembly=_next_assembly(memo),
        network=settings.URBIS_NETWORK_NAME,
        host=_host(meeting, event),
        place=(event.city if event is not None and event.city else ""),
    )
    for schedule in report.fee_schedules:
        report.data_notes += [f"{schedule.title}: {c}" for c in schedule.choices or []]
    figures: list[Figure] = []
    if event is not None:
        say("events: participation statistics, programme, sponsors, map")
        stats = events_q.statistics(event)
        report.statistics = stats
        report.programme = events_q.programme_days(event)
        sessions = [s for day in report.programme for s in day.sessions]
        # A ceremony with nothing to say beyond its title stays in the programme only (the
        # prize ceremony, say, has its own chapter).
        report.ceremonies = [
            s
            for s in sessions
            if s.kind == SessionKind.CEREMONY and (s.description or list(s.people.all()))
        ]
        report.side_sessions = [s for s in sessions if s.kind == SessionKind.SIDE_SESSION]
        report.sponsors = list(
            Sponsor.objects.filter(event=event).select_related("organisation").order_by("order")
        )
        if not figures_only:
            report.region_chart = charts.bar_chart(
                [(r.region, r.count) for r in stats.cities_by_region],
                title=_("Participating cities by region"),
            )
            report.delegates_chart = charts.bar_chart(
                [(r.region, r.count) for r in events_q.delegates_by_region(event)],
                title=_("Delegates (approved registrations) by region"),
            )
            points, unplaced = geo.place(stats.cities)
            report.city_map = charts.world_map(
                points,
                title=_("Participating cities"),
                background=geo.settled_cells(1.5),
                cell=1.5,
            )
            report.unplaced_cities = unplaced
        figures += event_figures(stats)
    else:
        notes.append(
            "No event is recorded for the dates of this assembly: the participation figures, "
            "the programme, the ceremonies, the side sessions, the sponsors and the map are "
            "left out."
        )
    figures += assembly_figures(
        meeting=meeting,
        memo=memo,
        mayoral_session=mayoral_session,
        membership=membership,
        new_by_application=by_application.new_members.count,
        regional=len(regional),
        elected=len(elected),
    )
    report.highlights = figures
    if figures_only:
        return report
    say("prize: finalists and winners")
    edition = (
        prize_q.edition_for_dates(event.starts_on, event.ends_on) if event is not None else None
    )
    if edition is not None:
        if edition.synthetic_scores:
            report.data_notes.append(
                f"{edition.name}: the evaluation scores are synthetic (illustrative); the "
                "finalists and awards are the recorded ones."
            )
        report.prize = PrizeSection(
            edition=edition,
            finalists=prize_q.finalists(edition),
            results=prize_q.results(edition) if edition.results_published else [],
        )
    else:
        notes.append("No prize ceremony was held during this assembly: the prize is left out.")
    say("charts: membership by category and state")
    report.membership_chart = svg.line_chart(
        series=_membership_series(by_year),
        labels=[str(r["year"]) for r in by_year],
        title=_("Members in good standing by category (end of year)"),
    )
    return report


def _membership_series(by_year: list[dict[str, Any]]) -> list[tuple[str, list[int]]]:
    labels = dict(Category.choices)
    series = []
    for c in MEMBER_CATEGORIES:
        series.append(
            (str(labels[c]), [r["table"][c.value].get(State.MEMBER.value, 0) for r in by_year])
        )
    series.append(
        (
            _("Suspended"),
            [
                sum(r["table"][c.value].get("suspended", 0) for c in MEMBER_CATEGORIES)
                for r in by_year
            ],
        )
    )
    return series


def highlights_of(number: int) -> list[Figure]:
    return build(number, figures_only=True).highlights
