"""Running a reminder kind now through the API: the reminders page's "run now"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from urbis.common.models import AuditRecord
from urbis.messaging.domain import Outgoing
from urbis.messaging.models import Message, ReminderRun
from urbis.messaging.reminders import Due, reminder

pytestmark = pytest.mark.django_db
URL = "/api/v1/messaging/reminders/{kind}/run"


@reminder("tests.api_call", title="API call reminder", every=dt.timedelta(hours=6))
def api_call(today: dt.date):
    """Two occurrences on any day: one message each, once."""
    for address in ("a@x.example", "b@x.example"):
        yield Due(
            key=f"{address}:{today}",
            message=Outgoing(to_address=address, subject=f"Call on {today}", body_text="Hi."),
        )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_runs_a_kind_and_a_second_run_queues_nothing(staff_user):
    client = _client(staff_user)
    first = client.post(URL.format(kind="tests.api_call"))
    assert first.status_code == 200
    run = ReminderRun.objects.get()
    assert first.json() == {
        "run_id": run.pk,
        "kind": "tests.api_call",
        "due": 2,
        "sent": 2,
        "skipped": 0,
    }
    assert sorted(Message.objects.values_list("to_address", "kind")) == [
        ("a@x.example", "reminder.tests.api_call"),
        ("b@x.example", "reminder.tests.api_call"),
    ]
    record = AuditRecord.objects.get(action="reminder.run")
    assert (record.actor, record.target_id, record.after["sent"]) == (staff_user, str(run.pk), 2)
    second = client.post(URL.format(kind="tests.api_call")).json()
    assert (second["due"], second["sent"], second["skipped"]) == (2, 0, 2)
    assert Message.objects.count() == 2


def test_an_unknown_kind_names_the_field(staff_user):
    response = _client(staff_user).post(URL.format(kind="nope"))
    assert response.status_code == 422
    assert response.json()["errors"] == {"kind": ["No reminder kind 'nope'."]}
    assert ReminderRun.objects.count() == 0


def test_only_the_secretariat_runs_reminders(excom_user, focal_point):
    user, _ = focal_point
    for someone in (excom_user, user):
        response = _client(someone).post(URL.format(kind="tests.api_call"))
        assert response.status_code == 403
        assert response.json() == {
            "detail": f"Permission 'messaging.change_outbox' is not granted to {someone.username}."
        }
    assert Client().post(URL.format(kind="tests.api_call")).status_code == 401
    assert (Message.objects.count(), ReminderRun.objects.count()) == (0, 0)
