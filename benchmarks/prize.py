"""Prize pipeline at scale: assignment, calibration, agreement and ranking.

10,000 applications, 300 evaluators, 5 reviews per application and 3 rounds in which every
application stays (150,000 reviews; each review scores the 6 leaf criteria, so 900,000
criterion scores). Evaluators have an expertise area and ten bids each; applications an
area. Prints each step's time, the pipeline total, the ratio of the vectorised calibration
to a per-row Python loop over the same reviews, and the exact assignment (the pipeline's
minimum-cost flow) against the round-robin with swaps on the same conflicts: time, total
fit, max - min load; `--programme` also solves it as a linear programme (HiGHS, slow) and
checks that the fit is the same. On PostgreSQL the planner's statistics are refreshed
(ANALYZE) after each bulk setup write, before anything is timed.

Runs in a throwaway test database on whatever DATABASE_URL points at (PostgreSQL for the
published figures; SQLite works for a quick look):

    DATABASE_URL=postgres://user@host:5432/urbis python benchmarks/prize.py
    python benchmarks/prize.py --applications 2000 --evaluators 60
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbis.config.settings")

import django

django.setup()

import numpy as np  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import get_runner  # noqa: E402

AREAS = ["mobility", "health", "energy", "housing", "governance", "safety"]
COUNTRIES = [
    "KR",
    "US",
    "FR",
    "DE",
    "JP",
    "BR",
    "IN",
    "NG",
    "KE",
    "MX",
    "ES",
    "IT",
    "CN",
    "VN",
    "PH",
    "MY",
    "ID",
    "TR",
    "EG",
    "ZA",
    "AR",
    "CL",
    "CO",
    "PE",
    "AU",
    "NZ",
    "CA",
    "GB",
    "SE",
    "DK",
    "FI",
    "NO",
    "PL",
    "RO",
    "UA",
    "KZ",
    "UZ",
    "MN",
    "NP",
    "BD",
    "PK",
    "AE",
    "SA",
    "IR",
    "MA",
    "TN",
    "GH",
]


class Timer:
    def __init__(self) -> None:
        self.steps: list[tuple[str, float]] = []
        self.cpu: list[float] = []

    def __call__(self, label: str):  # type: ignore[no-untyped-def]
        timer = self

        class _Step:
            def __enter__(self) -> None:
                self.t0 = time.perf_counter()
                self.c0 = time.process_time()

            def __exit__(self, *exc: object) -> None:
                elapsed = time.perf_counter() - self.t0
                cpu = time.process_time() - self.c0
                timer.steps.append((label, elapsed))
                timer.cpu.append(cpu)
                print(f"  {label:<44} wall {elapsed:8.3f} s  CPU {cpu:6.3f} s", flush=True)

        return _Step()


def _copy_rows(table: str, columns: list[str], rows: np.ndarray) -> None:
    """Insert integer rows fast: COPY on PostgreSQL, executemany elsewhere."""
    if connection.vendor == "postgresql":
        buf = io.StringIO()
        np.savetxt(buf, rows, fmt="%d", delimiter="\t")
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg 3
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                copy.write(buf.getvalue())
    else:
        placeholders = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",
                rows.tolist(),
            )


def setup(n_apps: int, n_evs: int, reviews: int, seed: int):  # type: ignore[no-untyped-def]
    from urbis.prize.models import (
        Application,
        Bid,
        Criterion,
        Edition,
        Evaluator,
        PrizeCategory,
        Round,
    )

    rng = np.random.default_rng(seed)
    edition = Edition.objects.create(
        year=2026,
        name="Benchmark edition",
        call_opens=dt.date(2026, 3, 1),
        call_closes=dt.date(2026, 7, 31),
        reviews_per_application=reviews,
        aggregation="calibrated",
        tie_break=["criterion:impact", "median"],
    )
    cats = [
        PrizeCategory.objects.create(edition=edition, code=code, name=code, applicant_kinds=kinds)
        for code, kinds in [
            ("tech", ["city", "corporation", "institution"]),
            ("human", ["city", "corporation", "institution"]),
            ("leadership", ["individual"]),
        ]
    ]
    for order, code in enumerate(
        ["problem", "design", "implementation", "monitoring", "impact", "inclusiveness"]
    ):
        Criterion.objects.create(
            edition=edition,
            code=code,
            name=code,
            sort_order=order,
            weight=2 if code in {"impact", "inclusiveness"} else 1,
        )
    for number in (1, 2, 3):
        Round.objects.create(
            edition=edition,
            number=number,
            name=f"Round {number}",
            opens=dt.date(2026, 8, number),
            closes=dt.date(2026, 8, number + 5),
            advance="final" if number == 3 else "top_k",
            advance_k=n_apps,
        )
    cat_of = rng.choice(3, size=n_apps, p=[0.55, 0.4, 0.05])
    app_country = rng.choice(len(COUNTRIES), size=n_apps)
    Application.objects.bulk_create(
        [
            Application(
                edition=edition,
                category=cats[int(cat_of[i])],
                reference=f"B{i:06d}",
                status="eligible",
                applicant_kind="individual" if cat_of[i] == 2 else "city",
                applicant_name=f"City {i}",
                city=f"City {i % 3000}",
                country=COUNTRIES[int(app_country[i])],
                title=f"Project {i}",
                summary="-",
                areas=[AREAS[i % len(AREAS)]],
                reached_round=1,
            )
            for i in range(n_apps)
        ],
        batch_size=2000,
    )
    Evaluator.objects.bulk_create(
        [
            Evaluator(
                edition=edition,
                name=f"Evaluator {j}",
                city=f"City {j * 7 % 3000}",
                country=COUNTRIES[j % len(COUNTRIES)],
                expertise=[AREAS[(j * 3) % len(AREAS)], ["tech", "human", "leadership"][j % 3]],
                synthetic=True,
            )
            for j in range(n_evs)
        ]
    )
    quality = dict(
        zip(
            Application.objects.filter(edition=edition).order_by("pk").values_list("pk", flat=True),
            rng.normal(3.0, 0.7, n_apps),
            strict=True,
        )
    )
    bias = dict(
        zip(
            Evaluator.objects.filter(edition=edition).order_by("pk").values_list("pk", flat=True),
            rng.normal(0.0, 0.5, n_evs),
            strict=True,
        )
    )
    app_pks = np.array(list(quality), dtype=np.int64)
    Bid.objects.bulk_create(
        [
            Bid(evaluator_id=ev_pk, application_id=int(app_pk), level=str(level))
            for ev_pk in bias
            for app_pk, level in zip(
                rng.choice(app_pks, size=10, replace=False),
                rng.choice(["eager", "willing", "not_willing"], size=10),
                strict=True,
            )
        ],
        batch_size=2000,
    )
    return edition, quality, bias


class Attribution:
    """CPU time (this process) spent inside chosen functions, wrapped in place, to say what
    dominates a step without touching the code under test."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = {}

    def wrap(self, module, name: str, label: str) -> None:  # type: ignore[no-untyped-def]
        inner = getattr(module, name)
        spent = self.cpu

        def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
            c0 = time.process_time()
            try:
                return inner(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.process_time() - c0

        setattr(module, name, timed)

    def report(self, total: float) -> None:
        for label, cpu in sorted(self.cpu.items(), key=lambda item: -item[1]):
            print(f"    {label:<52} CPU {cpu:7.3f} s ({100 * cpu / max(total, 1e-9):4.1f} %)")


def compare_assignments(edition, reviews: int, args_programme: bool) -> None:  # type: ignore[no-untyped-def]
    """The exact assignment against the round-robin with swaps on round 1's conflicts and
    fit (outside the timed pipeline)."""
    from urbis.prize.domain.rounds import _fit_matrix
    from urbis.prize.models import Application, Conflict, Evaluator
    from urbis.prize.scoring import assignment as assigning

    app_ids = list(
        Application.objects.filter(edition=edition)
        .order_by("reference")
        .values_list("pk", flat=True)
    )
    ev_ids = list(
        Evaluator.objects.filter(edition=edition).order_by("pk").values_list("pk", flat=True)
    )
    a_index = {pk: i for i, pk in enumerate(app_ids)}
    e_index = {pk: j for j, pk in enumerate(ev_ids)}
    conflicts = np.zeros((len(app_ids), len(ev_ids)), dtype=bool)
    for ev_id, app_id in Conflict.objects.filter(evaluator__edition=edition).values_list(
        "evaluator_id", "application_id"
    ):
        conflicts[a_index[app_id], e_index[ev_id]] = True
    fit = _fit_matrix(app_ids, ev_ids)
    capable = (~conflicts).any(axis=0)
    rows = np.arange(len(app_ids))[:, None]
    t0, c0 = time.perf_counter(), time.process_time()
    grid = assigning.assign(conflicts, reviews)
    t_rr, c_rr = time.perf_counter() - t0, time.process_time() - c0
    load = assigning.loads(grid, len(ev_ids))[capable]
    print(
        f"    round-robin + swaps: {t_rr:.2f} s (CPU {c_rr:.2f} s), "
        f"fit {fit[rows, grid].sum():.0f}, "
        f"max - min load {load.max() - load.min()}"
    )
    t0, c0 = time.perf_counter(), time.process_time()
    solution = assigning.assign_optimal(conflicts, reviews, fit)
    t_opt, c_opt = time.perf_counter() - t0, time.process_time() - c0
    if args_programme:
        t0, c0 = time.perf_counter(), time.process_time()
        programme = assigning.assign_optimal(conflicts, reviews, fit, method="programme")
        t_lp, c_lp = time.perf_counter() - t0, time.process_time() - c0
        print(
            f"    exact (linear programme, HiGHS): {t_lp:.2f} s (CPU {c_lp:.2f} s), "
            f"fit {programme.fit:.0f} "
            f"(equal to the flow's: {programme.fit == solution.fit})"
        )
    load = solution.loads[capable]
    print(
        f"    exact (minimum-cost flow): {t_opt:.2f} s (CPU {c_opt:.2f} s), "
        f"fit {solution.fit:.0f}, "
        f"max - min load {load.max() - load.min()}"
    )


def write_scores(round_, quality, bias, rng) -> int:  # type: ignore[no-untyped-def]
    """Synthetic reviews for every assignment of the round (setup, not timed)."""
    from urbis.prize.models import Assignment, Criterion

    crit = np.array(
        list(
            Criterion.objects.filter(edition=round_.edition)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    )
    a = np.array(
        list(
            Assignment.objects.filter(round=round_).values_list(
                "pk", "application_id", "evaluator_id"
            )
        ),
        dtype=np.int64,
    )
    q = np.array([quality[x] for x in a[:, 1].tolist()])
    b = np.array([bias[x] for x in a[:, 2].tolist()])
    base = q + b
    values = np.clip(np.rint(base[:, None] + rng.normal(0, 0.6, (a.shape[0], crit.size))), 1, 5)
    rows = np.column_stack(
        [np.repeat(a[:, 0], crit.size), np.tile(crit, a.shape[0]), values.ravel().astype(np.int64)]
    )
    # Setup only: the closed-round guard trigger is paused while the synthetic scores of the
    # open round are copied in (it checks each row; the round is open, so it would pass).
    guard = connection.vendor == "postgresql"
    if guard:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE prize_score DISABLE TRIGGER prize_score_closed")
    try:
        _copy_rows("prize_score", ["assignment_id", "criterion_id", "value"], rows)
    finally:
        if guard:
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE prize_score ENABLE TRIGGER prize_score_closed")
    return rows.shape[0]


def analyze() -> None:
    """Refresh the planner's statistics after bulk setup writes (PostgreSQL), as autovacuum
    would on a live system: a timed step must not pay for a plan made on empty tables."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def per_row_calibration(totals: np.ndarray, evaluator: np.ndarray) -> list[float]:
    """The same calibration written row by row in Python: the baseline for the ratio."""
    by_ev: dict[int, list[float]] = {}
    for t, e in zip(totals.tolist(), evaluator.tolist(), strict=True):
        by_ev.setdefault(e, []).append(t)
    stats = {e: (statistics.fmean(v), statistics.pstdev(v)) for e, v in by_ev.items()}
    allv = totals.tolist()
    pm, ps = statistics.fmean(allv), statistics.pstdev(allv)
    out = []
    for t, e in zip(allv, evaluator.tolist(), strict=True):
        m, s = stats[e]
        z = (t - m) / s if s > 1e-12 else 0.0
        out.append(min(5.0, max(1.0, pm + z * ps)))
    return out


def run(args: argparse.Namespace) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from urbis.common.actor import Actor
    from urbis.common.roles import ADMIN
    from urbis.prize import domain, queries
    from urbis.prize.models import Round, Score
    from urbis.prize.scoring import aggregate

    admin = get_user_model().objects.create(username="bench-admin")
    admin.groups.add(Group.objects.get_or_create(name=ADMIN)[0])
    actor = Actor.for_user(admin)
    rng = np.random.default_rng(args.seed)
    print(
        f"database: {connection.vendor}; {args.applications} applications, "
        f"{args.evaluators} evaluators, {args.reviews} reviews each, 3 rounds"
    )
    t_setup = time.perf_counter()
    edition, quality, bias = setup(args.applications, args.evaluators, args.reviews, args.seed)
    analyze()
    print(f"setup (not timed in the pipeline): {time.perf_counter() - t_setup:.2f} s")

    from urbis.prize import bulk, mail
    from urbis.prize.domain import rounds as round_domain
    from urbis.prize.scoring import agreement, ranking
    from urbis.prize.scoring import assignment as assigning

    timer = Timer()
    with timer("conflicts (vectorised detection + insert)"):
        n_conflicts = domain.conflicts_detect(actor=actor, edition=edition)
    print(f"    {n_conflicts} automatic conflicts")
    print("assignment quality on round 1 (not timed in the pipeline)")
    compare_assignments(edition, args.reviews, args.programme)
    # From here on, CPU inside these functions counts towards the timed steps' breakdown.
    inside = Attribution()
    inside.wrap(assigning, "assign_optimal", "exact assignment (classes + min-cost flow)")
    inside.wrap(round_domain, "_fit_matrix", "fit matrix (ORM reads + vectorised fit)")
    inside.wrap(mail, "assignments_queue", "assignment mails (ORM, one per evaluator)")
    inside.wrap(bulk, "insert_rows", "bulk inserts (rows built in Python)")
    inside.wrap(aggregate, "calibrate", "calibration")
    inside.wrap(aggregate, "aggregate", "aggregation (scores per application)")
    inside.wrap(agreement, "alpha", "agreement (Krippendorff's alpha)")
    inside.wrap(ranking, "rank_order", "ranking (order + tie-breaks)")
    total_scores = 0
    calibration_times: list[float] = []
    for number in (1, 2, 3):
        r = Round.objects.get(edition=edition, number=number)
        domain.round_open(actor=actor, round_=r)
        print(f"round {number}")
        with timer(f"r{number} assignment (compute + insert)"):
            domain.assignments_generate(actor=actor, round_=r)
        t0 = time.perf_counter()
        total_scores += write_scores(r, quality, bias, rng)
        analyze()
        print(f"    synthetic scores written in {time.perf_counter() - t0:.2f} s (not timed)")
        with timer(f"r{number} load scores as arrays"):
            data = queries.round_data(r)
        with timer(f"r{number} calibration (z-score, all reviews)"):
            calibrated = aggregate.calibrate(
                data.totals, data.review_evaluator, scale_min=1, scale_max=5
            )
        calibration_times.append(timer.steps[-1][1])
        with timer(f"r{number} alpha (Krippendorff, 6 criteria)"):
            alphas = queries.agreement_table(r, data)
        with timer(f"r{number} ranking (calibrated + tie-breaks)"):
            result = queries.rank(data)
        with timer(f"r{number} close (rank again + advance)"):
            domain.round_close(actor=actor, round_=r)
        shown = ", ".join(f"{k} {v:.3f}" for k, v in alphas.items() if v is not None)
        print(f"    alpha: {shown}; best score {np.nanmax(result.scores):.3f}")
    pipeline = sum(t for _, t in timer.steps)
    cpu = sum(timer.cpu)
    print(f"scores in the database: {Score.objects.count()} ({total_scores} written)")
    print(
        f"PIPELINE TOTAL: wall {pipeline:.3f} s, CPU {cpu:.3f} s in this process (goal "
        "< 10 s). On a loaded machine the wall time mostly waits for a core and for the "
        "database; the CPU time is this process's own work (Python + NumPy), not the "
        "database server's"
    )
    print("where the pipeline's CPU goes (inside the timed steps):")
    inside.report(cpu)
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    # Ratio: vectorised calibration against a per-row Python loop on the last round.
    t0 = time.perf_counter()
    slow = per_row_calibration(data.totals, data.review_evaluator)
    per_row = time.perf_counter() - t0
    assert np.allclose(slow, calibrated)
    print(
        f"calibration per-row Python {per_row:.3f} s vs vectorised "
        f"{calibration_times[-1]:.4f} s: ratio {per_row / max(calibration_times[-1], 1e-9):.0f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--evaluators", type=int, default=300)
    parser.add_argument("--reviews", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument(
        "--programme",
        action="store_true",
        help="also solve round 1 as a linear programme (HiGHS) and compare (slow)",
    )
    args = parser.parse_args()
    runner = get_runner(django.conf.settings)(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        run(args)
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
