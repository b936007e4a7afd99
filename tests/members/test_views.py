import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.members import (
    ContactFactory,
    LifecycleEventFactory,
    OrganisationFactory,
    ParticipationFactory,
    UserFactory,
    member_since,
)
from urbis.common.models import AuditRecord, CountryRegion, Region
from urbis.members import domain
from urbis.members.models import Contact, LifecycleEvent, Organisation, Participation

pytestmark = pytest.mark.django_db


def _directory_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("members:directory"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_directory_query_count_does_not_grow_with_members(client):
    for i in range(3):
        member_since(dt.date(2015, 1, 1), name=f"Early {i}")
    few = _directory_queries(client)
    for i in range(30):
        member_since(dt.date(2016, 1, 1), name=f"Late {i}")
    assert _directory_queries(client) == few


def test_detail_shows_lifecycle(client):
    org = member_since(dt.date(2017, 5, 1), name="Kampala", country="UG")
    response = client.get(reverse("members:detail", args=[org.slug]))
    assert response.status_code == 200
    assert b"Kampala" in response.content
    assert b"2017-05-01" in response.content


def test_counts_page_and_api_agree(client):
    member_since(dt.date(2015, 1, 1), name="A")
    page = client.get(reverse("members:counts"), {"as_of": "2023-09-26"})
    assert page.status_code == 200
    api = client.get("/api/v1/members/counts", {"as_of": "2023-09-26"}).json()
    assert api["counts"]["local_government"]["member"] == 1


# --- staff pages: who may reach them ------------------------------------------------------

STAFF_PAGES = [
    ("members:organisation_new", False),
    ("members:organisation_edit", True),
    ("members:lifecycle_new", True),
    ("members:participation_new", True),
    ("members:contact_new", True),
]
SECRETARIAT_ONLY = [
    "members:organisation_new",
    "members:lifecycle_new",
    "members:participation_new",
]


def _url(name: str, org) -> str:
    if name == "members:organisation_new":
        return reverse(name)
    return reverse(name, args=[org.slug])


def _counts() -> tuple[int, int, int, int, int]:
    return (
        Organisation.objects.count(),
        LifecycleEvent.objects.count(),
        Participation.objects.count(),
        Contact.objects.count(),
        AuditRecord.objects.count(),
    )


ANY_POST = {
    "name": "Intruder",
    "category": "local_government",
    "kind": "approved",
    "date": "2020-01-01",
    "date_precision": "day",
    "activity": "Hack",
    "position": "Mayor",
}


@pytest.mark.parametrize("name", [n for n, _ in STAFF_PAGES] + ["members:mine"])
def test_anonymous_is_sent_to_login_and_cannot_post(client, name):
    org = OrganisationFactory(name="Target")
    url = reverse(name) if name == "members:mine" else _url(name, org)
    before = _counts()
    for response in (client.get(url), client.post(url, ANY_POST)):
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"
    assert _counts() == before


def test_anonymous_is_sent_to_login_from_contact_edit(client):
    contact = ContactFactory(name="Ana")
    url = reverse("members:contact_edit", args=[contact.organisation.slug, contact.pk])
    response = client.post(url, {"name": "Changed"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    contact.refresh_from_db()
    assert contact.name == "Ana"


@pytest.mark.parametrize("role_user", ["excom_user", "evaluator_user"])
@pytest.mark.parametrize("name", [n for n, _ in STAFF_PAGES])
def test_signed_in_without_the_role_gets_403(client, request, role_user, name):
    client.force_login(request.getfixturevalue(role_user))
    org = OrganisationFactory(name="Target")
    before = _counts()
    response = client.get(_url(name, org))
    assert response.status_code == 403
    assert "<h1>Not allowed</h1>" in response.content.decode()
    assert client.post(_url(name, org), ANY_POST).status_code == 403
    assert _counts() == before


# --- focal points -------------------------------------------------------------------------


@pytest.mark.parametrize("name", [n for n, _ in STAFF_PAGES])
def test_focal_point_cannot_touch_another_member(client, focal_point, name):
    user, _own = focal_point
    other = OrganisationFactory(name="Other City")
    client.force_login(user)
    before = _counts()
    assert client.get(_url(name, other)).status_code == 403
    assert client.post(_url(name, other), ANY_POST).status_code == 403
    assert _counts() == before


def test_focal_point_cannot_edit_another_members_contact(client, focal_point):
    user, _own = focal_point
    contact = ContactFactory(name="Stranger")
    client.force_login(user)
    url = reverse("members:contact_edit", args=[contact.organisation.slug, contact.pk])
    assert client.post(url, {"name": "Changed"}).status_code == 403
    contact.refresh_from_db()
    assert contact.name == "Stranger"


def test_contact_of_another_member_is_not_found_under_own_slug(client, focal_point):
    user, own = focal_point
    contact = ContactFactory(name="Stranger")
    client.force_login(user)
    url = reverse("members:contact_edit", args=[own.slug, contact.pk])
    assert client.post(url, {"name": "Changed"}).status_code == 404


@pytest.mark.parametrize("name", SECRETARIAT_ONLY)
def test_focal_point_cannot_use_secretariat_pages_on_own_member(client, focal_point, name):
    user, own = focal_point
    client.force_login(user)
    assert client.get(_url(name, own)).status_code == 403


def test_focal_point_edits_only_its_fields(client, focal_point):
    user, own = focal_point
    own.population = 1000
    own.save()
    client.force_login(user)
    url = reverse("members:organisation_edit", args=[own.slug])
    page = client.get(url)
    assert page.status_code == 200
    fields = set(page.context["form"].fields)
    assert fields == {"official_name", "website", "description", "employees"}
    response = client.post(
        url,
        {
            "name": "Renamed",
            "category": "corporation",
            "population": "5",
            "founding_member": "on",
            "official_name": "Metropolitan City of Focal",
            "description": "A city by the sea.",
            "employees": "1200",
            "website": "https://focal.example.org",
        },
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.name, own.category, own.population, own.founding_member) == (
        "Focal City",
        "local_government",
        1000,
        False,
    )
    assert own.official_name == "Metropolitan City of Focal"
    assert own.description == "A city by the sea."
    assert own.employees == 1200
    record = AuditRecord.objects.get(action="organisation.update")
    assert record.actor == user
    assert set(record.after) == {"official_name", "description", "employees", "website"}


def test_focal_point_adds_a_contact_but_cannot_grant_sign_in(client, focal_point, staff_user):
    user, own = focal_point
    client.force_login(user)
    url = reverse("members:contact_new", args=[own.slug])
    assert set(client.get(url).context["form"].fields) == {
        "name",
        "position",
        "email",
        "phone",
        "mayoral_level",
        "language",
    }
    response = client.post(
        url,
        {
            "name": "Deputy",
            "position": "Deputy Mayor",
            "email": "deputy@example.org",
            "mayoral_level": "on",
            "is_focal_point": "on",
            "user": str(staff_user.pk),
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get(name="Deputy")
    assert contact.organisation == own
    assert contact.mayoral_level is True
    assert (contact.is_focal_point, contact.user) == (False, None)


def test_my_member_page_lists_own_member_and_contacts(client, focal_point):
    user, own = focal_point
    OrganisationFactory(name="Other City")
    client.force_login(user)
    response = client.get(reverse("members:mine"))
    assert response.status_code == 200
    assert [org for org, _ in response.context["organisations"]] == [own]
    text = response.content.decode()
    assert "Focal Person" in text
    assert "Other City" not in text
    assert reverse("members:organisation_edit", args=[own.slug]) in text


def test_my_member_page_for_a_user_without_member(client, evaluator_user):
    client.force_login(evaluator_user)
    response = client.get(reverse("members:mine"))
    assert response.status_code == 200
    assert b"not the focal point of any member" in response.content


# --- staff writes -------------------------------------------------------------------------


def test_staff_creates_an_organisation(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("members:organisation_new"),
        {
            "name": "Chirchik",
            "category": "local_government",
            "country": "UZ",
            "population": "160000",
            "aliases": "Chirchiq\n  Tschirtschik \n",
            "description": "",
        },
        follow=True,
    )
    org = Organisation.objects.get(name="Chirchik")
    assert response.redirect_chain == [(reverse("members:detail", args=["chirchik"]), 302)]
    assert org.aliases == ["Chirchiq", "Tschirtschik"]
    assert org.population == 160000
    assert "Organisation “Chirchik” created." in response.content.decode()
    assert AuditRecord.objects.get(action="organisation.create").actor == staff_user


def test_create_shows_the_domain_error_and_writes_nothing(client, staff_user):
    client.force_login(staff_user)
    before = _counts()
    response = client.post(
        reverse("members:organisation_new"),
        {"name": "Acme", "category": "corporation", "country": "KR", "population": "5"},
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Constraint “population_only_for_local_governments” is violated."
    ]
    assert _counts() == before


def test_create_names_the_field_that_does_not_parse(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("members:organisation_new"),
        {"name": "", "category": "planet", "population": "many"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["name"] == ["This field is required."]
    assert errors["population"] == ["Enter a whole number."]
    assert errors["category"] == [
        "Select a valid choice. planet is not one of the available choices."
    ]
    assert 'id="id_population_error"' in response.content.decode()


def test_staff_edits_an_organisation(client, staff_user):
    org = OrganisationFactory(name="Tubah", country="CM", population=100)
    client.force_login(staff_user)
    url = reverse("members:organisation_edit", args=[org.slug])
    form = client.get(url).context["form"]
    assert form.initial["country"] == "CM"
    data = {k: v for k, v in form.initial.items() if v not in (None, "")}
    data.update({"population": "203884", "aliases": "Tubah Council"})
    data.pop("founding_member", None)
    response = client.post(url, data)
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.population, org.aliases, str(org.country)) == (203884, ["Tubah Council"], "CM")
    record = AuditRecord.objects.get(action="organisation.update")
    assert record.before == {"aliases": [], "population": 100}
    assert record.after == {"aliases": ["Tubah Council"], "population": 203884}


def test_staff_records_a_lifecycle_event(client, staff_user):
    org = OrganisationFactory(name="Ryde")
    client.force_login(staff_user)
    response = client.post(
        reverse("members:lifecycle_new", args=[org.slug]),
        {
            "kind": "applied",
            "date": "2023-03-01",
            "date_precision": "month",
            "reason": "Application letter",
            "decision_ref": "",
            "letter": "",
        },
        follow=True,
    )
    assert "Recorded “Applied” on 2023-03-01." in response.content.decode()
    event = LifecycleEvent.objects.get(organisation=org)
    assert (event.kind, event.date, event.date_precision, event.recorded_by) == (
        "applied",
        dt.date(2023, 3, 1),
        "month",
        staff_user,
    )
    assert AuditRecord.objects.filter(action="lifecycle.applied").count() == 1


def test_impossible_transition_shows_the_error_next_to_kind_and_writes_nothing(client, staff_user):
    org = OrganisationFactory(name="Never Applied")
    client.force_login(staff_user)
    before = _counts()
    response = client.post(
        reverse("members:lifecycle_new", args=[org.slug]),
        {"kind": "suspended", "date": "2023-01-01", "date_precision": "day", "letter": ""},
    )
    assert response.status_code == 400
    message = (
        "2023-01-01: cannot record 'suspended' for an organisation whose state is 'none' "
        "(allowed: applied, approved)"
    )
    assert response.context["form"].errors == {"kind": [message]}
    text = response.content.decode()
    assert '<ul class="errorlist" id="id_kind_error">' in text
    assert 'aria-describedby="id_kind_error"' in text
    assert _counts() == before


def test_staff_records_participation(client, staff_user):
    org = OrganisationFactory(name="Bishkek")
    client.force_login(staff_user)
    response = client.post(
        reverse("members:participation_new", args=[org.slug]),
        {"date": "2023-09-26", "activity": "6th General Assembly", "kind": "meeting"},
    )
    assert response.status_code == 302
    part = Participation.objects.get(organisation=org)
    assert (part.activity, part.kind, part.date) == (
        "6th General Assembly",
        "meeting",
        dt.date(2023, 9, 26),
    )


def test_staff_adds_and_edits_a_focal_point_contact(client, staff_user):
    org = OrganisationFactory(name="Cusco")
    person = UserFactory(username="cusco-fp")
    client.force_login(staff_user)
    client.post(
        reverse("members:contact_new", args=[org.slug]),
        {
            "name": "Luz",
            "position": "International relations",
            "email": "luz@example.org",
            "phone": "+51 84 000 000",
            "is_focal_point": "on",
            "user": str(person.pk),
        },
    )
    contact = Contact.objects.get(organisation=org)
    assert (contact.is_focal_point, contact.user, contact.mayoral_level) == (True, person, False)
    url = reverse("members:contact_edit", args=[org.slug, contact.pk])
    response = client.post(url, {"name": "Luz", "position": "Director", "user": ""})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.position, contact.is_focal_point, contact.user) == ("Director", False, None)
    assert AuditRecord.objects.filter(action="contact.save").count() == 2


def test_contact_email_is_checked(client, staff_user):
    org = OrganisationFactory(name="Cusco")
    client.force_login(staff_user)
    response = client.post(
        reverse("members:contact_new", args=[org.slug]), {"name": "Luz", "email": "not-mail"}
    )
    assert response.context["form"].errors == {"email": ["Enter a valid email address."]}
    assert not Contact.objects.exists()


# --- the detail page ----------------------------------------------------------------------


def _action_links(response) -> list[str]:
    text = response.content.decode()
    labels = ["Edit profile", "Record lifecycle event", "Record participation", "Add a contact"]
    return [label for label in labels if f">{label}</a>" in text]


def test_detail_shows_actions_only_to_those_allowed(client, staff_user, excom_user, focal_point):
    fp_user, org = focal_point
    url = reverse("members:detail", args=[org.slug])
    assert _action_links(client.get(url)) == []
    client.force_login(excom_user)
    assert _action_links(client.get(url)) == []
    client.force_login(fp_user)
    assert _action_links(client.get(url)) == ["Edit profile", "Add a contact"]
    client.force_login(staff_user)
    assert _action_links(client.get(url)) == [
        "Edit profile",
        "Record lifecycle event",
        "Record participation",
        "Add a contact",
    ]


def test_focal_point_sees_no_actions_on_another_member(client, focal_point):
    fp_user, _own = focal_point
    other = OrganisationFactory(name="Other City")
    client.force_login(fp_user)
    response = client.get(reverse("members:detail", args=[other.slug]))
    assert _action_links(response) == []
    assert response.context["contacts"] is None


def test_contacts_and_history_are_hidden_from_the_public(client):
    org = OrganisationFactory(name="Donga")
    ContactFactory(organisation=org, name="Secret Person", email="secret@example.org")
    response = client.get(reverse("members:detail", args=[org.slug]))
    text = response.content.decode()
    assert "secret@example.org" not in text
    assert response.context["contacts"] is None
    assert response.context["history"] is None
    assert "<h2>History</h2>" not in text


@pytest.mark.parametrize("viewer", ["staff_user", "excom_user"])
def test_history_lists_audit_records_of_the_organisation(client, request, viewer, staff_user):
    org = domain.organisation_create(
        actor=staff_user, name="Pokhara", category="local_government", country="NP"
    )
    other = domain.organisation_create(
        actor=staff_user, name="Seoul", category="local_government", country="KR"
    )
    domain.organisation_update(actor=staff_user, organisation=org, city="Pokhara")
    domain.organisation_update(actor=staff_user, organisation=other, city="Seoul")
    domain.contact_save(actor=staff_user, organisation=org, name="Mayor", position="Mayor")
    client.force_login(request.getfixturevalue(viewer))
    response = client.get(reverse("members:detail", args=[org.slug]))
    history = response.context["history"]
    assert [h.action for h in history] == [
        "contact.save",
        "organisation.update",
        "organisation.create",
    ]
    assert [(c.field, c.before, c.after) for c in history[1].changes] == [("city", "", "Pokhara")]
    assert {h.actor for h in history} == {"sec-staff"}
    assert "<h2>History</h2>" in response.content.decode()


def test_focal_point_sees_own_contacts_but_not_history(client, focal_point):
    user, own = focal_point
    client.force_login(user)
    response = client.get(reverse("members:detail", args=[own.slug]))
    assert [c.name for c in response.context["contacts"]] == ["Focal Person"]
    assert response.context["history"] is None


def _detail_queries(client, org) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("members:detail", args=[org.slug]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_detail_query_count_does_not_grow_with_events_and_contacts(client, staff_user):
    org = member_since(dt.date(2015, 1, 1), name="Seoul")
    ContactFactory(organisation=org, user=UserFactory(username="u0"), is_focal_point=True)
    ParticipationFactory(organisation=org)
    domain.organisation_update(actor=staff_user, organisation=org, city="Seoul")
    client.force_login(staff_user)
    few = _detail_queries(client, org)
    for year in range(2016, 2022, 2):
        LifecycleEventFactory(organisation=org, kind="suspended", date=dt.date(year, 1, 1))
        LifecycleEventFactory(organisation=org, kind="reinstated", date=dt.date(year, 6, 1))
    for i in range(1, 8):
        contact = ContactFactory(
            organisation=org, user=UserFactory(username=f"u{i}"), is_focal_point=True
        )
        domain.contact_save(actor=staff_user, organisation=org, contact=contact, phone=str(i))
        ParticipationFactory(organisation=org)
    assert _detail_queries(client, org) == few


def test_html_in_description_is_escaped(client):
    org = OrganisationFactory(
        name="Abu Dhabi", description='<script>alert("x")</script><b>bold</b>'
    )
    text = client.get(reverse("members:detail", args=[org.slug])).content.decode()
    assert "<script>alert" not in text
    assert "<b>bold</b>" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in text


# --- the directory ------------------------------------------------------------------------


def test_directory_pagination_keeps_the_filters(client):
    for i in range(30):
        member_since(dt.date(2015, 1, 1), name=f"Member {i:02d}", country="KR")
    OrganisationFactory(name="Elsewhere", country="FR")
    response = client.get(
        reverse("members:directory"), {"country": "kr", "state": "member", "page": "1"}
    )
    text = response.content.decode()
    assert response.context["page"].paginator.count == 30
    assert "<strong>30</strong> organisations" in text
    assert 'href="?country=kr&amp;state=member&amp;page=2"' in text
    second = client.get(
        reverse("members:directory"), {"country": "kr", "state": "member", "page": "2"}
    )
    assert [org.name for org, _ in second.context["rows"]] == [
        "Member 25",
        "Member 26",
        "Member 27",
        "Member 28",
        "Member 29",
    ]
    assert 'href="?country=kr&amp;state=member&amp;page=1"' in second.content.decode()


def test_directory_as_of_date_changes_the_status(client):
    member_since(dt.date(2023, 6, 1), name="Bishkek", country="KG")
    response = client.get(reverse("members:directory"), {"as_of": "2023-01-01"})
    assert [org.state for org, _ in response.context["rows"]] == ["none"]
    assert "status as of 1 January 2023" in response.content.decode()
    response = client.get(reverse("members:directory"), {"as_of": "2023-09-26", "state": "member"})
    assert [org.name for org, _ in response.context["rows"]] == ["Bishkek"]


def test_directory_reports_a_date_it_cannot_read(client):
    member_since(dt.date(2023, 6, 1), name="Bishkek", country="KG")
    response = client.get(reverse("members:directory"), {"as_of": "26/09/2023"})
    assert response.status_code == 200
    assert response.context["as_of"] is None
    assert "As of: Enter a date as YYYY-MM-DD." in response.content.decode()
    assert [org.name for org, _ in response.context["rows"]] == ["Bishkek"]


def test_directory_shows_region_and_links_counts(client):
    europe = Region.objects.create(code="europe", name="Europe")
    CountryRegion.objects.create(country="FR", region=europe)
    OrganisationFactory(name="Lyon", country="FR")
    response = client.get(reverse("members:directory"))
    text = response.content.decode()
    assert "<td>Europe</td>" in text
    assert f'href="{reverse("members:counts")}"' in text


def test_directory_htmx_returns_the_rows_only(client):
    OrganisationFactory(name="Lyon", country="FR")
    response = client.get(reverse("members:directory"), {"q": "ly"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "<h1>" not in text
    assert "Lyon" in text


def test_directory_export_links_reach_the_export(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("members:directory"), {"category": "corporation"})
    export = reverse("members:export")
    assert f'href="{export}?category=corporation&amp;format=csv"' in response.content.decode()
    download = client.get(export, {"category": "corporation", "format": "csv"})
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.urls("tests.members.urls_with_export")
def test_directory_offers_export_to_staff_only(client, staff_user, excom_user):
    url = reverse("members:directory")
    assert "Export:" not in client.get(url).content.decode()
    client.force_login(excom_user)
    assert "Export:" not in client.get(url).content.decode()
    client.force_login(staff_user)
    text = client.get(url, {"category": "corporation", "page": "1"}).content.decode()
    export = reverse("members:export")
    assert f'href="{export}?category=corporation&amp;format=csv"' in text
    assert f'href="{export}?category=corporation&amp;format=xlsx"' in text


def test_directory_query_count_for_staff_with_filters(client, staff_user):
    client.force_login(staff_user)
    params = {"as_of": "2023-09-26", "state": "member", "category": "local_government"}

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("members:directory"), params).status_code == 200
        return len(ctx.captured_queries)

    member_since(dt.date(2015, 1, 1), name="Early")
    few = count()
    for i in range(30):
        member_since(dt.date(2016, 1, 1), name=f"Late {i}")
    assert count() == few


# --- every page for every role ---------------------------------------------------------

ROLES = ["anonymous", "focal_own", "focal_other", "excom", "evaluator", "staff", "admin"]
PUBLIC = dict.fromkeys(ROLES, 200)
SIGNED_IN = {**dict.fromkeys(ROLES, 200), "anonymous": 302}
SECRETARIAT = {**dict.fromkeys(ROLES, 403), "anonymous": 302, "staff": 200, "admin": 200}
OWN_MEMBER = {**SECRETARIAT, "focal_own": 200}
MATRIX = {
    "members:directory": PUBLIC,
    "members:counts": PUBLIC,
    "members:detail": PUBLIC,
    "members:mine": SIGNED_IN,
    "members:organisation_new": SECRETARIAT,
    "members:lifecycle_new": SECRETARIAT,
    "members:participation_new": SECRETARIAT,
    "members:organisation_edit": OWN_MEMBER,
    "members:contact_new": OWN_MEMBER,
    "members:contact_edit": OWN_MEMBER,
}


def test_every_page_answers_every_role_as_the_rules_say(
    client, focal_point, excom_user, evaluator_user, staff_user, admin_user
):
    fp_user, org = focal_point
    contact = Contact.objects.get(organisation=org)
    other_fp = UserFactory(username="other-focal")
    ContactFactory(organisation=OrganisationFactory(name="Elsewhere"), user=other_fp)
    Contact.objects.filter(user=other_fp).update(is_focal_point=True)
    users = {
        "anonymous": None,
        "focal_own": fp_user,
        "focal_other": other_fp,
        "excom": excom_user,
        "evaluator": evaluator_user,
        "staff": staff_user,
        "admin": admin_user,
    }
    args = {
        "members:directory": [],
        "members:counts": [],
        "members:mine": [],
        "members:organisation_new": [],
        "members:contact_edit": [org.slug, contact.pk],
    }
    seen = {}
    for role, user in users.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for name in MATRIX:
            url = reverse(name, args=args.get(name, [org.slug]))
            seen[name, role] = client.get(url).status_code
    assert seen == {(name, role): MATRIX[name][role] for name in MATRIX for role in ROLES}


def test_my_member_link_is_shown_to_focal_points_only(client, focal_point, staff_user):
    link = f'href="{reverse("members:mine")}"'
    assert link not in client.get(reverse("home")).content.decode()
    client.force_login(staff_user)
    assert link not in client.get(reverse("home")).content.decode()
    client.force_login(focal_point[0])
    assert link in client.get(reverse("home")).content.decode()


def test_staff_forms_require_the_csrf_token(staff_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    url = reverse("members:organisation_new")
    assert 'name="csrfmiddlewaretoken"' in client.get(url).content.decode()
    response = client.post(url, {"name": "Forged", "category": "other"})
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="Forged").exists()


def test_counts_page_shows_category_labels(client):
    member_since(dt.date(2015, 1, 1), name="Labelled City")
    body = client.get("/members/counts/", {"as_of": "2023-09-26"}).content.decode()
    assert "<td>Local government</td>" in body
    assert "Localgovernment" not in body
