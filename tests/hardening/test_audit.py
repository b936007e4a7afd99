"""Every main state change leaves an AuditRecord (actor, time, before/after), and the audit
log cannot be changed through the admin or the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import admin
from django.test import RequestFactory

from tests.factories.world import build_world
from urbis.common.actor import Actor
from urbis.common.models import AuditRecord
from urbis.config.api import api
from urbis.dues.domain.ledger import payment_record
from urbis.governance import domain as gov
from urbis.members.domain import lifecycle_record, organisation_update
from urbis.prize import domain as prize
from urbis.prize import queries as prize_queries


def _record(action: str, target=None) -> AuditRecord:
    """The latest record of `action` (on `target`, if given)."""
    records = AuditRecord.objects.filter(action=action).order_by("-id")
    if target is not None:
        records = records.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
    assert records.exists(), f"no audit record {action} for {target!r}"
    return records[0]


def test_main_state_changes_are_audited(db):
    w = build_world()
    staff, admin_user, focal, judge = (
        w.users["staff"], w.users["admin"], w.users["focal"], w.users["evaluator"]
    )  # fmt: skip
    o = w.objects
    # the world's assembly is a past one with published minutes; here it is sitting
    type(o["meeting"]["own"]).objects.filter(pk=o["meeting"]["own"].pk).update(status="in_session")
    start = AuditRecord.objects.count()
    changes = []

    # Member lifecycle: a profile change (before and after) and a suspension.
    organisation_update(actor=staff, organisation=w.b, population=123_456)
    changes.append(("member profile", _record("organisation.update", w.b), staff, True))
    lifecycle_record(
        actor=staff, organisation=w.b, kind="suspended", date=dt.date(2023, 3, 1),
        reason="No payment for three years.", decision_ref="EXCOM 2023-1",
    )  # fmt: skip
    changes.append(("member suspension", _record("lifecycle.suspended", w.b), staff, False))

    # Payment.
    payment = payment_record(
        actor=staff, organisation=w.a, amount=Decimal("250.00"),
        received_on=dt.date(2023, 4, 1), invoice=o["invoice"]["own"], reference="AUDIT-1",
    )  # fmt: skip
    changes.append(("payment", _record("payment.record", payment), staff, False))

    # Vote: the delegate checks in, the focal point votes.
    item = o["item"]["own"]
    item.method = "show_of_hands"
    item.save()
    gov.attendance_check_in(actor=staff, delegate=o["delegate"]["own"])
    changes.append(("check-in", _record("attendance.check_in"), staff, False))
    gov.vote_cast(actor=focal, agenda_item=item, organisation=w.a, choice="for")
    changes.append(("vote", _record("vote.cast"), focal, False))

    # Score.
    prize.round_open(actor=Actor.for_user(staff), round_=o["round"]["own"])
    assignment = o["assignment"]["own"]
    edition = o["prize_edition"]["own"]
    scores = {c.code: 4 for c, _ in prize_queries.leaf_criteria(edition)}
    prize.review_submit(actor=Actor.for_user(judge), assignment=assignment, scores=scores)
    changes.append(("score", _record("review.submit"), judge, False))

    # Office.
    term = gov.office_term_record(
        actor=admin_user, kind="president_city", start=dt.date(2023, 10, 1), organisation=w.a
    )
    changes.append(("office", _record("office_term.record", term), admin_user, False))

    # Statute amendment: proposed, then revised (before and after).
    gov.article_save(
        actor=admin_user, number=16, title="Quorum", text="A quarter.",
        effective_from=dt.date(2010, 1, 1),
    )  # fmt: skip
    amendment = gov.amendment_propose(
        actor=admin_user, article_number=16, source="GA 2023", current_text="A quarter.",
        proposal="A fifth.",
    )  # fmt: skip
    gov.amendment_propose(
        actor=admin_user, article_number=16, source="GA 2023", current_text="A quarter.",
        proposal="A sixth.",
    )  # fmt: skip
    changes.append(("statute amendment", _record("amendment.propose", amendment), admin_user, True))

    print(f"\n{AuditRecord.objects.count() - start} audit records for {len(changes)} changes:")
    for label, record, actor, has_before in changes:
        print(f"  {label}: {record.action} by {record.actor_label} at {record.at:%H:%M:%S}"
              f" before={record.before} after={record.after}")  # fmt: skip
        assert record.actor == actor, label
        assert record.actor_label == actor.username, label
        assert record.at is not None, label
        assert record.after, f"{label}: no after state"
        if has_before:
            assert record.before, f"{label}: no before state"
            assert record.before != record.after, label
    profile = changes[0][1]
    assert profile.after == {"population": 123_456}
    amended = changes[-1][1]
    assert amended.before == {"proposal": "A fifth."} and amended.after == {"proposal": "A sixth."}


def test_admin_cannot_change_or_delete_audit_records(db, admin_user):
    model_admin = admin.site._registry[AuditRecord]
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    admin_user.is_superuser = True
    record = AuditRecord.objects.create(action="x", target_type="t", target_id="1")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, record)
    assert not model_admin.has_delete_permission(request, record)
    assert "delete_selected" not in model_admin.get_actions(request)


def test_admin_pages_refuse_writes(client, db):
    from tests.factories.members import UserFactory

    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    record = AuditRecord.objects.create(action="x", target_type="t", target_id="1", after={})
    base = "/admin/common/auditrecord/"
    change = client.post(f"{base}{record.pk}/change/", {"action": "forged"})
    delete = client.post(f"{base}{record.pk}/delete/", {"post": "yes"})
    add = client.post(f"{base}add/", {"action": "forged", "target_type": "t", "target_id": "2"})
    print(f"\nadmin change -> {change.status_code}, delete -> {delete.status_code}, "
          f"add -> {add.status_code}")  # fmt: skip
    assert change.status_code == delete.status_code == add.status_code == 403
    record.refresh_from_db()
    assert record.action == "x"
    assert AuditRecord.objects.count() == 1


def test_no_api_route_writes_the_audit_log():
    schema = api.get_openapi_schema()
    writes = [
        f"{m.upper()} {p}"
        for p, ops in schema["paths"].items()
        for m in ops
        if m in {"post", "put", "patch", "delete"} and "audit" in p.lower()
    ]
    assert writes == []
