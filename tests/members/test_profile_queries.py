import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories.members import ContactFactory, OrganisationFactory, UserFactory
from urbis.members import domain, queries

pytestmark = pytest.mark.django_db


def test_history_covers_the_organisation_and_its_contacts_in_one_query(
    staff_user, django_assert_num_queries
):
    org = domain.organisation_create(
        actor=staff_user, name="Ryde", category="local_government", country="AU"
    )
    other = domain.organisation_create(
        actor=staff_user, name="Bishkek", category="local_government", country="KG"
    )
    mine = domain.contact_save(actor=staff_user, organisation=org, name="Ana", position="Mayor")
    domain.contact_save(actor=staff_user, organisation=other, name="Bo", position="Mayor")
    domain.contact_save(actor=staff_user, organisation=org, contact=mine, phone="+61 2 0000")
    with django_assert_num_queries(1):
        history = queries.organisation_history(org)
    assert [(h.action, h.target) for h in history] == [
        ("contact.save", "Ana (Ryde)"),
        ("contact.save", "Ana (Ryde)"),
        ("organisation.create", "Ryde"),
    ]
    assert [(c.field, c.before, c.after) for c in history[0].changes] == [
        ("phone", "", "+61 2 0000")
    ]
    # On a creation, empty values are left out.
    assert [c.field for c in history[2].changes] == [
        "category",
        "country",
        "founding_member",
        "name",
        "slug",
    ]
    assert queries.organisation_history(org, limit=1)[0].changes == history[0].changes


def test_focal_point_organisations_are_those_it_is_focal_point_of(django_assert_num_queries):
    user = UserFactory(username="fp")
    own = OrganisationFactory(name="Own")
    second = OrganisationFactory(name="Second")
    plain = OrganisationFactory(name="Plain contact only")
    ContactFactory(organisation=own, user=user, is_focal_point=True, name="Me")
    ContactFactory(organisation=own, name="Colleague")
    ContactFactory(organisation=second, user=user, is_focal_point=True, name="Me")
    ContactFactory(organisation=plain, user=user, is_focal_point=False, name="Me")
    with django_assert_num_queries(2):
        found = [
            (o.name, [c.name for c in o.contacts.all()])
            for o in queries.focal_point_organisations(user)
        ]
    assert found == [("Own", ["Colleague", "Me"]), ("Second", ["Me"])]
    assert list(queries.focal_point_organisations(AnonymousUser())) == []
