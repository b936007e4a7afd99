"""One small world with an object of every kind, for tests that walk every endpoint.

Member A ("Focal City") has the `focal_point` user; member B has another focal point. Each
object a URL can name exists twice — one of A's, one of B's — and the evaluator has one
assignment of its own, one of another judge and one it is in conflict with.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import dues as dues_f
from tests.factories import events as events_f
from tests.factories import governance as gov_f
from tests.factories import index as index_f
from tests.factories import messaging as messaging_f
from tests.factories import prize as prize_f
from tests.factories.members import ContactFactory, UserFactory, member_since
from urbis.common import roles
from urbis.common.actor import Actor
from urbis.common.models import Job
from urbis.common.tokens import api_token_create
from urbis.index.domain import index_compute
from urbis.index.models import Indicator
from urbis.members.models import MembershipApplication
from urbis.prize.models import (
    Application,
    Assignment,
    Award,
    AwardKind,
    Conflict,
    Round,
    SupportingDocument,
)


@dataclass
class World:
    users: dict[str, Any]
    a: Any
    b: Any
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)

    def pick(self, name: str, side: str) -> Any:
        """Object `name` on `side` ("own", "other" or "conflict"; missing sides fall back)."""
        sides = self.objects[name]
        return sides.get(side, sides.get("other", sides["own"])) if side != "own" else sides["own"]


def _user(username: str, role: str | None):
    user = UserFactory(username=username)
    if role:
        group, _ = Group.objects.get_or_create(name=role)
        user.groups.add(group)
    return user


def build_world() -> World:
    users = {
        "admin": _user("sec-admin", roles.ADMIN),
        "staff": _user("sec-staff", roles.STAFF),
        "excom": _user("excom", roles.EXCOM),
        "evaluator": _user("judge", roles.EVALUATOR),
        "focal": _user("focal", roles.FOCAL_POINT),
        "focal_b": _user("focal-b", roles.FOCAL_POINT),
    }
    gov_f.QuorumRuleFactory()
    a = member_since(dt.date(2015, 1, 1), name="Focal City")
    b = member_since(dt.date(2015, 1, 1), name="Other City")
    contact_a = ContactFactory(organisation=a, user=users["focal"], is_focal_point=True)
    contact_b = ContactFactory(organisation=b, user=users["focal_b"], is_focal_point=True)
    w = World(users=users, a=a, b=b)
    o = w.objects
    o["org"] = {"own": a, "other": b}
    o["contact"] = {"own": contact_a, "other": contact_b}
    o["invoice"] = {
        "own": dues_f.InvoiceFactory(organisation=a),
        "other": dues_f.InvoiceFactory(organisation=b),
    }
    o["credit_note"] = {
        side: dues_f.CreditNoteFactory(invoice=o["invoice"][side]) for side in ("own", "other")
    }
    o["payment"] = {
        side: dues_f.PaymentFactory(
            organisation=org, invoice=o["invoice"][side], receipt_number=f"R-2022-{n:04d}"
        )
        for n, (side, org) in enumerate((("own", a), ("other", b)), start=1)
    }
    # events
    event = events_f.EventFactory(slug="ga-2023")
    o["event"] = {"own": event}
    o["session"] = {"own": events_f.SessionFactory(event=event)}
    o["sponsor"] = {"own": events_f.SponsorFactory(event=event)}
    o["registration"] = {
        "own": events_f.RegistrationFactory(event=event, organisation=a, code="AAAA0001"),
        "other": events_f.RegistrationFactory(event=event, organisation=b, code="BBBB0001"),
    }
    # governance
    # A past assembly whose minutes are published: public pages show it to everyone.
    meeting = gov_f.MeetingFactory(
        slug="ga-6", date=dt.date(2023, 9, 26), number=6, status="published"
    )
    o["meeting"] = {"own": meeting}
    o["delegate"] = {
        "own": gov_f.DelegateFactory(meeting=meeting, organisation=a),
        "other": gov_f.DelegateFactory(meeting=meeting, organisation=b),
    }
    item = gov_f.AgendaItemFactory(meeting=meeting, number=1)
    o["item"] = {"own": item}
    o["candidate"] = {"own": gov_f.CandidateFactory(agenda_item=item, organisation=a)}
    o["poll"] = {"own": gov_f.closed_poll(item)}
    o["proxy"] = {"own": gov_f.proxy(meeting, grantor=b, holder=a)}
    # prize
    edition = prize_f.make_edition(2023)
    edition.results_published = True
    edition.save()
    category = edition.categories.get(code="tech-innovacity")
    apps = {
        side: prize_f.ApplicationFactory(
            edition=edition,
            category=category,
            reference=f"T-{side.upper()}",
            submitted_by=users["focal"] if side == "own" else users["focal_b"],
        )
        for side in ("own", "other", "conflict")
    }
    o["application"] = apps
    round1 = Round.objects.get(edition=edition, number=1)
    judge = prize_f.EvaluatorFactory(edition=edition, user=users["evaluator"], name="Judge A")
    other_judge = prize_f.EvaluatorFactory(edition=edition, name="Judge B")
    o["assignment"] = {
        "own": Assignment.objects.create(round=round1, evaluator=judge, application=apps["own"]),
        "other": Assignment.objects.create(
            round=round1, evaluator=other_judge, application=apps["other"]
        ),
        "conflict": Assignment.objects.create(
            round=round1, evaluator=judge, application=apps["conflict"]
        ),
    }
    o["conflict"] = {"own": Conflict.objects.create(evaluator=judge, application=apps["conflict"])}
    o["document"] = {
        "own": SupportingDocument.objects.create(
            application=apps["own"], title="Brief", file=ContentFile(b"%PDF-1.4\n", "brief.pdf")
        )
    }
    kind = AwardKind.objects.get(edition=edition, code="tech-gold")
    o["award"] = {"own": Award.objects.create(kind=kind, application=apps["own"])}
    o["prize_edition"] = {"own": edition}
    o["round"] = {"own": round1}
    # index
    index_edition, cities, _ = index_f.edition_with_data(cities=4)
    index_compute(
        edition=index_edition, actor=Actor.for_user(users["admin"]), runs=20, sobol_samples=8
    )
    o["index_edition"] = {"own": index_edition}
    o["city"] = {"own": cities[0]}
    o["indicator"] = {"own": Indicator.objects.filter(edition=index_edition).order_by("pk")[0]}
    assert Application.objects.count() == 3
    o["csv_upload"] = {"own": _Upload()}
    # an application for membership, with its letter
    o["membership_application"] = {
        "own": MembershipApplication.objects.create(
            reference="APP-2031-00001",
            name="Applicant City",
            category="local_government",
            country="PT",
            motivation="To join.",
            contact_name="Ana Lima",
            contact_email="ana@applicant.example",
            consent_statutes=True,
            document=ContentFile(b"%PDF-1.4\n", "letter.pdf"),
        )
    }
    # long jobs: each focal point's own finished job with a file
    o["job"] = {
        side: Job.objects.create(
            kind="reports.build",
            title=f"Job of {user.username}",
            requested_by=user,
            state=Job.State.SUCCEEDED,
            output=b"%PDF-",
            output_name="report.pdf",
            output_type="application/pdf",
        )
        for side, user in (("own", users["focal"]), ("other", users["focal_b"]))
    }
    # personal API tokens: each focal point's own
    o["api_token"] = {
        side: api_token_create(
            owner=user, label="matrix", scope="read", expires_on=None, actor=Actor.for_user(user)
        ).token
        for side, user in (("own", users["focal"]), ("other", users["focal_b"]))
    }
    # messaging: a sent message, what the development sink received, an unsubscribe link
    o["message"] = {"own": messaging_f.sent_message()}
    o["received"] = {"own": messaging_f.received_mail()}
    o["batch"] = {"own": messaging_f.batch()}
    o["unsubscribe"] = {"own": messaging_f.unsubscribe_link()}
    return w


class _Upload:
    """A fresh upload each time it is read (a file object is consumed by one request)."""

    @property
    def file(self) -> SimpleUploadedFile:
        return SimpleUploadedFile("members.csv", b"name,category\n", content_type="text/csv")
