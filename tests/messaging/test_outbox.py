"""The outbox: queued in the caller's transaction, sent once through a real SMTP server,
retried with back-off, failed with the error, cancelled and resent by staff."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.messaging.backends import Dying
from urbis.common.models import AuditRecord
from urbis.messaging import domain
from urbis.messaging.domain import AttachmentIn, Outgoing
from urbis.messaging.models import Message

pytestmark = pytest.mark.django_db


def _queue(n: int = 1, **kw) -> list[Message]:
    messages = [
        Outgoing(
            to_address=f"Person{i}@City{i}.example",
            to_name=f"Person {i}",
            subject=f"Convocation {i}",
            body_text=f"Dear person {i},\nplease come.\n",
            body_html=f"<p>Dear person {i},</p>",
        )
        for i in range(1, n + 1)
    ]
    return domain.messages_queue(kind="tests.notice", messages=messages, actor=None, **kw)


def test_a_rolled_back_change_queues_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        _queue(3)
        assert Message.objects.count() == 3
        raise RuntimeError("the change that caused them fails")
    assert Message.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
    assert AuditRecord.objects.filter(action="message.queue").count() == 0


def test_queued_message_has_its_message_id_task_and_audit_record():
    with transaction.atomic():
        (m,) = _queue(1, statutory=True, reference="meeting:7")
    m.refresh_from_db()
    assert (m.state, m.to_address, m.statutory, m.attempts) == (
        "queued",
        "person1@city1.example",
        True,
        0,
    )
    assert m.message_id.startswith("<") and m.message_id.endswith("@urbis.localhost>")
    task = DBTaskResult.objects.get()
    assert task.task_path == "urbis.messaging.jobs.outbox_task"
    record = AuditRecord.objects.get(action="message.queue")
    assert record.after["count"] == 1 and record.after["reference"] == "meeting:7"


def test_the_rows_returned_are_the_rows_written():
    """The rows are written without model instances; those returned are built when read
    and must be the stored ones, field for field."""
    with transaction.atomic():
        rows = _queue(3, reference="meeting:7")
    fields = [f.attname for f in Message._meta.concrete_fields]
    stored = {m.pk: m for m in Message.objects.all()}
    assert len(rows) == len(stored) == 3
    for row in rows:
        assert [getattr(row, f) for f in fields] == [getattr(stored[row.pk], f) for f in fields]
        assert row._state.adding is False
    assert rows[-1] is rows[2] and [r.pk for r in rows[1:]] == [rows[1].pk, rows[2].pk]


def test_bad_address_is_refused_naming_the_recipient_and_nothing_is_written():
    bad = [
        Outgoing(to_address="a@b.example", subject="s", body_text="b"),
        Outgoing(to_address="not-an-address", subject="s", body_text="b"),
    ]
    with pytest.raises(ValidationError) as err:
        domain.messages_queue(kind="tests.notice", messages=bad, actor=None)
    assert err.value.message_dict == {
        "to_address": ["recipient 2: 'not-an-address' is not an e-mail address."]
    }
    assert Message.objects.count() == 0


def test_worker_sends_through_smtp_with_both_parts_attachment_and_headers(smtp_server, run_jobs):
    pdf = b"%PDF-1.4 invoice"
    with transaction.atomic():
        m = domain.message_queue(
            kind="dues.invoice",
            to_address="treasurer@city.example",
            to_name="Ana Treasurer",
            subject="Invoice 2026-001",
            body_text="Your invoice is attached.\n",
            body_html="<p>Your invoice is attached.</p>",
            attachments=[AttachmentIn("invoice-2026-001.pdf", pdf, "application/pdf")],
            statutory=True,
            actor=None,
        )
    assert run_jobs() == 1
    m.refresh_from_db()
    assert (m.state, m.attempts, m.last_error) == ("sent", 1, "")
    (got,) = smtp_server.received
    assert got.rcpt_to == ["treasurer@city.example"]
    msg = got.message
    assert msg["To"] == "Ana Treasurer <treasurer@city.example>"
    assert msg["Subject"] == "Invoice 2026-001"
    assert msg["Message-ID"] == m.message_id
    assert msg["X-Urbis-Kind"] == "dues.invoice"
    assert msg["List-Unsubscribe"] is None  # statutory: no unsubscribe
    assert msg.get_body(("plain",)).get_content() == "Your invoice is attached.\n"
    assert msg.get_body(("html",)).get_content().strip() == "<p>Your invoice is attached.</p>"
    (att,) = list(msg.iter_attachments())
    assert (att.get_filename(), att.get_content_type(), att.get_content()) == (
        "invoice-2026-001.pdf",
        "application/pdf",
        pdf,
    )


def test_non_statutory_mail_carries_a_one_click_unsubscribe(smtp_server):
    with transaction.atomic():
        _queue(1)
    domain.outbox_send()
    msg = smtp_server.received[0].message
    assert (
        msg["List-Unsubscribe"].strip().startswith("<http://127.0.0.1:8000/messaging/unsubscribe/")
    )
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_second_run_or_a_duplicate_task_sends_nothing_again(smtp_server):
    with transaction.atomic():
        _queue(3)
    assert domain.outbox_send().sent == 3
    assert domain.outbox_send().sent == 0
    assert len(smtp_server) == 3


def test_retries_with_backoff_then_fails_with_the_error(smtp_down):
    with transaction.atomic():
        (m,) = domain.messages_queue(
            kind="tests.notice",
            max_attempts=3,
            actor=None,
            messages=[Outgoing(to_address="x@y.example", subject="s", body_text="b")],
        )
    start = timezone.now()
    first = domain.outbox_send(now=start)
    m.refresh_from_db()
    assert (first.retried, m.state, m.attempts) == (1, "queued", 1)
    assert "ConnectionRefusedError" in m.last_error
    assert m.next_attempt_at >= start + dt.timedelta(minutes=1)
    assert domain.outbox_send(now=start).sent == 0  # not due yet: nothing tried
    m.refresh_from_db()
    assert m.attempts == 1
    domain.outbox_send(now=m.next_attempt_at)
    m.refresh_from_db()
    assert (m.state, m.attempts) == ("queued", 2)
    assert m.next_attempt_at - timezone.now() > dt.timedelta(minutes=1)  # 2 minutes now
    last = domain.outbox_send(now=m.next_attempt_at)
    m.refresh_from_db()
    assert (last.failed, m.state, m.attempts) == (1, "failed", 3)
    assert "ConnectionRefusedError" in m.last_error
    # A retry was scheduled for the worker at the right time.
    assert DBTaskResult.objects.filter(run_after__isnull=False).exists()


def test_a_refused_mailbox_fails_at_once_and_the_others_still_go(smtp_server):
    with transaction.atomic():
        nobody, somebody = domain.messages_queue(
            kind="tests.notice",
            actor=None,
            messages=[
                Outgoing(to_address="nobody@city.example", subject="s", body_text="b"),
                Outgoing(to_address="somebody@city.example", subject="s", body_text="b"),
            ],
        )
    outcome = domain.outbox_send()
    assert (outcome.sent, outcome.failed, outcome.retried) == (1, 1, 0)
    nobody.refresh_from_db()
    somebody.refresh_from_db()
    assert (nobody.state, nobody.attempts, somebody.state) == ("failed", 1, "sent")
    assert "550" in nobody.last_error and "No such mailbox" in nobody.last_error
    assert [r.rcpt_to for r in smtp_server.received] == [["somebody@city.example"]]


def test_a_run_sends_through_one_smtp_session_and_opens_another_after_a_refusal(
    smtp_server,
):
    with transaction.atomic():  # queued one after the other: sent in this order
        _queue(3)
        for address in ("nobody@city.example", "somebody@city.example"):
            domain.message_queue(
                kind="tests.notice", to_address=address, subject="s", body_text="b", actor=None
            )
    outcome = domain.outbox_send()
    assert (outcome.sent, outcome.failed) == (4, 1)
    assert [r.rcpt_to for r in smtp_server.received][3] == ["somebody@city.example"]
    peers = [r.peer for r in smtp_server.received]
    assert None not in peers
    # The first three in one session; the refusal closed it, the last went in a new one.
    assert peers[0] == peers[1] == peers[2] != peers[3]


def test_backoff_doubles_up_to_six_hours():
    assert [domain.backoff(n) for n in (1, 2, 3, 4)] == [
        dt.timedelta(minutes=m) for m in (1, 2, 4, 8)
    ]
    assert domain.backoff(20) == dt.timedelta(hours=6)


@pytest.fixture
def dying(settings, smtp_server):
    settings.EMAIL_BACKEND = "tests.messaging.backends.Dying"
    Dying.count = 0
    yield Dying
    Dying.die_before = Dying.die_after = None


def test_a_worker_killed_before_a_send_loses_and_doubles_nothing(dying, smtp_server, settings):
    with transaction.atomic():
        queued = _queue(7)
    dying.die_before = 4
    with pytest.raises(KeyboardInterrupt):
        domain.outbox_send()
    assert len(smtp_server) == 3
    assert Message.objects.filter(state="sending").count() == 4  # claimed, never finished
    # A new worker does not touch fresh claims; once they are stale, it sends them.
    dying.die_before = None
    assert domain.outbox_send().sent == 0
    later = timezone.now() + dt.timedelta(minutes=11)
    assert domain.outbox_send(now=later).recovered == 4
    ids = [r.message["Message-ID"] for r in smtp_server.received]
    assert sorted(ids) == sorted(m.message_id for m in queued)  # all 7, each once
    assert set(Message.objects.values_list("state", flat=True)) == {"sent"}


def test_a_worker_killed_right_after_acceptance_resends_under_the_same_message_id(
    dying, smtp_server
):
    """The one message in flight at the kill may reach the server twice; it carries the
    Message-ID fixed at queue time both times, so the recipient's mailbox shows it once."""
    with transaction.atomic():
        queued = _queue(5)
    dying.die_after = 2
    with pytest.raises(KeyboardInterrupt):
        domain.outbox_send()
    dying.die_after = None
    domain.outbox_send(now=timezone.now() + dt.timedelta(minutes=11))
    ids = [r.message["Message-ID"] for r in smtp_server.received]
    assert len(ids) == 6 and set(ids) == {m.message_id for m in queued}
    assert set(Message.objects.values_list("state", flat=True)) == {"sent"}


def test_cancel_only_a_queued_message(staff_user):
    with transaction.atomic():
        a, b = _queue(2)
    domain.message_cancel(message=a, actor=staff_user)
    a.refresh_from_db()
    assert a.state == "cancelled"
    with pytest.raises(ValidationError, match="Only a queued message can be cancelled"):
        domain.message_cancel(message=a, actor=staff_user)
    assert domain.outbox_send.__name__  # b is still queued
    b.refresh_from_db()
    assert b.state == "queued"


def test_resend_makes_a_new_message_with_its_own_id(smtp_server, staff_user):
    with transaction.atomic():
        (m,) = _queue(1)
    domain.outbox_send()
    m.refresh_from_db()
    copy = domain.message_resend(message=m, actor=staff_user)
    assert (copy.state, copy.reference, copy.to_address) == (
        "queued",
        f"resend:{m.pk}",
        m.to_address,
    )
    assert copy.message_id != m.message_id
    domain.outbox_send()
    assert [r.message["Subject"] for r in smtp_server.received] == ["Convocation 1"] * 2
    with pytest.raises(ValidationError, match="still queued"):
        domain.message_resend(message=Message.objects.get(pk=_queue(1)[0].pk), actor=staff_user)
