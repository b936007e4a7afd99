"""Reads for a round: its reviews as NumPy arrays, the ranking under an aggregation method,
sensitivity, agreement (Krippendorff's alpha) and the reviews still missing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, TypedDict

import numpy as np
import numpy.typing as npt
from django.db.models import Q, QuerySet

from urbis.prize import bulk, rules
from urbis.prize.models import (
    Application,
    Assignment,
    Criterion,
    Edition,
    Round,
    Score,
)
from urbis.prize.scoring import aggregate, agreement, ranking

FloatArray = npt.NDArray[np.float64]


IntArray = npt.NDArray[np.int64]


def leaf_criteria(edition: Edition) -> list[tuple[Criterion, float]]:
    """The criteria scores are given on, with their effective weight (the product of the
    weights along the path from the root)."""
    nodes = list(Criterion.objects.filter(edition=edition).order_by("sort_order", "code"))
    by_id = {c.pk: c for c in nodes}
    parents = {c.parent_id for c in nodes if c.parent_id}
    leaves: list[tuple[Criterion, float]] = []
    for c in nodes:
        if c.pk in parents:
            continue
        w, node = float(c.weight), c
        while node.parent_id:
            node = by_id[node.parent_id]
            w *= float(node.weight)
        leaves.append((c, w))
    return leaves


@dataclass
class RoundData:
    """One round's reviews as arrays: one row per review (assignment with scores)."""

    round: Round
    app_ids: IntArray  # the applications of the round, one per index
    references: npt.NDArray[np.str_]
    categories: npt.NDArray[np.str_]
    kinds: npt.NDArray[np.str_]
    submitted: FloatArray  # submission time as a POSIX timestamp (NaN: none)
    criteria: list[str]
    weights: FloatArray
    evaluator_ids: IntArray
    review_app: IntArray  # index into app_ids
    review_evaluator: IntArray  # index into evaluator_ids
    scores: FloatArray  # (reviews x criteria), NaN where missing
    scale: tuple[float, float] = (1.0, 5.0)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def totals(self) -> FloatArray:
        return aggregate.weighted_totals(self.scores, self.weights)


def round_applications(round_: Round) -> QuerySet[Application]:
    return Application.objects.filter(
        edition_id=round_.edition_id,
        status=Application.Status.ELIGIBLE,
        reached_round__gte=round_.number,
    )


def round_data(round_: Round) -> RoundData:
    """Load a round's scores in three queries, as arrays."""
    edition = round_.edition
    leaves = leaf_criteria(edition)
    crit_index = {c.pk: i for i, (c, _) in enumerate(leaves)}
    apps = list(
        round_applications(round_)
        .order_by("reference")
        .values_list("pk", "reference", "category__code", "applicant_kind", "submitted_at")
    )
    app_ids = np.array([a[0] for a in apps], dtype=np.int64)
    app_index = {pk: i for i, pk in enumerate(app_ids.tolist())}
    # Two set-based reads straight into arrays (the round id is an integer).
    rid = int(round_.pk)
    assignments = bulk.fetch_ints(
        ["id", "application_id", "evaluator_id"],
        f"FROM {Assignment._meta.db_table} WHERE round_id = {rid}",
        order_by="id",
    )
    # The id range of the round's assignments lets the database read the scores through
    # the (assignment, criterion) index instead of scanning every round's scores.
    lo, hi = (int(assignments[0, 0]), int(assignments[-1, 0])) if assignments.size else (0, -1)
    rows = bulk.fetch_ints(
        ["s.assignment_id", "s.criterion_id", "s.value"],
        f"FROM {Score._meta.db_table} s "
        f"JOIN {Assignment._meta.db_table} a ON a.id = s.assignment_id "
        f"WHERE a.round_id = {rid} AND s.assignment_id BETWEEN {lo} AND {hi}",
    )
    # A review is an assignment with at least one score.
    reviewed = np.unique(rows[:, 0])
    pos = np.searchsorted(assignments[:, 0], reviewed)
    review_apps_raw = assignments[pos, 1]
    review_evs_raw = assignments[pos, 2]
    first = np.searchsorted(reviewed, rows[:, 0])
    scores = np.full((reviewed.size, len(leaves)), np.nan)
    crit_lookup = np.full(max(crit_index, default=0) + 1, -1, dtype=np.int64)
    for pk, i in crit_index.items():
        crit_lookup[pk] = i
    crit_col = np.where(
        rows[:, 1] < crit_lookup.size, crit_lookup[np.minimum(rows[:, 1], crit_lookup.size - 1)], -1
    )
    keep = crit_col >= 0
    scores[first[keep], crit_col[keep]] = rows[keep, 2]
    # Reviews of applications no longer in the round (withdrawn) are left out.
    top = int(max(app_ids.max(initial=0), review_apps_raw.max(initial=0)))
    lookup = np.full(top + 1, -1, dtype=np.int64)
    lookup[app_ids] = np.arange(app_ids.size)
    review_app = lookup[review_apps_raw]
    in_round = review_app >= 0
    evaluator_ids, review_ev = np.unique(review_evs_raw[in_round], return_inverse=True)
    return RoundData(
        round=round_,
        app_ids=app_ids,
        references=np.array([a[1] for a in apps], dtype=str),
        categories=np.array([a[2] for a in apps], dtype=str),
        kinds=np.array([a[3] for a in apps], dtype=str),
        submitted=np.array([a[4].timestamp() if a[4] else np.nan for a in apps], dtype=float),
        criteria=[c.code for c, _ in leaves],
        weights=np.array([w for _, w in leaves], dtype=float),
        evaluator_ids=evaluator_ids.astype(np.int64),
        review_app=review_app[in_round].astype(np.int64),
        review_evaluator=review_ev.astype(np.int64),
        scores=scores[in_round],
        scale=(float(edition.scale_min), float(edition.scale_max)),
        extra={"app_index": app_index},
    )


@dataclass
class Ranking:
    method: str
    keys: list[str]
    scores: FloatArray
    order: IntArray
    ranks: IntArray  # within category


def rank(data: RoundData, *, method: str | None = None) -> Ranking:
    """Aggregate and rank a round's applications per category by the edition's chain."""
    edition = data.round.edition
    method = method or edition.aggregation
    n = data.app_ids.size
    totals = data.totals
    score = aggregate.aggregate(
        totals,
        data.review_app,
        data.review_evaluator,
        n,
        method=method,
        trim=edition.trim_fraction,
        scale_min=data.scale[0],
        scale_max=data.scale[1],
    )
    keys = rules.tie_break_keys(edition.tie_break or [], dict.fromkeys(data.criteria))
    columns: dict[str, Any] = {"score": score, "reference": data.references}
    if any(k.startswith("criterion:") for k in keys):
        means = aggregate.criterion_means(data.scores, data.review_app, n)
        for i, code in enumerate(data.criteria):
            columns[f"criterion:{code}"] = means[:, i]
    if "median" in keys:
        columns["median"] = aggregate.aggregate(
            totals, data.review_app, data.review_evaluator, n, method="median"
        )
    if "reviews" in keys:
        columns["reviews"] = np.bincount(data.review_app, minlength=n).astype(float)
    if "submitted_at" in keys:
        columns["submitted_at"] = data.submitted
    order = ranking.rank_order(keys, columns)
    ranks = ranking.ranks_within(data.categories, order)
    return Ranking(method=method, keys=keys, scores=score, order=order, ranks=ranks)


class RankingRow(TypedDict):
    """One application's place in a round's ranking."""

    application: Application
    category: str
    score: float | None  # None: no review yet
    rank: int  # within the category
    reviews: int


def ranking_rows(round_: Round, *, method: str | None = None) -> list[RankingRow]:
    """The ranking as rows for a page or the API, best first within each category."""
    data = round_data(round_)
    result = rank(data, method=method)
    apps = Application.objects.in_bulk(data.app_ids.tolist())
    rows: list[RankingRow] = []
    for i in result.order.tolist():
        app = apps[int(data.app_ids[i])]
        rows.append(
            {
                "application": app,
                "category": str(data.categories[i]),
                "score": None if np.isnan(result.scores[i]) else float(result.scores[i]),
                "rank": int(result.ranks[i]),
                "reviews": int((data.review_app == i).sum()),
            }
        )
    rows.sort(key=lambda r: (r["category"], r["rank"]))
    return rows


class SensitivityRow(TypedDict):
    """One application's rank and score under each aggregation method."""

    application: Application
    category: str
    ranks: dict[str, int]
    scores: dict[str, float | None]
    spread: int  # the worst rank minus the best


class Sensitivity(TypedDict):
    methods: list[str]
    base: str  # the edition's own method, by which the rows are ordered
    rows: list[SensitivityRow]


def sensitivity(round_: Round) -> Sensitivity:
    """The rank of each application within its category under every aggregation."""
    data = round_data(round_)
    per_method = {m: rank(data, method=m) for m in aggregate.METHODS}
    apps = Application.objects.in_bulk(data.app_ids.tolist())
    base = per_method[round_.edition.aggregation]
    rows: list[SensitivityRow] = []
    for i in base.order.tolist():
        ranks = {m: int(r.ranks[i]) for m, r in per_method.items()}
        scores = {
            m: None if np.isnan(r.scores[i]) else round(float(r.scores[i]), 3)
            for m, r in per_method.items()
        }
        rows.append(
            {
                "application": apps[int(data.app_ids[i])],
                "category": str(data.categories[i]),
                "ranks": ranks,
                "scores": scores,
                "spread": max(ranks.values()) - min(ranks.values()),
            }
        )
    rows.sort(key=lambda r: (r["category"], r["ranks"][base.method]))
    return {"methods": list(aggregate.METHODS), "base": base.method, "rows": rows}


def agreement_table(round_: Round, data: RoundData | None = None) -> dict[str, float | None]:
    """Krippendorff's alpha per criterion of a round, at the edition's level of
    measurement."""
    data = data or round_data(round_)
    level = round_.edition.agreement_level
    n_ev, n_app = data.evaluator_ids.size, data.app_ids.size
    out: dict[str, float | None] = {}
    for c, code in enumerate(data.criteria):
        present = ~np.isnan(data.scores[:, c])
        out[code] = agreement.alpha(
            data.scores[present, c],
            data.review_evaluator[present],
            data.review_app[present],
            n_ev,
            n_app,
            level=level,
        )
    return out


@dataclass(frozen=True)
class Missing:
    """A review a round still lacks: an assignment not done, or an application of the
    round that has fewer assignments than the edition asks for."""

    reference: str
    evaluator: str  # '' when the review is not even assigned
    assignment_id: int | None


def round_missing(round_: Round) -> list[Missing]:
    """What is missing before a round can close, by application then evaluator. A review
    is done when its scores are recorded (drafts do not count)."""
    from django.db.models import Count, Exists, OuterRef

    done = Score.objects.filter(assignment_id=OuterRef("pk"))
    open_reviews = (
        Assignment.objects.filter(
            round=round_, application__in=round_applications(round_), submitted_at__isnull=True
        )
        .exclude(Exists(done))
        .order_by("application__reference", "evaluator__name")
        .values_list("application__reference", "evaluator__name", "pk")
    )
    missing = [Missing(ref, name, pk) for ref, name, pk in open_reviews]
    target = round_.edition.reviews_per_application
    short = (
        round_applications(round_)
        .annotate(n=Count("assignments", filter=Q(assignments__round=round_)))
        .filter(n__lt=target)
        .order_by("reference")
        .values_list("reference", "n")
    )
    for ref, n in short:
        missing.extend(Missing(ref, "", None) for _ in range(target - n))
    missing.sort(key=lambda m: (m.reference, m.evaluator == "", m.evaluator))
    return missing


def describe_missing(missing: list[Missing], limit: int = 5) -> str:
    """'P2026-00001: Ana, Bo; P2026-00002: not assigned …' for messages."""
    by_app: dict[str, list[str]] = defaultdict(list)
    for m in missing:
        by_app[m.reference].append(m.evaluator or "not assigned")
    parts = [f"{ref}: {', '.join(names)}" for ref, names in list(by_app.items())[:limit]]
    more = len(by_app) - limit
    return "; ".join(parts) + (f"; and {more} more application(s)" if more > 0 else "")


def loads(round_: Round) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for ev_id in Assignment.objects.filter(round=round_).values_list("evaluator_id", flat=True):
        counts[ev_id] += 1
    return dict(counts)
