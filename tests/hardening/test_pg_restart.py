"""A PostgreSQL restart during check-in traffic: clients recover, no check-in is lost or
doubled.

The suite's server is shared, so the test starts a private cluster (`pg_cluster`), migrates
and seeds it from a subprocess, serves the project under gunicorn against it, and has
client threads check in every delegate through the API while the cluster is restarted
(`pg_ctl restart -m fast`) once a third of the check-ins are in. A client retries on a
connection error or a 5xx. It does not depend on the suite's database, so it runs the same
under SQLite and PostgreSQL suite runs.

The server keeps its connections (DATABASE_CONN_MAX_AGE=60, as deployed), so the restart
breaks requests in two ways: those that arrive while the server is down, and the first
request on each kept connection after it is back. Both must answer 503 (never 500).
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.hardening.pg_cluster import Cluster, find_bindir, free_port, private_cluster

ROOT = Path(__file__).resolve().parents[2]
DELEGATES = 60
CLIENTS = 4
PAUSE = 0.05  # between a client's requests: keeps traffic flowing across the restart
HELD = DELEGATES // 4  # sent only once the restart is over, however slow the machine
DEADLINE = 60.0
MAX_ATTEMPTS = 30
DBNAME = "urbis_restart"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster():
    """The private cluster with an empty database; stopped and deleted afterwards even when
    the test fails."""
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in /usr/lib")
    with private_cluster(bindir) as c:
        c.create_database(DBNAME)
        yield c


def _env(cluster: Cluster) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("URBIS_ENV", None)
    env.update(
        DATABASE_URL=cluster.url(DBNAME),
        DATABASE_CONN_MAX_AGE="60",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        DJANGO_SETTINGS_MODULE="urbis.config.settings",
        SECRET_KEY="restart-test-secret-" + "r" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        DEBUG="0",
    )
    return env


def _run(env: dict[str, str], *argv: str) -> str:
    done = subprocess.run(
        [sys.executable, *argv], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=DEADLINE,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    succeeded: int = 0
    created: int = 0
    already: int = 0
    failures: Counter[str] = field(default_factory=Counter)  # status or error -> count
    retries: int = 0
    retry_after: set[str] = field(default_factory=set)
    given_up: list[tuple[int, str]] = field(default_factory=list)


def _post(port: int, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, str, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheader("Retry-After") or "", response.read()
    finally:
        conn.close()


def _wait_until_serving(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text(errors="replace")[-2000:]
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/governance/meetings/none/quorum")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail("gunicorn did not answer within 30 s")


def test_check_ins_survive_a_postgresql_restart(cluster, tmp_path):
    env = _env(cluster)
    _run(env, "manage.py", "migrate", "--noinput", "-v0")
    seed = json.loads(
        _run(env, "-m", "tests.hardening.fault_worker", "seed-checkins", str(DELEGATES))
        .strip()
        .splitlines()[-1]
    )
    delegates: list[int] = seed["delegates"]
    assert len(delegates) == DELEGATES

    port = free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "urbis.config.wsgi:application",
             "--workers", "2", "--threads", "2", "--bind", f"127.0.0.1:{port}",
             "--timeout", "30", "--no-control-socket"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        _wait_until_serving(port, server, log)
        tally, restart_seconds = _traffic(cluster, port, seed, delegates)
    finally:
        server.terminate()
        server.wait(timeout=20)

    import psycopg

    with psycopg.connect(cluster.url(DBNAME)) as conn:
        rows, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT c.delegate_id) FROM governance_checkin c"
            " JOIN governance_meeting m ON m.id = c.meeting_id WHERE m.slug = %s",
            [seed["meeting"]],
        ).fetchone()  # type: ignore[misc]
        audited = conn.execute(
            "SELECT count(*) FROM common_auditrecord WHERE action = 'attendance.check_in'"
        ).fetchone()[0]  # type: ignore[index]
    failed = sum(tally.failures.values())
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(tally.failures.items()))
    print(
        f"\n{DELEGATES} check-ins, restart took {restart_seconds:.2f} s, {failed} failed "
        f"requests ({statuses or 'none'}), {tally.retries} retries, {tally.already} answered "
        f"already; {rows} rows, {distinct} delegates, {audited} audit records"
    )
    assert tally.given_up == []
    assert tally.succeeded == DELEGATES
    assert (rows, distinct, audited) == (DELEGATES, DELEGATES, DELEGATES)
    # A check-in whose answer was lost after its commit answers "already" when retried.
    assert tally.created + tally.already == rows
    assert failed >= 1, "no request failed: the restart fell outside the traffic"
    # While the database is down the server answers 503 with Retry-After, never 500; the
    # gunicorn workers themselves stay up, so no connection error either.
    assert set(tally.failures) == {"503"}
    assert tally.retry_after == {"5"}


def _traffic(
    cluster: Cluster, port: int, seed: dict[str, Any], delegates: list[int]
) -> tuple[Tally, float]:
    """Check in every delegate from CLIENTS threads; restart the cluster once a third
    have succeeded. The last HELD check-ins wait for the restart to be over, so that traffic
    runs before, during and after it. A client backs off 50 ms more at each try (at most
    0.5 s) rather than the 5 s of Retry-After, to keep the test short. Returns the tally and
    the restart's duration."""
    token = secrets.token_hex(16)
    headers = {
        "Content-Type": "application/json",
        "Cookie": f"sessionid={seed['session']}; csrftoken={token}",
        "X-CSRFToken": token,
    }
    path = f"/api/v1/governance/meetings/{seed['meeting']}/check-ins"
    tally = Tally()
    third, restarted = threading.Event(), threading.Event()
    deadline = time.monotonic() + DEADLINE
    queue = list(reversed(delegates))
    restart: list[float] = []

    def restarter() -> None:
        try:
            if third.wait(timeout=max(0.0, deadline - time.monotonic())):
                restart.append(cluster.restart())
        finally:
            restarted.set()

    def check_in(delegate_id: int) -> None:
        body = json.dumps({"delegate_id": delegate_id}).encode()
        for attempt in range(1, MAX_ATTEMPTS + 1):
            outcome = ""
            try:
                status, retry_after, content = _post(port, path, body, headers)
            except (OSError, http.client.HTTPException) as exc:
                outcome = type(exc).__name__
            else:
                if status == 200:
                    created = json.loads(content)["created"]
                    with tally.lock:
                        tally.succeeded += 1
                        tally.created += created
                        tally.already += not created
                        if tally.succeeded * 3 >= len(delegates):
                            third.set()
                    return
                outcome = str(status)
                if status < 500:
                    with tally.lock:
                        tally.given_up.append((delegate_id, f"{status} {content[:200]!r}"))
                    return
                with tally.lock:
                    tally.retry_after.add(retry_after)
            with tally.lock:
                tally.failures[outcome] += 1
            if time.monotonic() > deadline:
                break
            with tally.lock:
                tally.retries += 1
            time.sleep(min(0.05 * attempt, 0.5))
        with tally.lock:
            tally.given_up.append((delegate_id, f"gave up: {outcome}"))

    def client() -> None:
        while True:
            with tally.lock:
                held = len(queue) <= HELD
            if held:
                restarted.wait(timeout=max(0.0, deadline - time.monotonic()))
            with tally.lock:
                if not queue:
                    return
                delegate_id = queue.pop()
            check_in(delegate_id)
            time.sleep(PAUSE)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    restart_thread = threading.Thread(target=restarter)
    restart_thread.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=DEADLINE)
    third.set()  # if the traffic ended early (every client gave up), end the restarter too
    restart_thread.join(timeout=DEADLINE)
    assert restart, f"the cluster did not restart:\n{cluster.log_tail()}"
    return tally, restart[0]
