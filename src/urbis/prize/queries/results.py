"""Reads for awards and results: the allocation the final ranking gives (Rules §9), the
published results, the ceremony run-sheet and the staff overview of an edition."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

import numpy as np
from django.db.models import Count, Prefetch, Q, QuerySet

from urbis.prize.models import (
    Application,
    Award,
    AwardKind,
    Conflict,
    Edition,
    Evaluator,
    Round,
)
from urbis.prize.queries.rounds import rank, round_data
from urbis.prize.scoring import awards as allocating


def award_allocation(edition: Edition) -> dict[str, list[int]]:
    """What the ranked awards (all but partner special mentions) would be from the final
    round's ranking: award code -> application ids, best first (Rules §9)."""
    final = Round.objects.filter(edition=edition).order_by("-number").first()
    if final is None:
        return {}
    data = round_data(final)
    result = rank(data)
    ranked = [
        allocating.Ranked(
            key=int(data.app_ids[i]),
            category=str(data.categories[i]),
            kind=str(data.kinds[i]),
            rank=int(result.ranks[i]),
        )
        for i in range(data.app_ids.size)
        if not np.isnan(result.scores[i])
    ]
    kinds = (
        AwardKind.objects.filter(edition=edition)
        .exclude(tier=AwardKind.Tier.SPECIAL)
        .select_related("category")
        .order_by("sort_order", "code")
    )
    slots = [
        allocating.Slot(
            code=k.code,
            category=k.category.code if k.category else "",
            kinds=tuple(k.applicant_kinds),
            count=k.count,
        )
        for k in kinds
    ]
    return allocating.allocate(slots, ranked)


def published_editions() -> QuerySet[Edition]:
    return Edition.objects.filter(results_published=True).order_by("-year")


class AwardEntry(TypedDict):
    kind: AwardKind
    award: Award
    app: Application


class ResultGroup(TypedDict):
    """The awards of one category (or the special mentions), in award order."""

    title: str
    awards: list[AwardEntry]


def results(edition: Edition) -> list[ResultGroup]:
    """Awards grouped by category (special mentions last), in award order."""
    kinds = (
        AwardKind.objects.filter(edition=edition)
        .select_related("category")
        .prefetch_related(
            Prefetch(
                "awards",
                queryset=Award.objects.select_related("application").order_by("position"),
            )
        )
        .order_by("sort_order", "code")
    )
    groups: dict[str, ResultGroup] = {}
    for kind in kinds:
        title = kind.category.name if kind.category else "Special mentions"
        group = groups.setdefault(title, {"title": title, "awards": []})
        for award in kind.awards.all():
            group["awards"].append({"kind": kind, "award": award, "app": award.application})
    ordered = [g for t, g in groups.items() if t != "Special mentions"]
    if "Special mentions" in groups:
        ordered.append(groups["Special mentions"])
    return ordered


class RunSheetItem(TypedDict):
    kind: AwardKind
    recipients: list[Application]


def run_sheet(edition: Edition) -> list[RunSheetItem]:
    """The ceremony run-sheet: each award in order with its presenter and recipients."""
    sheet: list[RunSheetItem] = []
    for kind in (
        AwardKind.objects.filter(edition=edition)
        .select_related("category")
        .prefetch_related(
            Prefetch(
                "awards",
                queryset=Award.objects.select_related("application").order_by("position"),
            )
        )
        .order_by("sort_order", "code")
    ):
        sheet.append(
            {
                "kind": kind,
                "recipients": [a.application for a in kind.awards.all()],
            }
        )
    return sheet


class EditionOverview(TypedDict):
    statuses: dict[str, int]  # application status -> how many
    rounds: QuerySet[Round]  # annotated with n_assignments and n_reviewed
    evaluators: int
    conflicts: int
    awards: int


def edition_overview(edition: Edition) -> EditionOverview:
    """Counts for the staff page: applications by status, rounds with their
    assignments and reviews, conflicts, awards."""
    statuses: dict[str, int] = dict(
        Application.objects.filter(edition=edition)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    rounds = (
        Round.objects.filter(edition=edition)
        .annotate(
            n_assignments=Count("assignments", distinct=True),
            n_reviewed=Count(
                "assignments", filter=Q(assignments__submitted_at__isnull=False), distinct=True
            ),
        )
        .order_by("number")
    )
    return {
        "statuses": statuses,
        "rounds": rounds,
        "evaluators": Evaluator.objects.filter(edition=edition, active=True).count(),
        "conflicts": Conflict.objects.filter(evaluator__edition=edition).count(),
        "awards": Award.objects.filter(kind__edition=edition).count(),
    }


def awards_missing(edition: Edition) -> list[str]:
    """The awards not fully allocated ('Tech Gold: 0 of 1'); empty when every award of
    the edition has its recipients. Also refuses when no award is allocated at all."""
    from django.db.models import Count

    kinds = (
        AwardKind.objects.filter(edition=edition)
        .annotate(given=Count("awards"))
        .order_by("sort_order", "code")
    )
    out = [f"{k.name}: {k.given} of {k.count}" for k in kinds if k.given < k.count]
    if not kinds:
        out.append("the edition has no award")
    return out


def finalists(edition: Edition) -> list[Application]:
    """The eligible applications that reached the edition's last round (all eligible ones
    when no round is recorded), by category and name."""
    last = (
        Round.objects.filter(edition=edition).order_by("-number").values_list("number", flat=True)
    )
    qs = Application.objects.filter(edition=edition, status=Application.Status.ELIGIBLE)
    number = last.first()
    if number is not None:
        qs = qs.filter(reached_round__gte=number)
    return list(
        qs.select_related("category", "organisation").order_by(
            "category__sort_order", "category__name", "applicant_name", "id"
        )
    )


def edition_for_dates(start: dt.date, end: dt.date) -> Edition | None:
    """The edition whose prize ceremony was held between two dates (inclusive), if any."""
    return (
        Edition.objects.filter(ceremony_date__gte=start, ceremony_date__lte=end)
        .order_by("ceremony_date", "id")
        .first()
    )
