import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories.events import EventFactory, RegistrationFactory, SessionFactory
from tests.factories.members import OrganisationFactory
from urbis.common.actor import Actor
from urbis.common.models import AuditRecord
from urbis.events import domain
from urbis.events.models import Registration, RegistrationStatus, SessionSignup

pytestmark = pytest.mark.django_db


def _register(actor, event, org, name="Jane Doe", **kw):
    return domain.registration_create(
        actor=actor, event=event, organisation=org, person_name=name, **kw
    )


def test_staff_registration_is_approved_and_audited(staff_user):
    event, org = EventFactory(), OrganisationFactory(name="Kampala")
    reg = _register(staff_user, event, org, position="Deputy Director", mayoral_level=False)
    assert reg.status == RegistrationStatus.APPROVED
    assert reg.approved_by == staff_user
    assert len(reg.code) == 8
    assert (
        AuditRecord.objects.filter(action="registration.create", target_id=str(reg.pk)).count() == 1
    )


def test_validation_errors_name_each_field(staff_user):
    event = EventFactory()
    with pytest.raises(ValidationError) as exc:
        domain.registration_create(
            actor=staff_user,
            event=event,
            organisation=None,
            person_name="   ",
            attendance="by pigeon",
        )
    errors = exc.value.message_dict
    assert errors["organisation"] == ["Choose the organisation the delegate represents."]
    assert errors["person_name"] == ["Enter the delegate's name."]
    assert errors["attendance"] == ["Choose on-site or online (got 'by pigeon')."]
    assert Registration.objects.count() == 0


def test_online_delegate_cannot_ask_for_airport_transfer(staff_user):
    with pytest.raises(ValidationError) as exc:
        _register(
            staff_user,
            EventFactory(),
            OrganisationFactory(),
            attendance="online",
            airport_transfer="arrival",
        )
    assert exc.value.message_dict == {
        "airport_transfer": ["An online delegate needs no airport transfer."]
    }


def test_duplicate_person_is_refused_whatever_the_spacing_and_case(staff_user):
    event, org = EventFactory(name="GA 6"), OrganisationFactory(name="Seoul")
    _register(staff_user, event, org, name="Se-hoon Oh")
    with pytest.raises(ValidationError) as exc:
        _register(staff_user, event, org, name="  se-hoon   OH ")
    assert exc.value.message_dict == {
        "person_name": ["Se-hoon Oh of Seoul is already registered for GA 6 (approved)."]
    }
    assert Registration.objects.count() == 1


def test_same_person_may_register_for_another_event(staff_user):
    org = OrganisationFactory()
    _register(staff_user, EventFactory(), org)
    _register(staff_user, EventFactory(), org)
    assert Registration.objects.count() == 2


def test_duplicate_email_is_refused(staff_user):
    event = EventFactory(name="GA 6")
    _register(staff_user, event, OrganisationFactory(), name="A", email="a@example.org")
    with pytest.raises(ValidationError) as exc:
        _register(staff_user, event, OrganisationFactory(), name="B", email="A@example.org")
    assert exc.value.message_dict == {"email": ["A@example.org is already registered for GA 6."]}


def test_capacity_refuses_the_whole_registration_when_a_session_is_full(staff_user):
    event = EventFactory()
    tour = SessionFactory(event=event, title="City Tour Bus", capacity=2, requires_signup=True)
    for name in ("A", "B"):
        _register(staff_user, event, OrganisationFactory(), name=name, sessions=[tour])
    with pytest.raises(ValidationError) as exc:
        _register(staff_user, event, OrganisationFactory(), name="C", sessions=[tour])
    assert exc.value.message_dict == {"sessions": ["“City Tour Bus” is full: 2 of 2 places taken."]}
    assert Registration.objects.filter(person_name="C").count() == 0
    assert SessionSignup.objects.filter(session=tour).count() == 2


def test_cancelling_frees_a_place(staff_user):
    event = EventFactory()
    tour = SessionFactory(event=event, capacity=1, requires_signup=True)
    first = _register(staff_user, event, OrganisationFactory(), name="A", sessions=[tour])
    domain.registration_cancel(actor=staff_user, registration=first)
    second = _register(staff_user, event, OrganisationFactory(), name="B", sessions=[tour])
    assert list(second.signups.values_list("session", flat=True)) == [tour.pk]


def test_signing_up_twice_is_harmless(staff_user):
    event = EventFactory()
    tour = SessionFactory(event=event, capacity=1, requires_signup=True)
    reg = _register(staff_user, event, OrganisationFactory(), sessions=[tour])
    domain.session_signup(actor=staff_user, registration=reg, session=tour)
    assert SessionSignup.objects.filter(session=tour).count() == 1


def test_session_of_another_event_is_refused(staff_user):
    other = SessionFactory(title="Elsewhere")
    event = EventFactory(name="GA 6")
    with pytest.raises(ValidationError) as exc:
        _register(staff_user, event, OrganisationFactory(), sessions=[other])
    assert exc.value.message_dict == {"sessions": ["“Elsewhere” is not part of GA 6."]}


def test_focal_point_registers_own_member_pending_approval(focal_point, staff_user):
    user, org = focal_point
    event = EventFactory()
    reg = _register(user, event, org, name="Own Delegate")
    assert reg.status == RegistrationStatus.PENDING
    approved = domain.registration_approve(actor=staff_user, registration=reg)
    assert approved.status == RegistrationStatus.APPROVED
    assert approved.approved_by == staff_user


def test_focal_point_cannot_register_another_member(client, focal_point):
    """The rule `events.register_delegate` on the organisation, checked at the edge."""
    user, _ = focal_point
    other = OrganisationFactory(name="Other City")
    event = EventFactory()
    with pytest.raises(PermissionDenied):
        Actor.for_user(user).require("events.register_delegate", other)
    client.force_login(user)
    response = client.post(
        f"/api/v1/events/{event.slug}/registrations",
        {"organisation": other.slug, "person_name": "Jane Doe"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "Other City" in response.json()["detail"]
    assert Registration.objects.count() == 0


def test_focal_point_cannot_approve(client, focal_point):
    user, org = focal_point
    reg = _register(user, EventFactory(), org)
    with pytest.raises(PermissionDenied):
        Actor.for_user(user).require("events.approve_registration", reg)
    client.force_login(user)
    response = client.post(f"/api/v1/events/{reg.event.slug}/registrations/{reg.code}/approve")
    assert response.status_code == 403
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.PENDING


def test_closed_registration_refuses_focal_points_only(focal_point, staff_user):
    user, org = focal_point
    event = EventFactory(name="GA 6", registration_open=False)
    with pytest.raises(ValidationError) as exc:
        _register(user, event, org)
    assert exc.value.message_dict == {"__all__": ["Registration for GA 6 is closed."]}
    assert _register(staff_user, event, org).status == RegistrationStatus.APPROVED


def test_rejected_registration_cannot_be_approved(staff_user):
    reg = RegistrationFactory(status=RegistrationStatus.CANCELLED)
    with pytest.raises(ValidationError) as exc:
        domain.registration_approve(actor=staff_user, registration=reg)
    assert exc.value.message_dict == {
        "status": ["A registration that is cancelled cannot become approved."]
    }


def test_checkin_day_outside_event_is_refused(staff_user):
    reg = RegistrationFactory(code="ABCDEFGH")
    with pytest.raises(ValidationError) as exc:
        domain.checkin_record(actor=staff_user, code="ABCD-EFGH", day=dt.date(2023, 10, 1))
    assert "is not a day of" in exc.value.message_dict["day"][0]
    assert reg.checkins.count() == 0
