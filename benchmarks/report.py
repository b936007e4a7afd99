"""The activity report: build time, peak memory and query counts (HTML and PDF).

    python benchmarks/report.py                 # scratch SQLite databases in a temp folder
    DATABASE_URL=postgres://... python benchmarks/report.py --skip-ga6

Two data sets, each in its own fresh database:
1. the 6th General Assembly (the shipped demo data, `load_demo`);
2. a SYNTHETIC assembly with 1,000 local-government members and 2,000 delegates (built with
   the test factories, `tests/factories/reports.py`), plus a small one (100 members, 200
   delegates) in the same database to show that the number of queries does not grow with
   the number of members or delegates.

For each it prints the time to read the data (`assembly.build`), to render the HTML and to
print the PDF, the Python peak memory (tracemalloc, in a second run) and the process peak
resident set size, and the number of database queries. It never asserts a time.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbis.config.settings")


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def _peak(fn: Callable[[], Any]) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def measure(label: str, number: int) -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from urbis.reports import render
    from urbis.reports.assembly import build

    build(number)  # warm caches shared by every report (geonames index, templates, fonts)
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        report, t_build = _timed(lambda: build(number))
    page, t_html = _timed(lambda: render.html(report))
    pdf, t_pdf = _timed(lambda: render.pdf(report))
    peak_html = _peak(lambda: render.html(build(number)))
    peak_pdf = _peak(lambda: render.pdf(build(number)))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    h = report.highlight
    print(
        f"{label}: {h['cities'].value if 'cities' in h else 0} cities, "
        f"{h['participants'].value if 'participants' in h else 0} delegates, "
        f"{sum(len(g.rows) for g in report.memorandum.groups)} members at the session"
    )
    print(f"  queries (build)           {len(queries.captured_queries):>8}")
    print(f"  read the data             {t_build:8.2f} s")
    html_kb = len(page) // 1024
    print(f"  HTML ({html_kb} KB)            {t_html:8.2f} s   total {t_build + t_html:.2f} s")
    print(
        f"  PDF ({len(pdf) // 1024} KB)             {t_pdf:8.2f} s   total {t_build + t_pdf:.2f} s"
    )
    print(f"  Python peak, HTML         {peak_html:8.1f} MiB")
    print(f"  Python peak, PDF          {peak_pdf:8.1f} MiB")
    print(f"  process peak RSS so far   {rss:8.1f} MiB")


def query_count(number: int) -> int:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from urbis.reports.assembly import build

    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        build(number)
    return len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-ga6", action="store_true")
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--delegates", type=int, default=2000)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="urbis-report-bench-"))
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'bench.sqlite3'}"

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from tests.factories.reports import synthetic_assembly

    print(f"database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    if not args.skip_ga6:
        _, t_load = _timed(lambda: call_command("load_demo", stdout=io.StringIO()))
        print(f"(6th GA data set loaded in {t_load:.1f} s)")
        measure("6th General Assembly 2023", 6)
    # SYNTHETIC assemblies: a small and a large one side by side, then the large one measured
    _, t_small = _timed(
        lambda: synthetic_assembly(number=91, year=2041, members=100, delegates=200)
    )
    _, t_large = _timed(
        lambda: synthetic_assembly(
            number=92, year=2044, members=args.members, delegates=args.delegates
        )
    )
    print(f"(synthetic assemblies built in {t_small:.1f} s and {t_large:.1f} s)")
    small, large = query_count(91), query_count(92)
    print(
        f"queries: 100 members/200 delegates {small}, "
        f"{args.members} members/{args.delegates} delegates {large} (ratio {large / small:.2f})"
    )
    measure(f"SYNTHETIC assembly ({args.members} members, {args.delegates} delegates)", 92)


if __name__ == "__main__":
    main()
