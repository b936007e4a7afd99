"""Reminders: a kind registered by an app, run by `urbis send_reminders`, sends each
occurrence once however often it runs; staff see the kinds with their next run."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from urbis.messaging import domain
from urbis.messaging.domain import Outgoing
from urbis.messaging.models import Message, ReminderOccurrence, ReminderRun
from urbis.messaging.reminders import REMINDERS, Due, reminder

pytestmark = pytest.mark.django_db

DEADLINES = {"a@x.example": dt.date(2026, 5, 1), "b@x.example": dt.date(2026, 5, 3)}


@reminder("tests.deadline", title="Review deadline", every=dt.timedelta(hours=6))
def deadline(today: dt.date):
    """Evaluators two days before their deadline."""
    for address, on in DEADLINES.items():
        if dt.timedelta(0) <= on - today <= dt.timedelta(days=2):
            yield Due(
                key=f"{address}:{on}",
                message=Outgoing(
                    to_address=address, subject=f"Reviews due on {on}", body_text="Please."
                ),
            )


def test_a_reminder_run_twice_sends_once(smtp_server):
    first = domain.reminder_run(kind="tests.deadline", today=dt.date(2026, 4, 29), actor=None)
    second = domain.reminder_run(kind="tests.deadline", today=dt.date(2026, 4, 29), actor=None)
    assert (first.due, first.sent, second.sent, second.skipped) == (1, 1, 0, 1)
    # The next day a second occurrence falls due; the first is still not sent again.
    third = domain.reminder_run(kind="tests.deadline", today=dt.date(2026, 5, 1), actor=None)
    assert (third.due, third.sent, third.skipped) == (2, 1, 1)
    domain.outbox_send()
    assert sorted(r.rcpt_to[0] for r in smtp_server.received) == ["a@x.example", "b@x.example"]
    assert Message.objects.filter(kind="reminder.tests.deadline").count() == 2
    assert ReminderOccurrence.objects.filter(message__isnull=False).count() == 2


def test_the_command_runs_only_kinds_whose_next_run_came():
    out = io.StringIO()
    call_command("send_reminders", "--date", "2026-04-30", stdout=out)
    assert "tests.deadline: 1 due, 1 queued, 0 sent before" in out.getvalue()
    out = io.StringIO()
    call_command("send_reminders", "--date", "2026-04-30", stdout=out)
    assert "tests.deadline" not in out.getvalue()  # next run is six hours later
    call_command("send_reminders", "--date", "2026-04-30", "--force", stdout=out)
    assert "tests.deadline: 1 due, 0 queued, 1 sent before" in out.getvalue()
    assert ReminderRun.objects.filter(kind="tests.deadline").count() == 2
    with pytest.raises(CommandError, match="--date: 'May' is not a date"):
        call_command("send_reminders", "--date", "May")
    with pytest.raises(CommandError, match="--kind: one of"):
        call_command("send_reminders", "--kind", "nope")


def test_registering_two_kinds_under_one_name_is_refused():
    with pytest.raises(ValueError, match=r"Two reminder kinds named 'tests\.deadline'"):
        reminder("tests.deadline", title="x")(lambda today: [])
    assert REMINDERS["tests.deadline"].collect is deadline


def test_staff_page_lists_kinds_with_next_run_and_runs_one(
    client, staff_user, django_assert_max_num_queries
):
    domain.reminder_run(kind="tests.deadline", today=dt.date(2026, 4, 29), actor=None)
    client.force_login(staff_user)
    with django_assert_max_num_queries(6):
        page = client.get(reverse("messaging:reminders"))
    row = next(r for r in page.context["rows"] if r.kind == "tests.deadline")
    assert (row.title, row.last_sent, row.occurrences) == ("Review deadline", 1, 1)
    assert row.next_run == row.last_run + dt.timedelta(hours=6)
    assert "dues.overdue" in {r.kind for r in page.context["rows"]}
    answer = client.post(reverse("messaging:reminders"), {"kind": "nope"}, follow=True)
    assert b"No reminder kind" in answer.content
