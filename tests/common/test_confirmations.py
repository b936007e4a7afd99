"""Every action that cannot be undone asks first, stating its computed effect.

`IRREVERSIBLE` lists the forms: for each, the page that carries it, the form's action and the
question it asks (`data-confirm` on the form or on its submit button, answered by
`common/static/common/confirm.js`, which the page loads). A new irreversible form adds its
row here."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories.dues import InvoiceFactory
from tests.factories.governance import (
    AgendaItemFactory,
    DelegateFactory,
    MeetingFactory,
    QuorumRuleFactory,
)
from tests.factories.members import member_since
from tests.factories.messaging import sent_message
from tests.factories.prize import ApplicationFactory, make_edition
from urbis.common.actor import Actor
from urbis.common.tokens import api_token_create
from urbis.governance.domain import attendance_check_in
from urbis.governance.models import Meeting
from urbis.messaging.models import Message
from urbis.prize.models import Round

pytestmark = pytest.mark.django_db

D = dt.date
FORM = re.compile(r"<form\b(?P<attrs>[^>]*)>(?P<body>.*?)</form>", re.S)
CONFIRM = re.compile(r'data-confirm="([^"]*)"')
ACTION = re.compile(r'action="([^"]*)"')


@dataclass
class Page:
    url: str
    action: str  # the form's action ('' for a form posting to its own page)
    question: str  # what the confirmation must say (computed values included)
    method: str = "get"
    data: dict[str, Any] | None = None


def questions(content: str, action: str) -> list[str]:
    """The confirmation questions of the forms posting to `action` on a page."""
    found = []
    for form in FORM.finditer(content):
        target = ACTION.search(form.group("attrs"))
        if (target.group(1) if target else "") != action:
            continue
        found += [html.unescape(q) for q in CONFIRM.findall(form.group(0))]
    return found


def _meeting(status: str, **fields: Any) -> Meeting:
    QuorumRuleFactory()
    return MeetingFactory(status=status, title="General Assembly 12", **fields)


def convene() -> Page:
    m = _meeting("draft", date=D(2035, 6, 1), convocation_date=D(2035, 5, 1))
    return Page(
        reverse("governance:workspace", args=[m.slug]),
        reverse("governance:lifecycle", args=[m.slug, "convene"]),
        "Convene General Assembly 12? The electorate is fixed from the registry on the "
        "convocation date; this cannot be undone.",
    )


def open_session() -> Page:
    m = _meeting("convened", date=D(2035, 6, 1))
    return Page(
        reverse("governance:workspace", args=[m.slug]),
        reverse("governance:lifecycle", args=[m.slug, "open"]),
        "Open the session of General Assembly 12 on 1 June 2035?",
    )


def conclude() -> Page:
    m = _meeting("in_session")
    AgendaItemFactory(meeting=m, number=1)
    AgendaItemFactory(meeting=m, number=2)
    return Page(
        reverse("governance:workspace", args=[m.slug]),
        reverse("governance:lifecycle", args=[m.slug, "conclude"]),
        "Conclude General Assembly 12? 0 of 2 agenda items decided (2 left undecided); "
        "attendance, votes and decisions become read-only; this cannot be undone.",
    )


def approve_minutes() -> Page:
    m = _meeting("concluded")
    return Page(
        reverse("governance:workspace", args=[m.slug]),
        reverse("governance:lifecycle", args=[m.slug, "approve"]),
        "Record the approval of the minutes of General Assembly 12 (26 September 2023)?",
    )


def publish_minutes() -> Page:
    m = _meeting("minutes_approved")
    return Page(
        reverse("governance:workspace", args=[m.slug]),
        reverse("governance:lifecycle", args=[m.slug, "publish"]),
        "Publish the minutes of General Assembly 12? The memorandum becomes public at once",
    )


def decide() -> Page:
    m = _meeting("in_session")
    for n in range(4):
        member_since(D(2015, 1, 1), name=f"City {n}", category="local_government")
    item = AgendaItemFactory(meeting=m, number=3, title="Budget")
    return Page(
        reverse("governance:run", args=[m.slug]),
        reverse("governance:decide", args=[m.slug, item.pk]),
        "Record the decision on agenda 3 (Budget)? It is final and records the quorum now: "
        "0 present of 4, 1 required (NOT met).",
    )


def decide_review() -> Page:
    m = _meeting("in_session")
    member_since(D(2015, 1, 1), name="Quiet", category="local_government")
    item = AgendaItemFactory(
        meeting=m,
        number=2,
        title="Membership review",
        membership_review_ref="review-2023",
        membership_review_as_of=D(2023, 9, 1),
    )
    return Page(
        reverse("governance:run", args=[m.slug]),
        reverse("governance:decide", args=[m.slug, item.pk]),
        "If adopted: this suspends 1 member as of 26 September 2023; it cannot be undone.",
    )


def check_out_past() -> Page:
    m = _meeting("in_session", date=D(2023, 9, 26))
    org = member_since(D(2015, 1, 1), name="Tashkent", category="local_government")
    delegate = DelegateFactory(meeting=m, organisation=org, name="Ana Lee")
    attendance_check_in(actor=Actor.system(), delegate=delegate, mode="on_site")
    return Page(
        reverse("governance:run", args=[m.slug]),
        reverse("governance:check_in", args=[m.slug, delegate.pk]),
        "Check out Ana Lee (Tashkent) of General Assembly 12, held on 26 September 2023? "
        "The meeting is past",
    )


def revoke_desk_keys() -> Page:
    m = _meeting("in_session")
    return Page(
        reverse("governance:run", args=[m.slug]),
        reverse("governance:desk_keys_revoke", args=[m.slug]),
        "Revoke every desk key of General Assembly 12?",
    )


def close_round() -> Page:
    edition = make_edition(2031)
    Round.objects.filter(edition=edition, number=1).update(status="open")
    for _ in range(3):
        ApplicationFactory(edition=edition, category=edition.categories.first())
    return Page(
        reverse("prize:round_close", args=[2031, 1]),
        "",
        f"Close Round 1 of {edition.name}",
    )


def withdraw_results() -> Page:
    edition = make_edition(2032)
    edition.results_published = True
    edition.save(update_fields=["results_published"])
    return Page(
        reverse("prize:manage", args=[2032]),
        "",
        f"Withdraw the published results of {edition.name}? The 0 awards disappear",
    )


def apply_review() -> Page:
    member_since(D(2015, 1, 1), name="Quiet", category="local_government")
    quiet = member_since(D(2015, 1, 1), name="Silent", category="local_government")
    return Page(
        reverse("dues:review-confirm"),
        reverse("dues:review-approve"),
        "This suspends 1 member as of 26 September 2023; it cannot be undone. "
        "Decision: EXCOM 2023-4.",
        method="post",
        data={
            "as_of": "2023-09-01",
            "approve": [quiet.pk],
            "decision_ref": "EXCOM 2023-4",
            "decided_on": "2023-09-26",
        },
    )


def credit_note() -> Page:
    org = member_since(D(2015, 1, 1), name="Quiet", category="local_government")
    invoice = InvoiceFactory(organisation=org, fiscal_year=2031, amount=Decimal("1500"))
    return Page(
        reverse("dues:invoice", args=[invoice.number]),
        reverse("dues:invoice-credit-note", args=[invoice.number]),
        f"Issue a credit note on invoice {invoice.number} of Quiet (balance USD 1,500.00)?",
    )


def issue_invoices() -> Page:
    return Page(
        reverse("dues:invoices"),
        reverse("dues:invoices-issue"),
        "Issue the invoices of this fiscal year to every member in good standing?",
    )


def revoke_token(user: Any) -> Page:
    issued = api_token_create(
        owner=user,
        label="Reporting script",
        scope="read",
        expires_on=None,
        actor=Actor.for_user(user),
    )
    return Page(
        reverse("account:api_tokens"),
        reverse("account:api_token_revoke", args=[issued.token.pk]),
        "Revoke the token Reporting script? Every program using it is refused from now on",
    )


def cancel_message() -> Page:
    message = sent_message(state=Message.State.QUEUED, subject="Dues reminder", sent_at=None)
    return Page(
        reverse("messaging:message", args=[message.pk]),
        reverse("messaging:cancel", args=[message.pk]),
        'Cancel the message "Dues reminder"? It is not sent',
    )


IRREVERSIBLE: dict[str, Callable[..., Page]] = {
    "convene a meeting": convene,
    "open its session": open_session,
    "conclude a meeting": conclude,
    "approve the minutes": approve_minutes,
    "publish the minutes": publish_minutes,
    "record a decision": decide,
    "record a decision that applies a review": decide_review,
    "check out on a past meeting": check_out_past,
    "revoke a meeting's desk keys": revoke_desk_keys,
    "close a prize round": close_round,
    "withdraw published prize results": withdraw_results,
    "apply a status review": apply_review,
    "issue a credit note": credit_note,
    "issue a year's invoices": issue_invoices,
    "revoke an API token": revoke_token,
    "cancel a queued message": cancel_message,
}


@pytest.mark.parametrize("name", list(IRREVERSIBLE))
def test_each_irreversible_form_asks_with_its_effect(name, admin_user):
    make = IRREVERSIBLE[name]
    page = make(admin_user) if name == "revoke an API token" else make()
    client = Client()
    client.force_login(admin_user)
    if page.method == "post":
        response = client.post(page.url, page.data or {})
    else:
        response = client.get(page.url)
    assert response.status_code == 200, name
    content = response.content.decode()
    asked = questions(content, page.action)
    assert asked, f"{name}: no confirmation on the form posting to {page.action!r}"
    assert any(page.question in q for q in asked), (name, asked)
    assert "/static/common/confirm.js" in content, name


def test_a_check_out_on_a_meeting_still_to_come_does_not_ask(admin_user):
    m = _meeting("in_session", date=dt.date.today() + dt.timedelta(days=30))
    org = member_since(D(2015, 1, 1), name="Tashkent", category="local_government")
    delegate = DelegateFactory(meeting=m, organisation=org, name="Ana Lee")
    attendance_check_in(actor=Actor.system(), delegate=delegate, mode="on_site")
    client = Client()
    client.force_login(admin_user)
    content = client.get(reverse("governance:run", args=[m.slug])).content.decode()
    action = reverse("governance:check_in", args=[m.slug, delegate.pk])
    assert "Check out</button>" in content
    assert questions(content, action) == []
