"""Registry bounds: dates, years and names the registry refuses with a clear message, and
concurrent creations of one name settled by the database (one created, the rest a 409)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from tests.factories.members import member_since
from urbis.common.errors import Conflict
from urbis.members import domain
from urbis.members.models import LifecycleEvent, Organisation
from urbis.members.rules import bounds

TODAY = dt.date(2026, 3, 1)


@pytest.mark.parametrize(
    ("on", "ok"),
    [
        (dt.date(1899, 12, 31), False),
        (dt.date(1900, 1, 1), True),
        (TODAY + dt.timedelta(days=366), True),
        (TODAY + dt.timedelta(days=367), False),
        (dt.date(9999, 12, 31), False),
    ],
)
def test_lifecycle_date_bounds(on, ok):
    assert (bounds.lifecycle_date_problem(on, today=TODAY) == "") is ok


@pytest.mark.parametrize(
    ("year", "ok"), [(None, True), (1799, False), (1800, True), (2026, True), (2027, False)]
)
def test_population_year_bounds(year, ok):
    assert (bounds.population_year_problem(year, today=TODAY) == "") is ok


def test_names_are_normalised():
    assert bounds.normalise_name("  Seoul   Metropolitan  ") == "Seoul Metropolitan"
    assert bounds.normalise_name("     ") == ""


@pytest.mark.django_db
def test_a_lifecycle_event_in_year_9999_is_refused_and_later_events_still_work():
    org = member_since(dt.date(2015, 1, 1), name="Seoul")
    with pytest.raises(ValidationError) as exc:
        domain.lifecycle_record(
            actor=None, organisation=org, kind="suspended", date=dt.date(9999, 12, 31)
        )
    assert exc.value.message_dict["date"][0].startswith("The date 9999-12-31 is more than a year")
    event = domain.lifecycle_record(
        actor=None, organisation=org, kind="suspended", date=timezone.localdate()
    )
    assert LifecycleEvent.objects.filter(organisation=org).last() == event


@pytest.mark.django_db
def test_population_year_99999_and_a_blank_name_are_refused():
    with pytest.raises(ValidationError) as exc:
        domain.organisation_create(
            actor=None, name="Busan", category="local_government", population_year=2500
        )
    assert list(exc.value.message_dict) == ["population_year"]
    with pytest.raises(ValidationError) as exc:
        domain.organisation_create(actor=None, name="     ", category="local_government")
    assert exc.value.message_dict["name"] == ["This field cannot be blank."]
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_a_duplicate_name_is_a_conflict_whatever_its_case_and_spaces():
    domain.organisation_create(actor=None, name="Seoul", category="local_government")
    with pytest.raises(Conflict) as exc:
        domain.organisation_create(actor=None, name=" seoul ", category="local_government")
    assert exc.value.message_dict == {
        "name": ["An organisation named 'seoul' already exists (seoul)."]
    }
    other = domain.organisation_create(actor=None, name="Busan", category="local_government")
    with pytest.raises(Conflict):
        domain.organisation_update(actor=None, organisation=other, name="SEOUL")
    renamed = domain.organisation_update(actor=None, organisation=other, name="Busan  City")
    assert renamed.name == "Busan City"


@pytest.mark.django_db
def test_api_answers_409_for_a_duplicate_and_422_for_bounds(client, staff_user):
    client.force_login(staff_user)
    url = "/api/v1/members/organisations"
    body = {"name": "Seoul", "category": "local_government"}
    assert client.post(url, body, content_type="application/json").status_code == 201
    dup = client.post(url, body, content_type="application/json")
    assert dup.status_code == 409
    assert dup.json()["errors"] == {
        "name": ["An organisation named 'Seoul' already exists (seoul)."]
    }
    bad = client.post(
        url, {"name": "     ", "category": "local_government"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert bad.json()["errors"] == {"name": ["This field cannot be blank."]}


THREADS = 8


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
def test_concurrent_creations_of_one_name_create_one():
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait()
            domain.organisation_create(actor=None, name="Daejeon", category="local_government")
            result = "created"
        except Conflict:
            result = "conflict"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * (THREADS - 1) + ["created"]
    assert Organisation.objects.filter(name="Daejeon").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("country", ["²", "٣", "K\u00d6"])
def test_a_country_that_is_not_a_code_is_a_422_naming_it(client, staff_user, country):
    """django-countries reads any Unicode digit as a numeric code and failed on "²" (a 500
    found by the API fuzzing on PostgreSQL)."""
    client.force_login(staff_user)
    url = "/api/v1/members/organisations"
    body = {"name": "Fuzz City", "category": "local_government", "country": country}
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 422
    assert created.json()["errors"] == {"country": ["Use a two-letter ISO 3166 country code."]}
    body["country"] = "KR"
    assert client.post(url, body, content_type="application/json").status_code == 201
    edited = client.patch(url + "/fuzz-city", {"country": country}, content_type="application/json")
    assert edited.status_code == 422
    assert Organisation.objects.get(slug="fuzz-city").country.code == "KR"
