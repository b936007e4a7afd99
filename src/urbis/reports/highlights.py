"""The highlights of an activity report: each figure with the definition it is computed by.

The report's first page states these figures; each one carries, next to its value, how it is
counted (which statute article, which date, which source), so that a reader can check it and
nobody is tempted to type a figure in. The values come from `reports.assembly.build`; this
module only words them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from urbis.events import queries as events_q
from urbis.governance import queries as gov_q
from urbis.governance.models import Meeting
from urbis.members.queries.between_assemblies import BetweenAssemblies


@dataclass(frozen=True)
class Figure:
    """One highlight: a computed value with the definition it is computed by."""

    key: str
    label: str
    value: int | str
    definition: str


def event_figures(stats: events_q.Statistics) -> list[Figure]:
    """The figures of the event around the assembly (participants, cities, countries,
    regions, mayoral-level registrations), each with the event statistics' definition."""
    d = stats.definitions
    return [
        Figure(
            "participants",
            _("Participants (delegates)"),
            stats.delegates,
            _(
                "Approved registrations for the event, one per delegate; "
                "%(on_site)s on-site and %(online)s online."
            )
            % {"on_site": stats.on_site, "online": stats.online}
            + " "
            + d["attendance"],
        ),
        Figure("cities", _("Participating cities"), stats.city_count, d["participating_city"]),
        Figure("countries", _("Countries"), len(stats.countries), d["country"]),
        Figure("regions", _("Regions"), len(stats.cities_by_region), d["region"]),
        Figure(
            "mayoral_registrations",
            _("Mayoral-level representatives (event)"),
            stats.mayoral_level,
            d["mayoral_level"],
        ),
    ]


def assembly_figures(
    *,
    meeting: Meeting,
    memo: gov_q.Memorandum,
    mayoral_session: int,
    membership: BetweenAssemblies,
    new_by_application: int,
    regional: int,
    elected: int,
) -> list[Figure]:
    """The figures of the assembly itself: its session, quorum, population, new members,
    regional offices and officers; `membership` is counted by approval date and
    `new_by_application` gives the same period by application date."""
    q = memo.quorum
    long_date = pgettext("long date format", "j F Y")
    return [
        Figure(
            "mayoral_session",
            _("Mayoral-level representatives (assembly session)"),
            mayoral_session,
            _(
                "Members whose representative at the assembly session (the head of delegation "
                "checked in, else the first delegate checked in) is of mayoral level, on-site "
                "or online, as in the attendance annex of the memorandum."
            ),
        ),
        Figure(
            "quorum_present",
            _("Quorum members present"),
            q.present,
            _(
                "Members counted for the quorum (Art. 16(2): %(categories)s in good standing "
                "on the convocation date; %(eligible)s members) with a delegate checked in, "
                "on-site or online; %(required)s required "
                "(⌈%(eligible)s × %(numerator)s/%(denominator)s⌉); %(source)s."  # noqa: RUF001
            )
            % {
                "categories": ", ".join(memo.counted_labels),
                "eligible": q.eligible,
                "required": q.required,
                "numerator": q.numerator,
                "denominator": q.denominator,
                "source": memo.quorum_source,
            },
        ),
        Figure(
            "population",
            _("Population represented"),
            number_format(q.population, use_l10n=True, force_grouping=True),
            _(
                "Sum of the registered population of the quorum members present at the "
                "assembly session (%(source)s)."
            )
            % {"source": memo.quorum_source},
        ),
        Figure(
            "new_members",
            _("New members"),
            membership.new_members.count,
            _(
                "Members approved from %(start)s to %(end)s (approval date; by application "
                "date in that period: %(by_application)s)."
            )
            % {
                "start": date_format(membership.start, long_date),
                "end": date_format(membership.end, long_date),
                "by_application": new_by_application,
            },
        ),
        Figure(
            "regional_offices",
            _("Regional offices"),
            regional,
            _("Regional offices whose term covers the assembly date (%(date)s).")
            % {"date": date_format(meeting.date, long_date)},
        ),
        Figure(
            "officers",
            _("Elected officers"),
            elected,
            _(
                "Office terms (President, Executive Vice President and Vice President Cities, "
                "Executive Committee members) starting on the assembly date: the officers "
                "elected, appointed or selected by this assembly."
            ),
        ),
    ]
