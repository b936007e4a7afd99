"""Domain functions that edit the programme: validation at its boundaries, times in the
event's zone (Seoul, and a zone with daylight saving time), audit records."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories.events import (
    CheckInFactory,
    EventFactory,
    RegistrationFactory,
    SessionFactory,
)
from tests.factories.members import OrganisationFactory
from urbis.common.actor import Actor
from urbis.common.models import AuditRecord
from urbis.events import domain
from urbis.events.models import SessionSignup, Venue

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def errors(exc_info):
    return exc_info.value.message_dict


def make_event(staff_user, **extra):
    fields = {
        "name": "7th General Assembly",
        "slug": "ga-7",
        "starts_on": dt.date(2026, 9, 22),
        "ends_on": dt.date(2026, 9, 24),
        "time_zone": "Asia/Seoul",
        **extra,
    }
    return domain.event_create(actor=staff_user, **fields)


def test_a_session_at_15_00_in_seoul_is_06_00_utc_and_shown_at_15_00(staff_user, client):
    event = make_event(staff_user)
    session = domain.session_create(
        actor=staff_user,
        event=event,
        title="General Assembly",
        day=dt.date(2026, 9, 23),
        start_time=dt.time(15, 0),
        end_time=dt.time(17, 0),
    )
    session.refresh_from_db()
    assert session.starts_at == dt.datetime(2026, 9, 23, 6, 0, tzinfo=UTC)
    assert session.ends_at == dt.datetime(2026, 9, 23, 8, 0, tzinfo=UTC)
    page = client.get("/events/ga-7/").content.decode()
    assert "15:00 \u2013 17:00" in page
    assert "06:00" not in page


def test_sessions_across_a_dst_change_in_new_york(staff_user):
    event = make_event(
        staff_user,
        slug="ny",
        starts_on=dt.date(2026, 10, 31),
        ends_on=dt.date(2026, 11, 2),
        time_zone="America/New_York",
    )
    before = domain.session_create(
        actor=staff_user, event=event, title="A", day=dt.date(2026, 10, 31), start_time=dt.time(9)
    )
    after = domain.session_create(
        actor=staff_user, event=event, title="B", day=dt.date(2026, 11, 2), start_time=dt.time(9)
    )
    # EDT (-4) on Saturday, EST (-5) on Monday: the same 09:00 is a different UTC hour.
    assert before.starts_at == dt.datetime(2026, 10, 31, 13, 0, tzinfo=UTC)
    assert after.starts_at == dt.datetime(2026, 11, 2, 14, 0, tzinfo=UTC)


def test_a_time_in_the_skipped_hour_is_refused_on_its_field(staff_user):
    event = make_event(
        staff_user,
        slug="berlin",
        starts_on=dt.date(2026, 3, 28),
        ends_on=dt.date(2026, 3, 29),
        time_zone="Europe/Berlin",
    )
    with pytest.raises(ValidationError) as exc:
        domain.session_create(
            actor=staff_user,
            event=event,
            title="Night tour",
            day=dt.date(2026, 3, 29),
            start_time=dt.time(2, 30),
        )
    assert errors(exc) == {
        "start_time": ["02:30 does not exist on 2026-03-29 in Europe/Berlin (clocks go forward)."]
    }


def test_event_length_and_date_bounds(staff_user):
    assert make_event(staff_user, ends_on=dt.date(2026, 10, 22)).pk  # 31 days
    with pytest.raises(ValidationError) as exc:
        make_event(staff_user, slug="long", ends_on=dt.date(2026, 10, 23))
    assert errors(exc) == {"ends_on": ["An event lasts at most 31 days."]}
    with pytest.raises(ValidationError) as exc:
        make_event(
            staff_user, slug="old", starts_on=dt.date(1989, 12, 31), ends_on=dt.date(1990, 1, 1)
        )
    assert errors(exc) == {"starts_on": ["Enter a date between 1990-01-01 and 2199-12-31."]}
    with pytest.raises(ValidationError) as exc:
        make_event(
            staff_user,
            slug="window",
            registration_opens_at=dt.datetime(2026, 9, 1, tzinfo=UTC),
            registration_closes_at=dt.datetime(2026, 9, 1, tzinfo=UTC),
        )
    assert errors(exc) == {"registration_closes_at": ["Registration closes before it opens."]}


def test_one_statutory_session_and_capacity_not_below_places_taken(staff_user):
    event = make_event(staff_user)
    domain.session_create(
        actor=staff_user, event=event, title="Assembly", day=event.starts_on, is_assembly=True
    )
    with pytest.raises(ValidationError) as exc:
        domain.session_create(
            actor=staff_user, event=event, title="Second", day=event.starts_on, is_assembly=True
        )
    assert errors(exc) == {"is_assembly": ["“Assembly” is already the statutory session."]}
    tour = domain.session_create(
        actor=staff_user, event=event, title="Tour", day=event.starts_on, capacity=5
    )
    for _ in range(3):
        SessionSignup.objects.create(registration=RegistrationFactory(event=event), session=tour)
    assert domain.session_update(actor=staff_user, session=tour, capacity=3).capacity == 3
    with pytest.raises(ValidationError) as exc:
        domain.session_update(actor=staff_user, session=tour, capacity=2)
    assert errors(exc) == {
        "capacity": ["3 places are already taken; the capacity cannot be lower."]
    }


def test_new_dates_may_not_strand_check_ins(staff_user):
    event = make_event(staff_user)
    CheckInFactory(registration=RegistrationFactory(event=event), day=dt.date(2026, 9, 24))
    with pytest.raises(ValidationError) as exc:
        domain.event_update(actor=staff_user, event=event, ends_on=dt.date(2026, 9, 23))
    assert errors(exc) == {
        "starts_on": ["1 check-in(s) were recorded outside 2026-09-22 to 2026-09-23."]
    }


def test_a_new_zone_with_a_skipped_hour_is_refused_and_changes_nothing(staff_user):
    event = make_event(staff_user, starts_on=dt.date(2026, 3, 28), ends_on=dt.date(2026, 3, 29))
    s = domain.session_create(
        actor=staff_user,
        event=event,
        title="Late",
        day=dt.date(2026, 3, 29),
        start_time=dt.time(2, 30),
    )
    with pytest.raises(ValidationError) as exc:
        domain.event_update(actor=staff_user, event=event, time_zone="Europe/Berlin")
    assert errors(exc) == {
        "time_zone": [
            "“Late”: 02:30 does not exist on 2026-03-29 in Europe/Berlin (clocks go forward)."
        ]
    }
    s.refresh_from_db()
    event.refresh_from_db()
    assert event.time_zone == "Asia/Seoul"
    assert s.starts_at == dt.datetime(2026, 3, 28, 17, 30, tzinfo=UTC)


def test_updates_are_audited_with_before_and_after(staff_user):
    event = make_event(staff_user)
    session = SessionFactory(event=event, title="Opening", day=event.starts_on)
    domain.session_update(
        actor=staff_user,
        session=session,
        room="Hall B",
        people=[{"role": "speaker", "name": "Dana Abenova", "position": "Mayor"}],
    )
    record = AuditRecord.objects.filter(action="session.update").get()
    assert record.before == {"room": "", "people": []}
    assert record.after == {"room": "Hall B", "people": [["speaker", "Dana Abenova", "Mayor"]]}
    domain.session_update(actor=staff_user, session=session, room="Hall B")
    assert AuditRecord.objects.filter(action="session.update").count() == 1  # no change, no record


def test_event_venue_and_sponsor_updates_record_what_changed_once(staff_user):
    event = make_event(staff_user)
    host = OrganisationFactory(name="Seoul")
    domain.event_update(actor=staff_user, event=event, city="  Seoul  ", host=host)
    record = AuditRecord.objects.filter(action="event.update").get()
    assert (record.before, record.after) == (
        {"city": "", "host_id": None},
        {"city": "Seoul", "host_id": host.pk},
    )
    domain.event_update(actor=staff_user, event=event, city="Seoul")
    assert AuditRecord.objects.filter(action="event.update").count() == 1  # no change, no record

    venue = domain.venue_create(actor=staff_user, name="COEX", address="513 Yeongdong-daero")
    updated = domain.venue_update(actor=staff_user, venue=venue, name=" COEX  Hall ")
    assert updated.name == "COEX Hall"
    record = AuditRecord.objects.filter(action="venue.update").get()
    assert (record.before, record.after) == ({"name": "COEX"}, {"name": "COEX Hall"})

    sponsor = domain.sponsor_create(actor=staff_user, event=event, name="Acme")
    domain.sponsor_update(actor=staff_user, sponsor=sponsor, name="Acme", order=2)
    record = AuditRecord.objects.filter(action="sponsor.update").get()
    assert (record.before, record.after) == ({"order": 0}, {"order": 2})


def test_an_update_refused_writes_nothing(staff_user):
    event = make_event(staff_user)
    other = make_event(staff_user, slug="ga-8", name="8th General Assembly")
    with pytest.raises(ValidationError) as exc_info:
        domain.event_update(actor=staff_user, event=other, slug="ga-7", city="Paris")
    assert errors(exc_info) == {"slug": ["Another event already has the slug “ga-7”."]}
    other.refresh_from_db()
    assert (other.slug, other.city, event.slug) == ("ga-8", "", "ga-7")
    assert not AuditRecord.objects.filter(action="event.update").exists()


def test_only_the_secretariat_edits(client, focal_point):
    """The rule `events.change_programme`, checked at the edge before the domain is called."""
    event = EventFactory()
    with pytest.raises(PermissionDenied):
        Actor.for_user(focal_point[0]).require("events.change_programme", event)
    client.force_login(focal_point[0])
    response = client.patch(
        f"/api/v1/events/{event.slug}", {"name": "Mine"}, content_type="application/json"
    )
    assert response.status_code == 403
    response = client.post("/api/v1/venues/", {"name": "Shed"}, content_type="application/json")
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.name != "Mine"
    assert not Venue.objects.filter(name="Shed").exists()
