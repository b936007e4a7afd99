"""The CPU one web-ballot vote costs, in one process, against the floor's.

    DATABASE_URL=postgres://user@127.0.0.1:5432/db python benchmarks/ballot_cpu.py

On a shared, loaded machine wall time says little; CPU time says what a request costs. This
builds the synthetic assembly of `benchmarks/assembly.py` (SYNTHETIC data: local-government
members, one delegation each, all present), opens a secret poll and has each head of
delegation vote once through its ballot link (POST /ballot/<token>/vote/, as htmx posts
it), one request at a time through Django's test client, in the same process. It measures
the floor (a bare view doing one INSERT) before and after the votes, and prints for each the
Python process's CPU per request (`time.process_time`), its PostgreSQL backend's
(`/proc/<pid>/stat`, when the server runs on this machine), the queries per request and the
vote's CPU as a multiple of the floor's. `--profile N` prints the cProfile of N more votes.
`--path api`: each member's vote through the polls API instead (POST
/api/v1/governance/polls/<id>/votes, signed with a staff member's desk key).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from benchmarks.assembly import fill_register, setup  # noqa: E402
from benchmarks.assembly_ballot import open_poll  # noqa: E402

FORM = "application/x-www-form-urlencoded"


def backend_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a PostgreSQL backend so far; 0 when not readable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(name: str, send, n: int, pid: int, offset: int = 0) -> tuple[float, float]:
    """(Python CPU ms, PostgreSQL CPU ms) per request over `n` requests, then the queries
    of one more (counted apart: logging them costs CPU too)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    py0, pg0 = time.process_time(), backend_cpu(pid)
    for i in range(n):
        send(offset + i)
    py, pg = (time.process_time() - py0) * 1000 / n, (backend_cpu(pid) - pg0) * 1000 / n
    with CaptureQueriesContext(connection) as queries:
        send(offset + n)
    print(f"{name:<16}{py:>10.2f}{pg:>10.2f}{py + pg:>10.2f}{len(queries):>9}")
    return py, pg


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--votes", type=int, default=300, help="votes measured")
    parser.add_argument("--profile", type=int, default=0, help="votes profiled after")
    parser.add_argument("--callees", nargs="*", default=[], help="functions to break down")
    parser.add_argument(
        "--path",
        choices=["ballot", "api"],
        default="ballot",
        help="ballot: the web ballot through each head's link; api: the polls API, desk key",
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (postgres://...).")
    print(f"Setting up a synthetic assembly of {args.members} member delegations ...")
    _, delegate_ids, org_ids, _, _, desk_key = setup(args.members)
    fill_register(delegate_ids)
    poll_id, yes = open_poll()

    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from urbis.governance.ballot_links import ballot_link_sign
    from urbis.governance.models import Delegate

    delegates = list(
        Delegate.objects.filter(pk__in=delegate_ids).select_related("meeting").order_by("pk")
    )
    urls = [
        reverse(
            "governance:ballot_link_vote",
            args=[ballot_link_sign(delegate=d, meeting=d.meeting)],
        )
        for d in delegates
    ]
    client = Client(HTTP_HX_REQUEST="true")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]

    def floor(i: int) -> None:
        assert client.post("/bench/floor/").status_code == 200

    body = urlencode({"poll": poll_id, "option": yes})  # as htmx posts the form

    def vote(i: int) -> None:
        response = client.post(urls[i], body, content_type=FORM)
        assert b"Your vote is recorded." in response.content, response.content[:2000]

    api = Client(HTTP_AUTHORIZATION=f"Bearer {desk_key}")

    def api_vote(i: int) -> None:
        payload = json.dumps({"organisation_id": org_ids[i], "option_ids": [yes]})
        response = api.post(
            f"/api/v1/governance/polls/{poll_id}/votes", payload, "application/json"
        )
        assert response.status_code == 201, response.content[:2000]

    if args.path == "api":
        vote = api_vote  # the same members, through the API

    warm = 20
    for i in range(warm):
        floor(i)
        vote(i)
    n = min(args.votes, len(urls) - warm - args.profile - 1)
    print(f"{'request':<16}{'py ms':>10}{'pg ms':>10}{'total':>10}{'queries':>9}")
    before = measure("floor (before)", floor, n, pid)
    name = "web-ballot vote" if args.path == "ballot" else "API vote"
    voted = measure(name, vote, n, pid, offset=warm)
    after = measure("floor (after)", floor, n, pid)
    floor_cpu = min(before[0] + before[1], after[0] + after[1])
    print(f"vote CPU / floor CPU: {(voted[0] + voted[1]) / floor_cpu:.1f}")
    if args.profile:
        profiler = cProfile.Profile(time.process_time)  # CPU, not waits
        profiler.enable()
        for i in range(args.profile):
            vote(warm + n + 1 + i)
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
        for name in args.callees:
            stats.print_callees(name)


if __name__ == "__main__":
    main()
