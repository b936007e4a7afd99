"""Benchmark of the status review on PostgreSQL (prints measured times and ratios; no pass/fail).

Builds (once) a synthetic network of N members with Y fiscal years of invoices, payments
and participation, then times:

  (a) review_preview(as_of=...)              the set-based query + pure rules
  (b) a plain per-member ORM loop             same decisions, on a sample, extrapolated
  (c) one hand-written SQL query              the same proposals: the floor

and checks that (a), (b) on its sample, and (c) agree.

    createdb -h 127.0.0.1 -U postgres urbis_bench_dues
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/urbis_bench_dues \
        python benchmarks/review.py --members 100000 --years 10

The synthetic data is generated with a fixed seed; `--rebuild` drops it and builds again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbis.config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402

from urbis.dues.models import Payment, ReviewFlag  # noqa: E402
from urbis.dues.queries.review import load_rules, review_preview  # noqa: E402
from urbis.dues.rules import review as review_rules  # noqa: E402
from urbis.members.models import LifecycleEvent, Organisation, Participation  # noqa: E402
from urbis.members.queries.registry import STATE_CHANGING_KINDS, lifecycle_steps  # noqa: E402
from urbis.members.rules import State, state_as_of, withdrawal_letter_pending  # noqa: E402

PREFIX = "bench-"
CATEGORIES = [("local_government", 0.6), ("institution", 0.15), ("corporation", 0.25)]


def build(n_members: int, years: int, as_of: dt.date, seed: int = 2023) -> None:
    """Synthetic registry with COPY: members, events, invoices, payments, participation."""
    rng = random.Random(seed)
    first_year = as_of.year - years + 1
    now = "2023-09-01 00:00:00+00"
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE members_payment, members_creditnote, members_invoice, "
            "members_participation, members_lifecycleevent, members_reviewflag, "
            "members_contact, members_organisation RESTART IDENTITY CASCADE"
        )
    raw = connection.connection
    cats = [c for c, _ in CATEGORIES]
    weights = [w for _, w in CATEGORIES]
    orgs, events, invoices, payments, parts, flags = [], [], [], [], [], []
    inv_id = 0
    for i in range(1, n_members + 1):
        cat = rng.choices(cats, weights)[0]
        orgs.append(
            (i, f"Member {i}", f"{PREFIX}{i}", cat, "KR", "[]",
             "sme" if cat == "corporation" else "",
             "non_profit" if cat == "institution" else "")
        )  # fmt: skip
        approved = dt.date(rng.randint(2010, first_year + 2), rng.randint(1, 12), 1)
        events.append((i, "approved", approved))
        roll = rng.random()
        # stop year: the last year with any activity (most members stay active)
        stop = as_of.year if roll < 0.85 else rng.randint(first_year, as_of.year - 1)
        if rng.random() < 0.03:
            events.append((i, "suspended", dt.date(rng.randint(2019, 2022), 6, 1)))
        elif rng.random() < 0.02:
            events.append((i, "withdrawn", dt.date(rng.randint(2019, 2022), 6, 1)))
        elif rng.random() < 0.003:
            events.append((i, "withdrawal_announced", dt.date(2023, rng.randint(1, 7), 1)))
        if rng.random() < 0.001:
            flags.append((i, "ceased_to_exist", dt.date(2023, 3, 1)))
        for year in range(max(first_year, approved.year), as_of.year + 1):
            inv_id += 1
            invoices.append((inv_id, i, year, f"{year}-{i:07d}", dt.date(year, 1, 15)))
            if year <= stop and rng.random() < 0.85:
                paid = dt.date(year, rng.randint(2, 8), rng.randint(1, 28))
                if paid <= as_of:
                    payments.append((i, inv_id, paid, f"B{inv_id}"))
            if year <= stop:
                for k in range(rng.randint(0, 2)):
                    day = dt.date(year, rng.randint(1, 8), rng.randint(1, 28))
                    if day <= as_of:
                        parts.append((i, day, f"Activity {year}-{k}"))

    def copy(sql: str, rows: list[tuple]) -> None:
        with raw.cursor() as cur, cur.copy(sql) as cp:
            for row in rows:
                cp.write_row(row)

    copy(
        "COPY members_organisation (id, name, slug, category, country, aliases, "
        "corporate_category, institution_type, official_name, city, founding_member, website, "
        "description, created_at, updated_at) FROM STDIN",
        [(*o, "", "", False, "", "", now, now) for o in orgs],
    )
    copy(
        "COPY members_lifecycleevent (organisation_id, kind, date, date_precision, reason, "
        "decision_ref, letter, evidence, recorded_at) FROM STDIN",
        [
            (o, k, d, "day", "", "", "pending" if k == "withdrawal_announced" else "", "{}", now)
            for o, k, d in events
        ],
    )
    copy(
        "COPY members_invoice (id, organisation_id, fiscal_year, number, issued_on, due_on, "
        "amount, currency, explanation, illustrative, created_at) FROM STDIN",
        [(*v, dt.date(v[2], 3, 31), "1000.00", "USD", "", False, now) for v in invoices],
    )
    copy(
        "COPY members_payment (organisation_id, invoice_id, received_on, reference, amount, "
        "currency, method, illustrative, created_at) FROM STDIN",
        [(*p, "1000.00", "USD", "", False, now) for p in payments],
    )
    copy(
        "COPY members_participation (organisation_id, date, activity, kind, notes) FROM STDIN",
        [(*p, "event", "") for p in parts],
    )
    copy(
        "COPY members_reviewflag (organisation_id, code, noted_on, note, illustrative) FROM STDIN",
        [(*f, "", False) for f in flags],
    )
    with connection.cursor() as cur:
        for table in ("organisation", "lifecycleevent", "invoice", "payment", "participation"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('members_{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM members_{table}))"
            )
        cur.execute("ANALYZE")
    print(
        f"built: {len(orgs):,} members, {len(events):,} lifecycle events, "
        f"{len(invoices):,} invoices, {len(payments):,} payments, "
        f"{len(parts):,} participations, {len(flags):,} flags"
    )


FLOOR_SQL = """
WITH st AS (
  SELECT DISTINCT ON (organisation_id) organisation_id, kind
  FROM members_lifecycleevent
  WHERE date <= %(as_of)s AND kind = ANY(%(changing)s)
  ORDER BY organisation_id, date DESC, id DESC
), pay AS (
  SELECT organisation_id, MAX(received_on) AS d FROM members_payment
  WHERE received_on <= %(as_of)s GROUP BY organisation_id
), part AS (
  SELECT organisation_id, MAX(date) AS d FROM members_participation
  WHERE date <= %(as_of)s GROUP BY organisation_id
), since AS (
  SELECT organisation_id, MAX(date) AS d FROM members_lifecycleevent
  WHERE kind = 'approved' AND date <= %(as_of)s GROUP BY organisation_id
), pend AS (
  SELECT DISTINCT a.organisation_id FROM members_lifecycleevent a
  WHERE a.kind = 'withdrawal_announced' AND a.date <= %(as_of)s AND NOT EXISTS (
    SELECT 1 FROM members_lifecycleevent b WHERE b.organisation_id = a.organisation_id
      AND b.kind = ANY(%(changing)s) AND b.date >= a.date AND b.date <= %(as_of)s)
), flag AS (
  SELECT DISTINCT organisation_id FROM members_reviewflag
  WHERE code = 'ceased_to_exist' AND noted_on <= %(as_of)s
    AND (resolved_on IS NULL OR resolved_on > %(as_of)s)
), facts AS (
  SELECT o.id, o.category, st.kind AS last_kind,
         COALESCE(GREATEST(pay.d, part.d), since.d) AS inactive_since,
         flag.organisation_id IS NOT NULL AS ceased,
         pend.organisation_id IS NOT NULL AS pending
  FROM members_organisation o
  JOIN st ON st.organisation_id = o.id
  LEFT JOIN pay ON pay.organisation_id = o.id
  LEFT JOIN part ON part.organisation_id = o.id
  LEFT JOIN since ON since.organisation_id = o.id
  LEFT JOIN pend ON pend.organisation_id = o.id
  LEFT JOIN flag ON flag.organisation_id = o.id
  WHERE st.kind IN ('approved', 'reinstated', 'suspended')
)
SELECT id, CASE
  WHEN ceased THEN 'terminated'
  WHEN category = 'corporation' AND pending THEN 'terminated'
  WHEN category = 'local_government' AND last_kind <> 'suspended'
       AND inactive_since <= %(lg_cutoff)s THEN 'suspended'
  ELSE 'terminated' END
FROM facts
WHERE ceased
   OR (category = 'corporation' AND pending)
   OR (category = 'local_government' AND last_kind <> 'suspended'
       AND inactive_since <= %(lg_cutoff)s)
   OR (category = 'corporation' AND inactive_since <= %(corp_cutoff)s)
"""


def floor(as_of: dt.date, *, jit: bool = True) -> set[tuple[int, str]]:
    rules = {r.code: r for r in load_rules()}
    params = {
        "as_of": as_of,
        "changing": STATE_CHANGING_KINDS,
        "lg_cutoff": review_rules.inactivity_cutoff(rules["local-government-inactive"], as_of),
        "corp_cutoff": review_rules.inactivity_cutoff(rules["corporation-inactive"], as_of),
    }
    with transaction.atomic(), connection.cursor() as cur:
        if not jit:
            cur.execute("SET LOCAL jit = off")
        cur.execute(FLOOR_SQL, params)
        return {(pk, kind) for pk, kind in cur.fetchall()}


def per_member(orgs: list[Organisation], as_of: dt.date) -> set[tuple[int, str]]:
    """The naive way: a handful of ORM queries per member, the same pure rules."""
    rules = load_rules()
    out = set()
    for org in orgs:
        steps = lifecycle_steps(org)
        state = state_as_of(steps, as_of)
        if state not in (State.MEMBER, State.SUSPENDED):
            continue
        facts = review_rules.MemberFacts(
            organisation_id=org.pk,
            name=org.name,
            category=org.category,
            state=state,
            member_since=org.lifecycle_events.filter(kind="approved", date__lte=as_of).aggregate(
                d=Max("date")
            )["d"],
            last_payment=org.payments.filter(received_on__lte=as_of).aggregate(
                d=Max("received_on")
            )["d"],
            last_participation=org.participations.filter(date__lte=as_of).aggregate(d=Max("date"))[
                "d"
            ],
            withdrawal_letter_pending=withdrawal_letter_pending(steps, as_of),
            flags=frozenset(
                ReviewFlag.objects.filter(
                    organisation=org, noted_on__lte=as_of, resolved_on=None
                ).values_list("code", flat=True)
            ),
        )
        proposal = review_rules.evaluate(facts, rules, as_of)
        if proposal is not None:
            out.add((org.pk, proposal.propose.value))
    return out


def timed(fn, repeat: int):  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--sample", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--as-of", default="2023-09-01")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
    as_of = dt.date.fromisoformat(args.as_of)
    call_command("migrate", verbosity=0)
    have = Organisation.objects.filter(slug__startswith=PREFIX).count()
    if args.rebuild or have != args.members:
        start = time.perf_counter()
        build(args.members, args.years, as_of)
        print(f"build took {time.perf_counter() - start:.1f} s")
    print(
        f"data: {Organisation.objects.count():,} members, {Payment.objects.count():,} payments, "
        f"{Participation.objects.count():,} participations, "
        f"{LifecycleEvent.objects.count():,} lifecycle events"
    )

    # (a) and (c) alternate, so that both see the same load on a shared machine.
    times: dict[str, list[float]] = {"a": [], "c_jit": [], "c_nojit": []}
    for _ in range(args.repeat):
        t, preview = timed(lambda: review_preview(as_of=as_of), 1)
        times["a"].append(t)
        t, got_c = timed(lambda: floor(as_of), 1)
        times["c_jit"].append(t)
        t, got_c2 = timed(lambda: floor(as_of, jit=False), 1)
        times["c_nojit"].append(t)
    assert got_c == got_c2
    got_a = {(i.proposal.organisation_id, i.proposal.propose.value) for i in preview.items}
    t_a = statistics.median(times["a"])
    t_c_jit = statistics.median(times["c_jit"])
    t_c_nojit = statistics.median(times["c_nojit"])
    # The floor is the faster of the same SQL with and without PostgreSQL's JIT compiler.
    t_c = min(t_c_jit, t_c_nojit)

    rng = random.Random(7)
    ids = rng.sample(list(Organisation.objects.values_list("pk", flat=True)), args.sample)
    sample = list(Organisation.objects.filter(pk__in=ids))
    t_b_sample, got_b = timed(lambda: per_member(sample, as_of), 1)
    t_b = t_b_sample * args.members / len(sample)

    assert got_a == got_c, f"preview and SQL floor differ: {len(got_a ^ got_c)} rows"
    assert got_b == {x for x in got_a if x[0] in set(ids)}, "per-member loop disagrees"
    print(f"proposals: {len(got_a):,} (preview, SQL floor and per-member sample agree)")
    print(
        f"(a) review_preview           {t_a:8.3f} s  (median of {args.repeat}, "
        f"interleaved with (c))"
    )
    print(
        f"(b) per-member ORM loop      {t_b:8.3f} s  (extrapolated from {len(sample):,} "
        f"members: {t_b_sample:.3f} s)"
    )
    print(
        f"(c) hand-written SQL floor   {t_c:8.3f} s  (median of {args.repeat}; JIT on "
        f"{t_c_jit:.3f} s, off {t_c_nojit:.3f} s)"
    )
    print(f"(a)/(c) = {t_a / t_c:.2f}x   (b)/(a) = {t_b / t_a:.1f}x")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {os.cpu_count()} CPUs, load average {load:.1f} at the end of the run")


if __name__ == "__main__":
    main()
