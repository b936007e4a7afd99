"""Applying for membership: the public form, the secretariat's check, the EXCOM agenda, and
the EXCOM decision that admits the member (its contact becomes the focal point, invited)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tests.factories.governance import (
    MeetingFactory,
    OfficeTermFactory,
    QuorumRuleFactory,
    members,
)
from tests.governance.conftest import attend
from urbis.governance import domain as governance
from urbis.governance.models import AgendaItem
from urbis.members import domain
from urbis.members.models import Contact, LifecycleEvent, MembershipApplication, Organisation
from urbis.messaging.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


FORM = {
    "name": "Harbour City",
    "official_name": "Metropolitan Government of Harbour City",
    "category": "local_government",
    "country": "PT",
    "city": "Harbour City",
    "website": "https://harbour.example",
    "motivation": "To share our open-data work.",
    "contact_name": "Ana Lima",
    "contact_position": "Director of Innovation",
    "contact_email": "ana.lima@harbour.example",
    "other_contact_name": "Rui Costa",
    "other_contact_email": "rui@harbour.example",
    "consent_statutes": "on",
}


def _submit(**changes):
    fields = {**FORM, **changes, "consent_statutes": True}
    return domain.application_submit(actor=None, **fields)


@pytest.fixture
def excom(staff_user):
    """An EXCOM meeting held today, its two members present (the quorum is met)."""
    QuorumRuleFactory(body="excom", numerator=1, denominator=2)
    board = members(2, prefix="Board")
    for city in board:
        OfficeTermFactory(kind="excom_member", organisation=city, start=dt.date(2020, 1, 1))
    today = timezone.localdate()
    meeting = MeetingFactory(
        body="excom", slug="excom-next", title="EXCOM meeting", date=today,
        convocation_date=today - dt.timedelta(days=20),
    )  # fmt: skip
    attend(meeting, board, actor=staff_user)
    return meeting


def test_the_public_form_records_an_application_with_its_letter(client):
    letter = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 letter", content_type="application/pdf")
    response = client.post("/members/apply/", {**FORM, "document": letter})
    assert response.status_code == 200
    application = MembershipApplication.objects.get()
    assert application.reference == f"APP-{timezone.localdate().year}-{application.pk:05d}"
    assert application.status == "submitted"
    assert application.document.name.endswith(".pdf")
    assert application.reference in response.content.decode()


def test_the_form_names_what_is_missing_and_records_nothing(client):
    response = client.post(
        "/members/apply/", {**FORM, "consent_statutes": "", "contact_email": "x"}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"consent_statutes", "contact_email"}
    assert not MembershipApplication.objects.exists()


def test_a_member_already_in_the_registry_or_applying_is_told(client):
    _submit()
    with pytest.raises(ValidationError, match="already applied"):
        _submit()
    Organisation.objects.create(name="Old Town", slug="old-town", category="local_government")
    with pytest.raises(ValidationError, match="already in the registry"):
        _submit(name="Old Town")
    with pytest.raises(ValidationError, match="a PDF"):
        domain.application_submit(
            actor=None,
            document=SimpleUploadedFile("letter.exe", b"MZ"),
            **{**FORM, "name": "Other", "consent_statutes": True},
        )


def test_an_adopted_excom_item_admits_the_member_and_invites_its_focal_point(excom, staff_user):
    application = _submit()
    domain.application_check(actor=staff_user, application=application, note="Letter signed.")
    row = domain.application_put_on_agenda(
        actor=staff_user, application=application, meeting="excom-next"
    )
    assert (row.status, row.agenda) == ("on_agenda", "EXCOM meeting, agenda 1")
    item = AgendaItem.objects.get(meeting=excom)
    assert item.membership_review_ref == f"application:{application.reference}"
    decision = governance.decision_record(actor=staff_user, agenda_item=item)
    assert decision.result == "adopted"
    application.refresh_from_db()
    assert application.status == "approved"
    assert application.decision_ref == "EXCOM meeting, agenda 1"
    org = application.organisation
    assert (org.name, org.category, str(org.country)) == ("Harbour City", "local_government", "PT")
    events = LifecycleEvent.objects.filter(organisation=org).order_by("date", "id")
    assert [(e.kind, e.date, e.decision_ref) for e in events] == [
        ("applied", timezone.localdate(), ""),
        ("approved", excom.date, "EXCOM meeting, agenda 1"),
    ]
    focal = Contact.objects.get(organisation=org, is_focal_point=True)
    assert (focal.name, focal.user.email) == ("Ana Lima", "ana.lima@harbour.example")
    assert focal.user.groups.filter(name="member focal point").exists()
    assert Contact.objects.filter(organisation=org, is_focal_point=False).count() == 1
    invitation = Message.objects.get(kind="accounts.invitation")
    assert invitation.to_address == "ana.lima@harbour.example"


def test_a_rejected_decision_rejects_the_application_and_enters_nothing(excom, staff_user):
    application = _submit()
    domain.application_check(actor=staff_user, application=application)
    domain.application_put_on_agenda(
        actor=staff_user, application=application, meeting="excom-next"
    )
    with transaction.atomic():
        domain.application_decide_for_decision(
            actor=staff_user, reference=f"application:{application.reference}",
            decision_ref="EXCOM meeting, agenda 1", decided_on=excom.date, adopted=False,
        )  # fmt: skip
    application.refresh_from_db()
    assert (application.status, application.rejection_reason) == (
        "rejected",
        "Not adopted: EXCOM meeting, agenda 1.",
    )
    assert not Organisation.objects.filter(name="Harbour City").exists()
    assert not Message.objects.exists()


def test_only_a_checked_application_goes_on_an_open_excom_agenda(excom, staff_user):
    application = _submit()
    with pytest.raises(ValidationError, match="Only a checked application"):
        domain.application_put_on_agenda(
            actor=staff_user, application=application, meeting="excom-next"
        )
    domain.application_check(actor=staff_user, application=application)
    with pytest.raises(ValidationError, match="not an open EXCOM meeting"):
        domain.application_put_on_agenda(
            actor=staff_user, application=application, meeting="nowhere"
        )
    assert not AgendaItem.objects.exists()


def test_staff_pages_list_check_reject(client, staff_user):
    application = _submit()
    client.force_login(staff_user)
    assert application.reference in client.get("/members/applications/").content.decode()
    url = f"/members/applications/{application.reference}/"
    assert "Mark as checked" in client.get(url).content.decode()
    client.post(url + "reject/", {"reason": ""})
    application.refresh_from_db()
    assert application.status == "submitted"
    client.post(url + "reject/", {"reason": "Not a city."})
    application.refresh_from_db()
    assert (application.status, application.rejection_reason) == ("rejected", "Not a city.")


def test_the_api_takes_an_application_and_staff_act_on_it(client, staff_user, excom):
    response = client.post("/api/v1/members/applications", {**FORM, "consent_statutes": "true"})
    assert response.status_code == 201
    reference = response.json()["reference"]
    bad = client.post("/api/v1/members/applications", {**FORM, "consent_statutes": "false"})
    assert bad.status_code == 422
    assert bad.json()["errors"] == {"consent_statutes": ["Accept the statutes to apply."]}
    client.force_login(staff_user)
    url = f"/api/v1/members/applications/{reference}"
    assert client.post(f"{url}/check", {}, content_type="application/json").status_code == 200
    response = client.post(
        f"{url}/agenda", {"meeting": "excom-next"}, content_type="application/json"
    )
    assert response.json()["agenda"] == "EXCOM meeting, agenda 1"
    assert client.get(url).json()["status"] == "on_agenda"
    assert [a["reference"] for a in client.get("/api/v1/members/applications").json()["items"]] == [
        reference
    ]


def test_the_list_costs_the_same_queries_for_more_applications(client, staff_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff_user)
    _submit()

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/members/applications/").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for n in range(5):
        _submit(name=f"Town {n}")
    assert count() == few
