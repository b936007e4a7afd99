import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.members import LifecycleEventFactory, OrganisationFactory, member_since
from urbis.common.models import CountryRegion, Region
from urbis.members import queries

D = dt.date
pytestmark = pytest.mark.django_db


def test_with_state_matches_the_fold_on_every_date():
    org = OrganisationFactory(name="Ulyanovsk Region")
    LifecycleEventFactory(organisation=org, kind="applied", date=D(2022, 1, 10))
    LifecycleEventFactory(organisation=org, kind="approved", date=D(2022, 4, 1))
    LifecycleEventFactory(organisation=org, kind="withdrawn", date=D(2023, 3, 1))
    for on, expected in [
        (D(2022, 1, 9), "none"),
        (D(2022, 1, 10), "applicant"),
        (D(2022, 4, 1), "member"),
        (D(2023, 2, 28), "member"),
        (D(2023, 3, 1), "withdrawn"),
    ]:
        annotated = queries.with_state(type(org).objects.filter(pk=org.pk), as_of=on).get()
        assert annotated.state == expected
        assert queries.state_as_of(org, on) == expected


def test_directory_filters_combine():
    asia = Region.objects.create(code="asia-pacific", name="Asia-Pacific")
    east = Region.objects.create(code="east-asia", name="East Asia", parent=asia)
    europe = Region.objects.create(code="europe", name="Europe")
    CountryRegion.objects.create(country="KR", region=east)
    CountryRegion.objects.create(country="DK", region=europe)
    member_since(D(2010, 9, 1), name="Seoul", country="KR")
    member_since(D(2015, 1, 1), name="Odense", country="DK")
    OrganisationFactory(name="Seoul Tourism Organization", category="institution", country="KR")

    names = lambda qs: [o.name for o in qs]  # noqa: E731
    assert names(queries.organisation_list(region="asia-pacific")) == [
        "Seoul",
        "Seoul Tourism Organization",
    ]
    assert names(queries.organisation_list(region="east-asia", state="member")) == ["Seoul"]
    assert names(queries.organisation_list(search="odense")) == ["Odense"]
    assert names(queries.organisation_list(category="institution")) == [
        "Seoul Tourism Organization"
    ]
    assert names(queries.organisation_list(country="dk")) == ["Odense"]
    assert names(queries.organisation_list(state="member", as_of=D(2012, 1, 1))) == ["Seoul"]


def test_membership_table_counts_by_category_and_state():
    member_since(D(2010, 9, 1), name="A")
    member_since(D(2010, 9, 1), name="B")
    suspended = member_since(D(2012, 1, 1), name="C")
    LifecycleEventFactory(organisation=suspended, kind="suspended", date=D(2023, 9, 26))
    corp = member_since(D(2020, 1, 1), name="Corp", category="corporation")
    LifecycleEventFactory(organisation=corp, kind="terminated", date=D(2023, 9, 26))
    OrganisationFactory(name="Embassy", category="embassy")

    before = queries.membership_table(as_of=D(2023, 9, 25))
    assert before["local_government"]["member"] == 3
    assert before["local_government"]["total"] == 3
    assert before["corporation"]["member"] == 1
    after = queries.membership_table(as_of=D(2023, 9, 26))
    assert after["local_government"]["member"] == 2
    assert after["local_government"]["suspended"] == 1
    assert after["corporation"]["terminated"] == 1
    assert "embassy" not in after


def test_membership_counts_use_one_query():
    for i in range(5):
        member_since(D(2015, 1, 1), name=f"M{i}")
    with CaptureQueriesContext(connection) as ctx:
        queries.membership_table(as_of=D(2023, 1, 1))
    assert len(ctx.captured_queries) == 1
