"""A synthetic General Assembly under load: check-ins and roll-call votes against the floor.

    DATABASE_URL=postgres://user@127.0.0.1:5432/db python benchmarks/assembly.py

Builds a synthetic assembly (SYNTHETIC data: 2,000 local-government members, one
delegation each) in the database DATABASE_URL names (PostgreSQL), serves the project under
gunicorn on loopback, and runs 50 concurrent clients that first check in every delegate
(POST /api/v1/governance/meetings/<slug>/check-ins) and then cast one roll-call vote per
member (POST /api/v1/governance/items/<id>/votes), each as an authenticated staff session
with CSRF. Gunicorn runs gthread workers by default (--workers 2 x cores, --threads 16):
each request spends most of its time waiting on database round trips. In the same run
it measures the floor, a bare Django view doing one INSERT, before and after. It prints
requests/s and p50/p99 latency of each phase, the ratios to the floor, the database's row
counts (lost or duplicated check-ins and votes) and the number of queries of the quorum
endpoint at zero and at full attendance.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.floor_settings"

SLUG = "bench-assembly"
PREFIX = "bench-synthetic-"


@dataclass
class Phase:
    name: str
    seconds: float
    latencies: list[float]
    statuses: dict[int, int]

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def setup(members: int) -> tuple[int, list[int], list[int], str, str]:
    """Synthetic registry, meeting and staff session; returns ids and cookies."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    from urbis.common import roles
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
    client = Client()
    # As a sign-in through the login page would: the backend that loads roles with the user.
    client.force_login(user, backend="urbis.common.auth.RoleLoadingBackend")
    session = client.cookies["sessionid"].value
    return item.pk, [d.pk for d in delegates], [o.pk for o in orgs], session, secrets.token_hex(16)


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
    return Phase(name, time.perf_counter() - start, latencies, statuses)


def quorum_queries() -> tuple[int, tuple[int, int, int, bool]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from urbis.governance import queries
    from urbis.governance.models import Meeting

    meeting = Meeting.objects.get(slug=SLUG)
    with CaptureQueriesContext(connection) as ctx:
        q = queries.quorum_for(meeting)
    return len(ctx.captured_queries), (q.present, q.eligible, q.required, q.met)


def wait_for(port: int, proc: subprocess.Popen, path: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit("gunicorn exited early")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    sys.exit("gunicorn did not answer within 60 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument(
        "--threads", type=int, default=16, help="threads per gunicorn worker (1: sync workers)"
    )
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument(
        "--keep-alive",
        action="store_true",
        help="each client keeps its connection (as a check-in desk's browser does)",
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (postgres://...).")

    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    print(f"Setting up a synthetic assembly of {args.members} member delegations ...")
    item_id, delegate_ids, org_ids, session, csrf = setup(args.members)
    q0 = quorum_queries()

    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1,localhost", "DEBUG": "0"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(
        [
            str(gunicorn),
            "urbis.config.wsgi:application",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
            "--backlog",
            "2048",
            "--no-control-socket",
            *(
                ["--worker-class", "gthread", "--threads", str(args.threads)]
                if args.threads > 1
                else []
            ),
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_for(args.port, proc, f"/api/v1/governance/meetings/{SLUG}/quorum")
        auth = {
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
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

        def phase(name: str, reqs: list[tuple[str, str, bytes]]) -> Phase:
            return run_phase(name, args.port, args.clients, reqs, auth, args.keep_alive)

        phase("warm-up", [("POST", "/bench/floor/", b"")] * 200)
        phases = [
            phase("floor (before)", floor_reqs),
            phase("check-ins", checkin_reqs),
            phase("roll-call votes", vote_reqs),
            phase("floor (after)", floor_reqs),
        ]
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    from django.db import connection

    from urbis.governance.models import CheckIn, Vote

    checkins = CheckIn.objects.filter(meeting__slug=SLUG)
    votes = Vote.objects.filter(agenda_item_id=item_id)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_floor")
        floor_rows = cursor.fetchone()[0]
    q1 = quorum_queries()

    floor_rate = max(phases[0].rate, phases[3].rate)
    print(
        f"\n{args.members} delegations, {args.clients} concurrent clients, "
        f"gunicorn {args.workers} workers x {args.threads} threads, PostgreSQL on loopback, "
        f"{'connections kept alive' if args.keep_alive else 'a new connection per request'}\n"
    )
    print(f"{'phase':<18}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'vs floor':>10}  statuses")
    for p in phases:
        print(
            f"{p.name:<18}{p.rate:>9.0f}{p.pct(0.50):>9.1f}{p.pct(0.99):>9.1f}"
            f"{p.rate / floor_rate:>10.2f}  {p.statuses}"
        )
    lost_ci = n - checkins.values("delegate").distinct().count()
    dup_ci = checkins.count() - checkins.values("delegate").distinct().count()
    lost_v = n - votes.values("organisation").distinct().count()
    dup_v = votes.count() - votes.values("organisation").distinct().count()
    print(f"\ncheck-ins: {checkins.count()} rows, {lost_ci} lost, {dup_ci} duplicated")
    print(f"votes:     {votes.count()} rows, {lost_v} lost, {dup_v} duplicated")
    print(f"floor:     {floor_rows} rows for {2 * n} requests")
    print(
        f"quorum endpoint: {q0[0]} queries at 0 present {q0[1]}, "
        f"{q1[0]} queries at {q1[1][0]} present {q1[1]}"
    )
    goal = (
        min(phases[1].rate, phases[2].rate) >= 0.5 * floor_rate
        and max(phases[1].pct(0.99), phases[2].pct(0.99)) < 100
        and lost_ci == dup_ci == lost_v == dup_v == 0
    )
    print(
        f"goal (>= half the floor, p99 < 100 ms, nothing lost or duplicated): "
        f"{'reached' if goal else 'not reached'}"
    )


if __name__ == "__main__":
    main()
