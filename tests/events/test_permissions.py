"""Every events page and endpoint by every role: the expected HTTP status."""

import pytest
from django.urls import reverse

from tests.factories.events import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "focal_point", "excom", "evaluator", "staff", "admin"]


@pytest.fixture
def setup(focal_point):
    _, org = focal_point
    event = EventFactory(slug="ga-test")
    own = RegistrationFactory(event=event, organisation=org, code="OWNCODE2")
    RegistrationFactory(event=event, code="ELSECODE")
    return event, own


def _login(client, role, request):
    users = {
        "focal_point": lambda: request.getfixturevalue("focal_point")[0],
        "excom": lambda: request.getfixturevalue("excom_user"),
        "evaluator": lambda: request.getfixturevalue("evaluator_user"),
        "staff": lambda: request.getfixturevalue("staff_user"),
        "admin": lambda: request.getfixturevalue("admin_user"),
    }
    if role in users:
        client.force_login(users[role]())


OK, LOGIN, NO = 200, 302, 403
# (url name, own or other registration / format) → status per role, in ROLES order.
PAGES = [
    ("events:list", None, [OK, OK, OK, OK, OK, OK]),
    ("events:programme", None, [OK, OK, OK, OK, OK, OK]),
    ("events:programme_pdf", None, [OK, OK, OK, OK, OK, OK]),
    ("events:programme_ics", None, [OK, OK, OK, OK, OK, OK]),
    ("events:statistics", None, [OK, OK, OK, OK, OK, OK]),
    ("events:registrations", None, [LOGIN, OK, NO, NO, OK, OK]),
    ("events:register", None, [LOGIN, OK, NO, NO, OK, OK]),
    ("events:registration", "own", [LOGIN, OK, NO, NO, OK, OK]),
    ("events:registration", "other", [LOGIN, NO, NO, NO, OK, OK]),
    ("events:badge", "own", [LOGIN, OK, NO, NO, OK, OK]),
    ("events:badge", "other", [LOGIN, NO, NO, NO, OK, OK]),
    ("events:badges", None, [LOGIN, NO, NO, NO, OK, OK]),
    ("events:checkin", None, [LOGIN, NO, NO, NO, OK, OK]),
    ("events:participants_export", "csv", [LOGIN, NO, NO, NO, OK, OK]),
]


def _page_url(name, arg):
    args = [] if name == "events:list" else ["ga-test"]
    if arg:
        args.append({"own": "OWNCODE2", "other": "ELSECODE"}.get(arg, arg))
    return reverse(name, args=args)


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(client, request, setup, role):
    """One test per role (users are costly to make); a mismatch names its page."""
    _login(client, role, request)
    got = {(n, a): client.get(_page_url(n, a)).status_code for n, a, _ in PAGES}
    want = {(n, a): statuses[ROLES.index(role)] for n, a, statuses in PAGES}
    assert got == want


API = [
    ("get", "/api/v1/events/", [OK, OK, OK, OK, OK, OK]),
    ("get", "/api/v1/events/ga-test/programme", [OK, OK, OK, OK, OK, OK]),
    ("get", "/api/v1/events/ga-test/statistics", [OK, OK, OK, OK, OK, OK]),
    ("get", "/api/v1/events/ga-test/registrations", [401, OK, OK, OK, OK, OK]),
    ("post", "/api/v1/events/ga-test/registrations/ELSECODE/approve", [401, NO, NO, NO, OK, OK]),
    ("post", "/api/v1/events/ga-test/checkins", [401, NO, NO, NO, 201, 201]),
    ("get", "/api/v1/events/ga-test/attendance?on=2023-09-25", [401, NO, NO, NO, OK, OK]),
]


@pytest.mark.parametrize("role", ROLES)
def test_api_by_role(client, request, setup, role):
    _login(client, role, request)
    body = {"code": "OWNCODE2", "day": "2023-09-25"}
    got = {}
    for method, url, _ in API:
        if method == "get":
            got[url] = client.get(url).status_code
        else:
            got[url] = client.post(url, body, content_type="application/json").status_code
    assert got == {url: statuses[ROLES.index(role)] for _, url, statuses in API}
