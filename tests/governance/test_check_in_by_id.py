"""The check-in desk's write: the same register row and audit record on both databases
(one statement on PostgreSQL, the ORM elsewhere)."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories.governance import DelegateFactory, MeetingFactory, QuorumRuleFactory, members
from urbis.common.models import AuditRecord
from urbis.governance import domain
from urbis.governance.models import CheckIn, Delegate

pytestmark = pytest.mark.django_db


@pytest.fixture
def delegate():
    QuorumRuleFactory()
    org = members(1, prefix="Almaty")[0]
    meeting = MeetingFactory(slug="ga")
    return DelegateFactory(
        meeting=meeting, organisation=org, name="Ms Head", position="Mayor", mode="on_site"
    )


def test_first_check_in_writes_the_row_and_its_audit_record(delegate, staff_user):
    before = timezone.now()
    row = domain.attendance_check_in_by_id(
        actor=staff_user, meeting_slug="ga", delegate_id=delegate.pk
    )
    assert (row.delegate_id, row.organisation_id, row.mode, row.created) == (
        delegate.pk,
        delegate.organisation_id,
        "on_site",
        True,
    )
    ci = CheckIn.objects.get()
    assert (ci.delegate_id, ci.meeting_id, ci.organisation_id, ci.mode, ci.source) == (
        delegate.pk,
        delegate.meeting_id,
        delegate.organisation_id,
        "on_site",
        "direct",
    )
    assert ci.recorded_by == staff_user and ci.at == row.at and ci.at >= before
    audit = AuditRecord.objects.get()
    assert (audit.actor, audit.actor_label, audit.action) == (
        staff_user,
        "sec-staff",
        "attendance.check_in",
    )
    assert (audit.target_type, audit.target_id) == ("governance.checkin", str(ci.pk))
    assert audit.target_repr == f"Ms Head ({delegate.organisation.name}) at {ci.at:%H:%M}"
    assert audit.before is None
    assert audit.after == {"delegate": delegate.pk, "mode": "on_site", "source": "direct"}


def test_second_check_in_reports_the_first_and_writes_nothing(delegate):
    first = domain.attendance_check_in_by_id(
        actor=None, meeting_slug="ga", delegate_id=delegate.pk, mode="online"
    )
    again = domain.attendance_check_in_by_id(
        actor=None, meeting_slug="ga", delegate_id=delegate.pk, mode="online"
    )
    assert (first.created, again.created) == (True, False)
    assert (again.mode, again.at) == ("online", first.at)
    assert CheckIn.objects.count() == 1
    assert AuditRecord.objects.get().actor_label == "system"


def test_unknown_delegate_other_meeting_and_bad_mode_are_refused(delegate):
    other = DelegateFactory(meeting=MeetingFactory(slug="excom"))
    with pytest.raises(Delegate.DoesNotExist):
        domain.attendance_check_in_by_id(actor=None, meeting_slug="ga", delegate_id=other.pk)
    with pytest.raises(Delegate.DoesNotExist):
        domain.attendance_check_in_by_id(actor=None, meeting_slug="nope", delegate_id=delegate.pk)
    with pytest.raises(ValidationError, match="Unknown attendance mode 'hybrid'"):
        domain.attendance_check_in_by_id(
            actor=None, meeting_slug="ga", delegate_id=delegate.pk, mode="hybrid"
        )
    assert CheckIn.objects.count() == AuditRecord.objects.count() == 0


def test_the_api_check_in_costs_three_queries_on_postgresql(client, delegate, staff_user):
    """Session, user with roles, the write. Elsewhere the ORM path: the delegate and a
    savepoint-wrapped pair of INSERTs."""
    client.force_login(staff_user, backend="urbis.common.auth.RoleLoadingBackend")
    url = "/api/v1/governance/meetings/ga/check-ins"
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            url, json.dumps({"delegate_id": delegate.pk}), content_type="application/json"
        )
    assert response.status_code == 200
    assert response.json()["created"] is True
    expected = 3 if connection.vendor == "postgresql" else 7
    assert len(ctx.captured_queries) == expected
    missing = client.post(url, json.dumps({"delegate_id": 0}), content_type="application/json")
    assert missing.status_code == 404
    answered = dt.datetime.fromisoformat(response.json()["at"].replace("Z", "+00:00"))
    assert abs(answered - CheckIn.objects.get().at) < dt.timedelta(milliseconds=1)  # JSON: ms


def test_the_openapi_document_describes_the_register_check_in_body(client):
    """Two apps once named their check-in schema alike and the document kept only one."""
    doc = client.get("/api/v1/openapi.json").json()
    operation = doc["paths"]["/api/v1/governance/meetings/{slug}/check-ins"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = doc["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(schema["properties"]) == {"delegate_id", "mode"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL only")
def test_on_postgresql_the_check_in_statement_is_prepared_once_per_connection(delegate):
    """Planning the statement costs more than running it: from its second run on a
    connection PostgreSQL runs the plan it prepared."""
    others = [DelegateFactory(meeting=delegate.meeting) for _ in range(3)]
    for d in [delegate, *others]:
        domain.attendance_check_in_by_id(actor=None, meeting_slug="ga", delegate_id=d.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements"
            " WHERE statement LIKE %s AND statement LIKE %s",
            ["%INSERT INTO governance_checkin%", "%WITH auth AS%"],
        )
        assert cursor.fetchone() == (1,)
    assert CheckIn.objects.count() == 4
