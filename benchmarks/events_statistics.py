"""Participation statistics: set-based (ours) against per-row and against one raw SQL query.

Builds an event with N organisations and D delegates each in an in-memory SQLite database
(or DATABASE_URL), then times, in one run:
  ours     urbis.events.queries.statistics (one grouped read of registrations + regions)
  per-row  the same figures by walking registrations and asking for each one's region
  floor    a single raw SQL aggregate (cities, countries, mayoral level) without the lists
and prints the ratios and query counts. Never asserts a time.

    .venv/bin/python benchmarks/events_statistics.py --organisations 300 --delegates 3
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbis.config.settings")


def _best(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=300)
    parser.add_argument("--delegates", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)

    import datetime as dt

    from urbis.common.models import CountryRegion, Region
    from urbis.events import queries, rules
    from urbis.events.models import Event, Registration, RegistrationStatus
    from urbis.members.models import Organisation

    codes = ["KR", "JP", "NP", "PH", "UG", "NG", "TR", "ES", "BR", "MX", "AE", "IR"]
    regions = {}
    for i, name in enumerate(["Asia-Pacific", "Africa", "Europe", "Americas", "Middle East"]):
        regions[name] = Region.objects.create(code=f"r{i}", name=name, sort_order=i)
    region_of = dict(zip(codes, ["Asia-Pacific"] * 4 + ["Africa"] * 2 + ["Europe"] * 2
                         + ["Americas"] * 2 + ["Middle East"] * 2, strict=True))  # fmt: skip
    CountryRegion.objects.bulk_create(
        [CountryRegion(country=c, region=regions[r]) for c, r in region_of.items()]
    )
    event = Event.objects.create(
        slug="bench", name="Bench", starts_on=dt.date(2023, 9, 25), ends_on=dt.date(2023, 9, 27)
    )
    categories = ["local_government"] * 6 + ["institution", "corporation", "embassy", "partner"]
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Org {i}",
                slug=f"org-{i}",
                category=categories[i % len(categories)],
                country=codes[i % len(codes)],
            )
            for i in range(args.organisations)
        ]
    )
    Registration.objects.bulk_create(
        [
            Registration(
                event=event,
                organisation=o,
                person_name=f"Delegate {o.pk}-{d}",
                person_key=rules.person_key(f"Delegate {o.pk}-{d}"),
                mayoral_level=d == 0 and o.category == "local_government",
                status=RegistrationStatus.APPROVED,
                code=f"B{o.pk:05d}{d:02d}",
            )
            for o in orgs
            for d in range(args.delegates)
        ]
    )

    def ours() -> tuple[int, int, int]:
        s = queries.statistics(event)
        return s.city_count, len(s.countries), s.mayoral_level

    def per_row() -> tuple[int, int, int]:
        cities: dict[int, str] = {}
        mayoral = 0
        for reg in Registration.objects.filter(event=event, status="approved"):
            org = reg.organisation  # one query per registration
            if org.category == "local_government":
                cr = CountryRegion.objects.filter(country=org.country).first()  # and another
                cities[org.pk] = cr.region.name if cr else ""
            mayoral += reg.mayoral_level
        countries = {Organisation.objects.get(pk=pk).country for pk in cities}
        return len(cities), len(countries), mayoral

    def floor() -> tuple[int, int, int]:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT COUNT(DISTINCT CASE WHEN o.category='local_government' THEN o.id END),"
                " COUNT(DISTINCT CASE WHEN o.category='local_government' THEN o.country END),"
                " SUM(CASE WHEN r.mayoral_level THEN 1 ELSE 0 END)"
                " FROM events_registration r JOIN members_organisation o"
                " ON o.id = r.organisation_id WHERE r.event_id = %s AND r.status = 'approved'",
                [event.pk],
            )
            a, b, c = cur.fetchone()
        return int(a), int(b), int(c)

    assert ours() == per_row() == floor(), (ours(), per_row(), floor())
    counts = {}
    for name, fn in [("ours", ours), ("per-row", per_row), ("floor", floor)]:
        calls = []

        def count(execute, sql, params, many, context, calls=calls):  # type: ignore[no-untyped-def]
            calls.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            fn()
        counts[name] = len(calls)
    t_ours, t_row, t_floor = (_best(f, args.repeat) for f in (ours, per_row, floor))
    n = args.organisations * args.delegates
    print(f"{args.organisations} organisations x {args.delegates} delegates = {n} registrations")
    print(f"queries: ours {counts['ours']}, per-row {counts['per-row']}, floor {counts['floor']}")
    print(f"per-row / ours: {t_row / t_ours:.1f}x slower")
    print(f"ours / floor:   {t_ours / t_floor:.1f}x (the floor builds no lists and no regions)")


if __name__ == "__main__":
    main()
