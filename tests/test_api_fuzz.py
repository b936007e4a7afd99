"""Hostile input against the API: schemathesis generates requests from the OpenAPI schema
and sends them in-process to the Django WSGI application, as anonymous, as secretariat
staff and as secretariat admin (session cookie and CSRF token), over every operation.

Asserted: no 5xx, every status code answered is declared for its operation (the shared
error answers are declared on every operation, `urbis.common.errors.ErrorContractAPI`), and
every response matches the schema declared for its status.
URBIS_FUZZ_EXAMPLES sets the examples per operation and role (a few in the suite; `make
fuzz` runs many on PostgreSQL). URBIS_FUZZ_REPORT_ONLY=1 prints the findings without failing.
"""

from __future__ import annotations

import os
import time

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories.world import World, build_world
from tests.test_permission_matrix import API, _value

# Per operation and role. The suite's default keeps the three runs under two minutes on a
# shared machine; the long run (`make fuzz`) sets URBIS_FUZZ_EXAMPLES=100 or more.
MAX_EXAMPLES = int(os.environ.get("URBIS_FUZZ_EXAMPLES", "8"))

# Operations known to fail on a branch still being finished, with the reason. Listed in the
# report; a case here is tolerated, never hidden.
KNOWN: dict[str, str] = {}

APP = get_wsgi_application()


def _schema():
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)


def _session(user) -> tuple[dict[str, str], dict[str, str]]:
    """Cookies and headers of a signed-in session with a CSRF token."""
    if user is None:
        return {}, {}
    client = Client()
    client.force_login(user)
    token = "a" * 32
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": token}
    return cookies, {"X-CSRFToken": token}


def _summary(exc: BaseException) -> str:
    """The failure's kind and the request that reproduces it, on one line."""
    text = str(exc)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    detail: list[str] = []
    for ln in lines:
        if ln.startswith("Reproduce with"):
            break
        if not ln.startswith(("Schemathesis found", "[", "`", "<")):
            detail.append(ln)
    curl = [ln[:300] for ln in lines if ln.startswith("curl ")]
    return " ".join(detail[:8] + curl[:1])[:900] or type(exc).__name__


def _real_path(w: World, key: str) -> dict[str, str]:
    """The path parameters of an operation naming the world's objects (the permission
    matrix's table), so that generated queries and bodies reach the handler, not a 404."""
    params = API[key].params or {}
    return {name: str(_value(w, spec, "own")) for name, spec in params.items()}


def _fuzz(role: str, user, w: World) -> None:
    schema = _schema()
    cookies, headers = _session(user)
    failures: list[str] = []
    tried = 0
    started = time.monotonic()
    statuses: dict[int, int] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        real = _real_path(w, label)
        strategy = operation.as_strategy()
        if real:  # half the cases on real objects, half on generated ids
            strategy = st.one_of(operation.as_strategy(path_parameters=real), strategy)

        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def run(case) -> None:
            # Each case in a savepoint rolled back afterwards: cases stay independent, and a
            # failed statement on PostgreSQL does not abort the test's transaction for the rest.
            sid = transaction.savepoint()
            try:
                response = case.call(headers=headers, cookies=cookies)
            finally:
                transaction.savepoint_rollback(sid)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            case.validate_response(
                response,
                checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
            )

        try:
            run()
        except BaseException as exc:  # a hypothesis/schemathesis failure group
            if isinstance(exc, KeyboardInterrupt):
                raise
            failures.append(f"{label}: {_summary(exc)}")
        tried += 1
    elapsed = time.monotonic() - started
    print(
        f"\nfuzz as {role}: {tried} operations, up to {MAX_EXAMPLES} examples each, "
        f"{sum(statuses.values())} requests in {elapsed:.1f} s; statuses {sorted(statuses.items())}"
    )
    for line in failures:
        print("  FAIL " + line)
    unexpected = [f for f in failures if f.split(":")[0] not in KNOWN]
    if os.environ.get("URBIS_FUZZ_REPORT_ONLY") == "1":
        return  # a first run on another database: print the findings, decide on them after
    assert not unexpected, "\n".join(unexpected)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes "old" connections at each request's start and end, as Django's
    test client does not; inside the test's transaction that would close the test's own
    PostgreSQL connection. Detach that handler for the run, as the test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_fuzz_anonymous():
    _fuzz("anonymous", None, build_world())


@pytest.mark.django_db
def test_fuzz_staff():
    w = build_world()
    _fuzz("staff", w.users["staff"], w)


@pytest.mark.django_db
def test_fuzz_admin():
    w = build_world()
    _fuzz("admin", w.users["admin"], w)
