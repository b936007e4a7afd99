"""What the assembly benchmarks share: a free port and the project served by gunicorn.

Both `assembly.py` and `assembly_ballot.py` serve the project as deployed (sync workers,
2 x cores + 1) on loopback, with the benchmark's floor view, and wait for it to answer.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A port on loopback that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_gunicorn(port: int, workers: int, threads: int = 1) -> subprocess.Popen:
    """The project under gunicorn on loopback (more than one thread: gthread workers)."""
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1,localhost", "DEBUG": "0"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn), "urbis.config.wsgi:application",
        "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
        "--log-level", "warning", "--backlog", "2048", "--no-control-socket",
        *(["--worker-class", "gthread", "--threads", str(threads)] if threads > 1 else []),
    ]  # fmt: skip
    return subprocess.Popen(command, env=env, cwd=ROOT)


def wait_for(port: int, proc: subprocess.Popen, path: str, seconds: int = 240) -> None:
    """Until gunicorn answers `path` with a 200 (its workers load the project first, which
    takes long on a busy machine)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit("gunicorn exited early")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit(f"gunicorn did not answer within {seconds} s")


def stop(proc: subprocess.Popen) -> None:
    """Stop gunicorn (its graceful stop can take long on a busy machine; then kill it)."""
    proc.terminate()
    try:
        proc.wait(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=30)
