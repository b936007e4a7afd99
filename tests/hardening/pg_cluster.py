"""A private, throw-away PostgreSQL cluster for tests that must stop or restart a server.

The suite's PostgreSQL server is shared, so a fault test may not restart it; it starts its
own cluster instead (initdb in a temporary directory, a free loopback port, fsync off since
nothing in it is kept), and removes it afterwards.

initdb refuses to run as root: when the tests run as root, the PostgreSQL tools run as the
`postgres` user, which then owns the directory.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

TIMEOUT = 60
OS_USER = "postgres"


def find_bindir() -> Path | None:
    """The directory holding initdb and pg_ctl: from PATH first, then Debian's versioned
    directories (which are not on PATH), newest version first."""
    found = shutil.which("initdb")
    candidates = [Path(found).resolve().parent] if found else []
    versioned = glob.glob("/usr/lib/postgresql/*/bin")
    versioned.sort(key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0)
    candidates += [Path(p) for p in reversed(versioned)]
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner(argv: list[str]) -> list[str]:
    """Run as `postgres` when we are root (initdb and postgres refuse root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", OS_USER, "--", *argv]
    return argv


@dataclass
class Cluster:
    bindir: Path
    root: Path
    port: int

    @property
    def datadir(self) -> Path:
        return self.root / "data"

    @property
    def logfile(self) -> Path:
        return self.root / "server.log"

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def pg_ctl(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            _as_owner([str(self.bindir / "pg_ctl"), "-D", str(self.datadir), *args]),
            capture_output=True, text=True, timeout=TIMEOUT, check=True,
        )  # fmt: skip

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.pg_ctl("-o", options, "-l", str(self.logfile), "-w", "start")

    def restart(self) -> float:
        """Fast restart (open connections are cut, open transactions roll back); returns the
        seconds it took. pg_ctl reuses the options the server was started with, but not the
        log file: without -l the new server would write to (and hold open) our pipe."""
        started = time.monotonic()
        self.pg_ctl("-m", "fast", "-l", str(self.logfile), "-w", "restart")
        return time.monotonic() - started

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@contextlib.contextmanager
def private_cluster(bindir: Path) -> Iterator[Cluster]:
    """initdb, start, yield; then stop and delete, whatever happened in between."""
    root = Path(tempfile.mkdtemp(prefix="urbis-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, user=OS_USER, group=OS_USER)
    cluster = Cluster(bindir=bindir, root=root, port=free_port())
    initialised = False
    try:
        subprocess.run(
            _as_owner([str(bindir / "initdb"), "-D", str(cluster.datadir), "--auth=trust",
                       "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"]),
            capture_output=True, text=True, timeout=TIMEOUT, check=True,
        )  # fmt: skip
        initialised = True
        cluster.start()
        yield cluster
    finally:
        if initialised:
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                cluster.pg_ctl("-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)
