"""The prize's mail through a real SMTP server on loopback: the application received, the
evaluators' assignments with the deadline, the deadline reminder (once, however often it
runs), the results to the applicants."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from tests.factories.members import UserFactory
from tests.factories.prize import ApplicationFactory, EvaluatorFactory, make_edition
from tests.messaging.conftest import smtp_server  # noqa: F401  (the fixture)
from urbis.common.actor import Actor
from urbis.messaging.domain import outbox_send, reminder_run
from urbis.messaging.models import Message
from urbis.prize import domain, mail
from urbis.prize.models import Assignment, Award, AwardKind

pytestmark = pytest.mark.django_db

YEAR = 2031
WHEN = dt.datetime(YEAR, 5, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.URBIS_BASE_URL = "https://urbis.example"


def _plain(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def _draft(user):
    edition = make_edition(YEAR)
    return domain.application_save_draft(
        actor=Actor.for_user(user),
        edition=edition,
        category=edition.categories.get(code="tech-innovacity"),
        on=WHEN.date(),
        applicant_kind="city",
        applicant_name="Harbourton",
        city="Harbourton",
        country="NZ",
        title="Tide Gauge Twin",
        summary="A digital twin of the harbour.",
        contact_email="prize@harbourton.example",
    )


def test_submission_acknowledged_to_contact_and_submitter(smtp_server):  # noqa: F811
    user = UserFactory(username="applicant", email="ana@harbourton.example")
    app = domain.application_submit(actor=Actor.for_user(user), application=_draft(user), on=WHEN)
    rows = Message.objects.order_by("to_address")
    assert [(m.kind, m.to_address, m.statutory, m.reference) for m in rows] == [
        (
            "prize.application_received",
            "ana@harbourton.example",
            True,
            f"application:{app.reference}",
        ),
        (
            "prize.application_received",
            "prize@harbourton.example",
            True,
            f"application:{app.reference}",
        ),
    ]
    assert outbox_send().sent == 2
    (received,) = smtp_server.to("prize@harbourton.example")
    assert received.message["Subject"] == (
        f"Application received: {app.reference}, Smart City Prize {YEAR}"
    )
    assert (
        f'We received the application {app.reference}, "Tide Gauge Twin", of Harbourton '
        "in the category Tech-InnovaCity of Smart City Prize 2031."
    ) in _plain(received.message)


def test_a_rolled_back_submission_queues_nothing():
    user = UserFactory(username="applicant", email="ana@harbourton.example")
    draft = _draft(user)
    with pytest.raises(RuntimeError), transaction.atomic():
        domain.application_submit(actor=Actor.for_user(user), application=draft, on=WHEN)
        raise RuntimeError("rolled back")
    assert Message.objects.count() == 0


@pytest.fixture
def assigned(staff_user):
    edition = make_edition(YEAR, reviews=2)
    apps = [
        ApplicationFactory(edition=edition, reference=f"P{YEAR}-{i:05d}", title=f"Project {i}")
        for i in range(1, 4)
    ]
    evs = [EvaluatorFactory(edition=edition, name=name) for name in ("Ada", "Bo", "Cy")]
    for ev in evs:
        ev.user.email = f"{ev.name.lower()}@jury.example"
        ev.user.save()
    r1 = edition.rounds.get(number=1)
    domain.round_open(actor=Actor.for_user(staff_user), round_=r1)
    assert domain.assignments_generate(actor=Actor.for_user(staff_user), round_=r1) == 6
    return edition, r1, apps, evs


def test_each_evaluator_is_told_their_assignments_and_deadline(assigned, smtp_server):  # noqa: F811
    _edition, r1, _apps, _evs = assigned
    rows = Message.objects.filter(kind="prize.assignment").order_by("to_address")
    assert [(m.to_address, m.reference) for m in rows] == [
        ("ada@jury.example", f"round:{r1.pk}"),
        ("bo@jury.example", f"round:{r1.pk}"),
        ("cy@jury.example", f"round:{r1.pk}"),
    ]
    outbox_send()
    (received,) = smtp_server.to("ada@jury.example")
    mine = Assignment.objects.filter(evaluator__name="Ada").order_by("application__reference")
    n = mine.count()
    assert received.message["Subject"] == (
        f"{n} application{'s' if n != 1 else ''} to review by 11 August 2031: Smart City Prize 2031"
    )
    text = _plain(received.message)
    assert "Deadline: Monday 11 August 2031." in text
    for a in mine:
        assert f"- {a.application.reference}: {a.application.title}" in text
    assert "https://urbis.example/prize/my/reviews/" in text


def test_deadline_reminder_goes_to_pending_evaluators_once(assigned, smtp_server):  # noqa: F811
    _edition, _r1, _apps, _evs = assigned
    Assignment.objects.filter(evaluator__name="Cy").update(
        submitted_at=dt.datetime(YEAR, 8, 5, tzinfo=dt.UTC)
    )
    Message.objects.all().delete()
    assert (
        reminder_run(kind="prize.review_deadline", today=dt.date(YEAR, 8, 7), actor=None).sent == 0
    )  # four days before: not yet
    first = reminder_run(kind="prize.review_deadline", today=dt.date(YEAR, 8, 9), actor=None)
    again = reminder_run(kind="prize.review_deadline", today=dt.date(YEAR, 8, 10), actor=None)
    assert (first.sent, again.sent) == (2, 0)
    assert sorted(Message.objects.values_list("to_address", flat=True)) == [
        "ada@jury.example",
        "bo@jury.example",
    ]
    outbox_send()
    (received,) = smtp_server.to("bo@jury.example")
    assert received.message["Subject"].startswith("Reminder: ")
    assert "closes on Monday 11 August 2031 (in 2 days)" in _plain(received.message)


def test_results_go_to_every_submitted_applicant(staff_user, smtp_server):  # noqa: F811
    edition = make_edition(YEAR)
    winner, _other = (
        ApplicationFactory(
            edition=edition,
            reference=ref,
            title=title,
            contact_email=email,
            applicant_name=name,
            submitted_at=WHEN,
        )
        for ref, title, email, name in (
            ("P2031-00001", "Tide Gauge Twin", "win@harbourton.example", "Harbourton"),
            ("P2031-00002", "Bus Lanes", "hello@riverside.example", "Riverside"),
        )
    )
    ApplicationFactory(edition=edition, contact_email="draft@x.example", status="draft")
    kind = AwardKind.objects.filter(edition=edition).order_by("sort_order").first()
    Award.objects.create(kind=kind, application=winner)
    with transaction.atomic():
        assert mail.results_queue(edition=edition, actor=staff_user) == 2
    outbox_send()
    (won,) = smtp_server.to("win@harbourton.example")
    assert won.message["Subject"] == "Results of Smart City Prize 2031: P2031-00001"
    assert (
        f'Congratulations: Harbourton\'s application P2031-00001, "Tide Gauge Twin", '
        f"receives {kind.name}."
    ) in _plain(won.message)
    (lost,) = smtp_server.to("hello@riverside.example")
    assert "It is not among the awarded applications this time." in _plain(lost.message)
    assert smtp_server.to("draft@x.example") == []


def test_evaluators_of_an_edition_are_a_group_for_messages_to_members(assigned):
    from urbis.members.queries.segments import Segment, segment_recipients

    segment = Segment(group=f"prize:{YEAR}")
    assert segment.describe() == f"evaluators of Smart City Prize {YEAR}"
    assert [r.email for r in segment_recipients(segment)] == [
        "ada@jury.example",
        "bo@jury.example",
        "cy@jury.example",
    ]
