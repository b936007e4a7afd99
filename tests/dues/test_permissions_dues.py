"""Every dues endpoint by every role: the expected answer (a rule for each endpoint)."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories.dues import InvoiceFactory
from tests.factories.members import member_since

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "admin", "staff", "excom", "focal_own", "focal_other", "evaluator"]


@pytest.fixture
def world(admin_user, staff_user, excom_user, evaluator_user, focal_point):
    user, own = focal_point
    other = member_since(dt.date(2015, 1, 1), name="Other City")
    own_invoice = InvoiceFactory(organisation=own, fiscal_year=2023)
    other_invoice = InvoiceFactory(organisation=other, fiscal_year=2023)
    users = {
        "anonymous": None,
        "admin": admin_user,
        "staff": staff_user,
        "excom": excom_user,
        "focal_own": user,
        "focal_other": user,
        "evaluator": evaluator_user,
    }
    return users, own, other, own_invoice, other_invoice


def _endpoints(role, own, other, own_invoice, other_invoice):
    org = other if role == "focal_other" else own
    invoice = other_invoice if role == "focal_other" else own_invoice
    return {
        "ledger page": reverse("dues:ledger", args=[org.slug]),
        "invoice pdf": reverse("dues:invoice-pdf", args=[invoice.number]),
        "my invoices": reverse("dues:mine"),
        "invoice list": reverse("dues:invoices"),
        "review": reverse("dues:review"),
        "between assemblies": reverse("dues:between-assemblies"),
        "api ledger": f"/api/v1/dues/members/{org.slug}/ledger",
        "api review": "/api/v1/dues/review?as_of=2023-09-01",
        "api between assemblies": "/api/v1/dues/between-assemblies?start=2021-10-01&end=2023-09-26",
    }


LOGIN = 302  # to the sign-in page
EXPECTED = {
    #                     anon   admin staff excom own  other eval
    "ledger page":        (LOGIN, 200, 200, 403, 200, 403, 403),
    "invoice pdf":        (LOGIN, 200, 200, 403, 200, 403, 403),
    "my invoices":        (LOGIN, 200, 200, 200, 200, 200, 200),
    "invoice list":       (LOGIN, 200, 200, 403, 403, 403, 403),
    "review":             (LOGIN, 200, 200, 200, 403, 403, 403),
    "between assemblies": (200, 200, 200, 200, 200, 200, 200),
    "api ledger":         (401, 200, 200, 403, 200, 403, 403),
    "api review":         (401, 200, 200, 200, 403, 403, 403),
    "api between assemblies": (200, 200, 200, 200, 200, 200, 200),
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_every_endpoint_for_every_role(client, world, role):
    users, *objects = world
    if users[role] is not None:
        client.force_login(users[role])
    got = {name: client.get(url).status_code for name, url in _endpoints(role, *objects).items()}
    expected = {name: codes[ROLES.index(role)] for name, codes in EXPECTED.items()}
    assert got == expected


@pytest.mark.parametrize("role", ["anonymous", "excom", "focal_own", "evaluator"])
def test_only_the_secretariat_writes(client, world, role):
    users, *_ = world
    if users[role] is not None:
        client.force_login(users[role])
    for name in (
        "review-approve",
        "review-flag",
        "invoices-issue",
        "payments-import",
    ):
        assert client.post(reverse(f"dues:{name}"), {}).status_code in (302, 403)
        if role != "anonymous":
            assert client.post(reverse(f"dues:{name}"), {}).status_code == 403


def test_member_page_loads_the_ledger_section(client, world):
    _, own, *_ = world
    page = client.get(reverse("members:detail", args=[own.slug]))
    assert reverse("dues:ledger-part", args=[own.slug]).encode() in page.content
