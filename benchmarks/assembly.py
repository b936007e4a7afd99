"""A synthetic General Assembly under load: check-ins and roll-call votes against the floor.

    DATABASE_URL=postgres://user@127.0.0.1:5432/db python benchmarks/assembly.py

Builds a synthetic assembly (SYNTHETIC data: local-government members, one delegation
each) in the database DATABASE_URL names (PostgreSQL), serves the project under gunicorn
on loopback (sync workers, 2 x cores + 1, as deploy/gunicorn.conf.py has them), and has 50
concurrent clients check delegates in (POST /api/v1/governance/meetings/<slug>/check-ins) and then
cast one roll-call vote per member (POST /api/v1/governance/items/<id>/votes), signed with
a staff member's desk key (answered by `urbis.governance.api_desk`; `--auth session`: a
signed-in session with CSRF instead, answered by django-ninja). In the same run it measures
the floor, a bare Django view doing one INSERT, before and after.

Two load generators: wrk (Debian's package `wrk`, the default when installed) keeps its
connections and runs each phase as --rounds slices of --seconds, each slice of check-ins
(then of votes) right after a slice of the floor, so that both see the machine alike when
its speed drifts (a shared machine's does, by a fifth within a minute); the Python client
(`--client python`) sends each of 2,000 check-ins and votes once from 50 threads, and
takes most of a core itself. It prints requests/s and p50/p99 latency of each phase, the
ratios to the floor, the rows written against the 200s answered (lost or duplicated
check-ins and votes) and the number of queries of the quorum endpoint at zero and at full
attendance.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.floor_settings"

from benchmarks.server import free_port, start_gunicorn, stop, wait_for  # noqa: E402

SLUG = "bench-assembly"
PREFIX = "bench-synthetic-"


@dataclass
class Phase:
    """One phase as the client measured it: requests answered, seconds, latencies."""

    name: str
    seconds: float
    statuses: dict[int | str, int]
    latencies: list[float] | None = None  # the Python client keeps every latency
    p50_ms: float = 0.0  # wrk gives its percentiles: of slices, the median p50, the worst p99
    p99_ms: float = 0.0

    @property
    def answered(self) -> int:
        return sum(self.statuses.values())

    @property
    def ok(self) -> int:
        return self.statuses.get(200, 0)

    @property
    def rate(self) -> float:
        return self.answered / self.seconds

    def pct(self, q: float) -> float:
        if self.latencies is None:
            return self.p50_ms if q == 0.50 else self.p99_ms
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def setup(members: int) -> tuple[int, list[int], list[int], str, str, str]:
    """Synthetic registry, meeting, staff session and desk key; returns ids and credentials."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import DatabaseError, connection, transaction
    from django.test import Client

    from urbis.common import roles
    from urbis.governance.domain import desk_key_issue
    from urbis.governance.models import AgendaItem, Delegate, Meeting, QuorumRule
    from urbis.members.models import LifecycleEvent, Organisation

    if connection.vendor != "postgresql":
        sys.exit("DATABASE_URL must name a PostgreSQL database.")
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        Meeting.objects.filter(slug=SLUG).delete()
        Organisation.objects.filter(slug__startswith=PREFIX).delete()
        QuorumRule.objects.get_or_create(
            effective_from=dt.date(2010, 1, 1),
            defaults={
                "numerator": 1,
                "denominator": 4,
                "counted_categories": ["local_government"],
                "counted_states": ["member"],
            },
        )
        orgs = Organisation.objects.bulk_create(
            Organisation(
                name=f"Synthetic city {i:05d}",
                slug=f"{PREFIX}{i:05d}",
                category="local_government",
                country="KR",
                population=10_000 + i,
            )
            for i in range(members)
        )
        LifecycleEvent.objects.bulk_create(
            LifecycleEvent(organisation=o, kind="approved", date=dt.date(2015, 1, 1)) for o in orgs
        )
        meeting = Meeting.objects.create(
            body="ga",
            slug=SLUG,
            title="Synthetic assembly (benchmark)",
            date=dt.date.today(),
            convocation_date=dt.date.today(),
        )
        item = AgendaItem.objects.create(
            meeting=meeting,
            number=1,
            title="Synthetic roll call",
            kind="approval",
            method="roll_call",
        )
        delegates = Delegate.objects.bulk_create(
            Delegate(meeting=meeting, organisation=o, name=f"Head {o.pk}", position="Mayor")
            for o in orgs
        )
        user, _ = get_user_model().objects.get_or_create(username="bench-staff")
        user.groups.add(Group.objects.get_or_create(name=roles.STAFF)[0])
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_floor (id bigserial PRIMARY KEY, n int)")
        cursor.execute("TRUNCATE bench_floor")
        # Set-up's dirty pages written out now, not by a checkpoint in the middle of a phase
        # (one stalls every commit for a moment: the floor's as much as ours).
        with contextlib.suppress(DatabaseError), transaction.atomic():
            cursor.execute("CHECKPOINT")  # needs a superuser or pg_checkpoint
    client = Client()
    # As a sign-in through the login page would: the backend that loads roles with the user.
    client.force_login(user, backend="urbis.common.auth.RoleLoadingBackend")
    session = client.cookies["sessionid"].value
    key = desk_key_issue(actor=user, meeting=meeting).key
    ids = [d.pk for d in delegates], [o.pk for o in orgs]
    return item.pk, *ids, session, secrets.token_hex(16), key


def run_phase(
    name: str,
    port: int,
    clients: int,
    requests: list[tuple[str, str, bytes]],
    headers: dict,
    keep_alive: bool = False,
) -> Phase:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    local = threading.local()

    def one(req: tuple[str, str, bytes]) -> tuple[float, int]:
        method, path, body = req
        conn = getattr(local, "conn", None) if keep_alive else None
        if conn is None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            local.conn = conn
        start = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        elapsed = time.perf_counter() - start
        if not keep_alive or response.will_close:
            conn.close()
            local.conn = None
        return elapsed, response.status

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for elapsed, status in pool.map(one, requests):
            latencies.append(elapsed)
            statuses[status] = statuses.get(status, 0) + 1
    return Phase(name, time.perf_counter() - start, dict(statuses), latencies)


def run_wrk(
    name: str,
    port: int,
    clients: int,
    requests: list[tuple[str, str, bytes]],
    headers: dict,
    seconds: float,
) -> Phase:
    """The same phase driven by wrk (C, kept connections) for `seconds`: the load generator
    then takes a small share of the two cores instead of most of one. Each request of the
    list is sent at most once; the list must outlast the phase."""
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
        for method, path, body in requests:
            f.write(f"{method}\t{path}\t{body.decode()}\n")
    names = [f"{k}: {v}" for k, v in headers.items() if k.lower() != "connection"]
    command = [
        "wrk", "-t", str(min(2, clients)), "-c", str(clients), "-d", f"{seconds}s",
        "--timeout", "30s",
        "-s", str(ROOT / "benchmarks" / "assembly.lua"),
        f"http://127.0.0.1:{port}", "--", f.name, "2", *names,
    ]  # fmt: skip
    try:
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(f.name)
    line = next((x for x in out.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        sys.exit(f"wrk gave no result:\n{out}")
    r = {k: int(v) for k, v in (kv.split("=") for kv in line.split()[1:])}
    bad = r["non2xx"] + r["socket_errors"]
    statuses: dict[int | str, int] = {200: r["requests"] - r["non2xx"]}
    if bad:
        statuses["non-2xx or socket error"] = bad
    return Phase(
        name,
        r["duration_us"] / 1e6,
        statuses,
        p50_ms=r["p50_us"] / 1000,
        p99_ms=r["p99_us"] / 1000,
    )


def merged(name: str, slices: list[Phase]) -> Phase:
    """Slices of one phase as one: requests and seconds summed, the median p50 and the worst
    p99 of the slices (percentiles of slices do not add up; the worst p99 is the bound)."""
    statuses: dict[int | str, int] = {}
    for p in slices:
        for status, count in p.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    p50s = sorted(p.p50_ms for p in slices)
    return Phase(
        name,
        sum(p.seconds for p in slices),
        statuses,
        p50_ms=p50s[len(p50s) // 2],
        p99_ms=max(p.p99_ms for p in slices),
    )


def interleaved(
    names: tuple[str, str],
    port: int,
    clients: int,
    floor: list[tuple[str, str, bytes]],
    writes: list[tuple[str, str, bytes]],
    headers: dict,
    seconds: float,
    rounds: int,
) -> tuple[Phase, Phase]:
    """`rounds` slices of the floor and of the writes, alternately; each slice of writes
    takes its own part of the list, so no request is sent twice."""
    size = len(writes) // rounds
    floors, parts = [], []
    for k in range(rounds):
        floors.append(run_wrk(names[0], port, clients, floor[:size], headers, seconds))
        part = writes[k * size : (k + 1) * size]
        parts.append(run_wrk(names[1], port, clients, part, headers, seconds))
    return merged(names[0], floors), merged(names[1], parts)


def fill_register(delegate_ids: list[int]) -> int:
    """Check in, directly, every delegate the check-in phase did not reach, so that every
    member may vote in the next phase; returns how many."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO governance_checkin
                (meeting_id, delegate_id, organisation_id, mode, at, source)
            SELECT d.meeting_id, d.id, d.organisation_id, d.mode, now(), 'direct'
            FROM governance_delegate d WHERE d.id = ANY(%s)
            ON CONFLICT (delegate_id) DO NOTHING
            """,
            [delegate_ids],
        )
        return cursor.rowcount


def quorum_queries() -> tuple[int, tuple[int, int, int, bool]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from urbis.governance import queries
    from urbis.governance.models import Meeting

    meeting = Meeting.objects.get(slug=SLUG)
    with CaptureQueriesContext(connection) as ctx:
        q = queries.quorum_for(meeting)
    return len(ctx.captured_queries), (q.present, q.eligible, q.required, q.met)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--client",
        choices=["wrk", "python"],
        default="wrk" if shutil.which("wrk") else "python",
        help="wrk (Debian's package; phases of --seconds) or Python threads (every member once)",
    )
    parser.add_argument("--seconds", type=int, default=3, help="length of a wrk slice")
    parser.add_argument(
        "--rounds", type=int, default=5, help="wrk: slices of each phase, between the floor's"
    )
    parser.add_argument(
        "--members", type=int, help="default: 2,000 (python), 3,000 per wrk slice-second"
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="as deployed"
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads per gunicorn worker (1, as deployed: sync workers; more: gthread)",
    )
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument(
        "--auth",
        choices=["desk-key", "session"],
        default="desk-key",
        help="how the desk signs its requests: a desk key (no session look-up) or a session",
    )
    parser.add_argument(
        "--keep-alive",
        action="store_true",
        help="each client keeps its connection (as a check-in desk's browser does)",
    )
    args = parser.parse_args()
    args.members = args.members or (
        3000 * args.seconds * args.rounds if args.client == "wrk" else 2000
    )
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (postgres://...).")

    args.port = args.port or free_port()
    print(f"Setting up a synthetic assembly of {args.members} member delegations ...")
    item_id, delegate_ids, org_ids, session, csrf, desk_key = setup(args.members)
    q0 = quorum_queries()

    proc = start_gunicorn(args.port, args.workers, args.threads)
    try:
        wait_for(args.port, proc, f"/api/v1/governance/meetings/{SLUG}/quorum")
        credentials = (
            {"Authorization": f"Bearer {desk_key}"}
            if args.auth == "desk-key"
            else {"Cookie": f"sessionid={session}; csrftoken={csrf}", "X-CSRFToken": csrf}
        )
        auth = {
            **credentials,
            "Content-Type": "application/json",
            "Connection": "keep-alive" if args.keep_alive else "close",
        }
        n = args.members
        floor_reqs = [("POST", "/bench/floor/", b"")] * n
        checkin_reqs = [
            (
                "POST",
                f"/api/v1/governance/meetings/{SLUG}/check-ins",
                json.dumps({"delegate_id": d}).encode(),
            )
            for d in delegate_ids
        ]
        vote_reqs = [
            (
                "POST",
                f"/api/v1/governance/items/{item_id}/votes",
                json.dumps({"organisation_id": o, "choice": "for"}).encode(),
            )
            for o in org_ids
        ]

        warm = run_phase("warm-up", args.port, args.clients, floor_reqs[:200], auth)
        if args.client == "wrk":

            def pair(name: str, reqs: list[tuple[str, str, bytes]]) -> tuple[Phase, Phase]:
                return interleaved(
                    (f"floor (w/ {name})", name),
                    args.port,
                    args.clients,
                    floor_reqs,
                    reqs,
                    auth,
                    args.seconds,
                    args.rounds,
                )

            floor_a, checkins = pair("check-ins", checkin_reqs)
            checked_in = rows("check-ins")
            filled = fill_register(delegate_ids)
            floor_b, votes = pair("votes", vote_reqs)
        else:

            def once(name: str, reqs: list[tuple[str, str, bytes]]) -> Phase:
                return run_phase(name, args.port, args.clients, reqs, auth, args.keep_alive)

            floor_a, checkins = once("floor (before)", floor_reqs), once("check-ins", checkin_reqs)
            checked_in, filled = rows("check-ins"), 0
            votes, floor_b = once("votes", vote_reqs), once("floor (after)", floor_reqs)
    finally:
        stop(proc)
    q1 = quorum_queries()

    # Each write phase against the floor measured beside it (wrk: its interleaved slices; the
    # Python client's single phases: the better of the floor before and after).
    if args.client == "wrk":
        phases = [(floor_a, None), (checkins, floor_a), (floor_b, None), (votes, floor_b)]
        mode = f"wrk, {args.rounds} slices of {args.seconds} s a phase, between the floor's"
    else:
        best = max(floor_a, floor_b, key=lambda p: p.rate)
        phases = [(floor_a, None), (checkins, best), (votes, best), (floor_b, None)]
        mode = "Python client, " + (
            "connections kept alive" if args.keep_alive else "a new connection per request"
        )
    print(
        f"\n{args.members} delegations, {args.clients} concurrent clients ({mode}), "
        f"gunicorn {args.workers} workers x {args.threads} threads, PostgreSQL on loopback, "
        f"signed with a {'desk key' if args.auth == 'desk-key' else 'session'}\n"
    )
    print(f"{'phase':<22}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'vs floor':>10}  statuses")
    for p, floor in phases:
        ratio = f"{p.rate / floor.rate:>10.2f}" if floor else f"{'':>10}"
        print(
            f"{p.name:<22}{p.rate:>8.0f}{p.pct(0.50):>9.1f}{p.pct(0.99):>9.1f}{ratio}  {p.statuses}"
        )
    # Every answered 200 must be a row, once: `lost` counts 200s without a row; a row whose
    # answer the client did not wait for (wrk stops at the end of its phase with requests in
    # flight) is counted apart, as is any duplicate.
    checks = [
        ("check-ins", checked_in, checkins.ok),
        ("votes", rows("votes"), votes.ok),
        ("floor", rows("floor"), floor_a.ok + floor_b.ok + warm.ok),
    ]
    print()
    clean = True
    for label, (count, distinct), answered in checks:
        lost, dup = max(answered - distinct, 0), count - distinct
        in_flight = max(distinct - answered, 0)
        clean &= lost == dup == 0 and (args.client == "wrk" or in_flight == 0)
        print(
            f"{label + ':':<11}{count} rows for {answered} answered 200: {lost} lost, "
            f"{dup} duplicated, {in_flight} committed while the client stopped"
        )
    if filled:
        print(f"(then {filled} delegates checked in directly, so that every member could vote)")
    print(
        f"quorum endpoint: {q0[0]} queries at 0 present {q0[1]}, "
        f"{q1[0]} queries at {q1[1][0]} present {q1[1]}"
    )
    goal = (
        all(p.rate >= 0.5 * floor.rate for p, floor in phases if floor)
        and max(checkins.pct(0.99), votes.pct(0.99)) < 100
        and clean
    )
    print(
        f"goal (>= half the floor, p99 < 100 ms, nothing lost or duplicated): "
        f"{'reached' if goal else 'not reached'}"
    )


def rows(what: str) -> tuple[int, int]:
    """(rows, distinct rows) written so far by a phase's requests."""
    from django.db import connection

    sql = {
        "check-ins": "SELECT count(*), count(DISTINCT c.delegate_id) FROM governance_checkin c"
        " JOIN governance_meeting m ON m.id = c.meeting_id WHERE m.slug = %s",
        "votes": "SELECT count(*), count(DISTINCT v.organisation_id) FROM governance_vote v"
        " JOIN governance_agendaitem i ON i.id = v.agenda_item_id"
        " JOIN governance_meeting m ON m.id = i.meeting_id WHERE m.slug = %s",
        "floor": "SELECT count(*), count(DISTINCT id) FROM bench_floor",
    }[what]
    with connection.cursor() as cursor:
        cursor.execute(sql, [] if what == "floor" else [SLUG])
        count, distinct = cursor.fetchone()
    return count, distinct


if __name__ == "__main__":
    main()
