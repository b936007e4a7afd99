"""The production settings boot under gunicorn on loopback and serve pages."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(tmp_path: Path, env: dict[str, str]) -> str:
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    url = f"sqlite:///{tmp_path / 'prod.sqlite3'}"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env={**env, "DATABASE_URL": url},
        check=True,
    )
    return url


@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_the_home_page_with_production_settings(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "URBIS_ENV": "production",
        "SECRET_KEY": "production-test-secret-" + "y" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "URBIS_VAR_DIR": str(tmp_path),
        "URBIS_BIND": f"127.0.0.1:{port}",
        "URBIS_WORKERS": "2",
        "PYTHONPATH": str(ROOT / "src"),
    }
    env["DATABASE_URL"] = _database_url(tmp_path, env)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/members/", headers={"X-Forwarded-Proto": "https"}
        )
        body, status = b"", 0
        for _ in range(60):
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    status, body = response.status, response.read()
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.25)
        assert status == 200
        assert b"Member directory" in body
        plain = urllib.request.Request(f"http://127.0.0.1:{port}/members/")
        opener = urllib.request.build_opener(_NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener.open(plain, timeout=5)
        assert redirect.value.code == 301
        assert redirect.value.headers["Location"].startswith("https://")
    finally:
        server.terminate()
        server.wait(timeout=20)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None
