import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories.members import OrganisationFactory
from urbis.common.models import AuditRecord
from urbis.members import domain, queries
from urbis.members.models import LifecycleEvent, Organisation

D = dt.date
pytestmark = pytest.mark.django_db


def test_organisation_create_audits_and_slugs(staff_user):
    org = domain.organisation_create(
        actor=staff_user,
        name="São Paulo",
        category="local_government",
        country="BR",
        population=12_396_372,
    )
    assert org.slug == "sao-paulo"
    record = AuditRecord.objects.get(target_id=str(org.pk), action="organisation.create")
    assert record.actor == staff_user
    assert record.after["population"] == 12_396_372


def test_organisation_create_rejects_population_for_corporation(staff_user):
    with pytest.raises(ValidationError) as exc:
        domain.organisation_create(
            actor=staff_user, name="Acme", category="corporation", country="KR", population=5
        )
    assert "population_only_for_local_governments" in str(exc.value)
    assert not Organisation.objects.filter(name="Acme").exists()


def test_unknown_field_is_named(staff_user):
    with pytest.raises(ValidationError) as exc:
        domain.organisation_create(actor=staff_user, name="X", category="other", colour="red")
    assert exc.value.message_dict == {"colour": ["Unknown field."]}


def test_update_records_before_and_after(staff_user):
    org = OrganisationFactory(name="Tubah", country="CM", population=100)
    domain.organisation_update(actor=staff_user, organisation=org, population=203_884)
    record = AuditRecord.objects.get(action="organisation.update")
    assert record.before == {"population": 100}
    assert record.after == {"population": 203_884}


def test_focal_point_may_only_change_profile_fields(focal_point):
    user, org = focal_point
    domain.organisation_update(actor=user, organisation=org, website="https://focal.example.org")
    org.refresh_from_db()
    assert org.website == "https://focal.example.org"
    with pytest.raises(PermissionDenied, match="population"):
        domain.organisation_update(actor=user, organisation=org, population=1)


def test_lifecycle_record_validates_the_whole_log(staff_user):
    org = OrganisationFactory()
    domain.lifecycle_record(
        actor=staff_user, organisation=org, kind="applied", date=D(2021, 11, 15)
    )
    domain.lifecycle_record(actor=staff_user, organisation=org, kind="approved", date=D(2022, 3, 1))
    # Suspending before the approval date would make the log invalid.
    with pytest.raises(ValidationError) as exc:
        domain.lifecycle_record(
            actor=staff_user, organisation=org, kind="suspended", date=D(2022, 1, 1)
        )
    assert "state is 'applicant'" in exc.value.message_dict["kind"][0]
    assert LifecycleEvent.objects.filter(organisation=org).count() == 2
    assert queries.state_as_of(org, D(2022, 2, 1)) == "applicant"
    assert queries.state_as_of(org, D(2022, 3, 1)) == "member"


def test_lifecycle_record_refuses_duplicates_and_unknown_kinds(staff_user):
    org = OrganisationFactory()
    domain.lifecycle_record(actor=staff_user, organisation=org, kind="approved", date=D(2020, 1, 1))
    with pytest.raises(ValidationError, match="already has"):
        domain.lifecycle_record(
            actor=staff_user, organisation=org, kind="approved", date=D(2020, 1, 1)
        )
    with pytest.raises(ValidationError, match="Unknown lifecycle event 'expelled'"):
        domain.lifecycle_record(
            actor=staff_user, organisation=org, kind="expelled", date=D(2020, 1, 2)
        )


def test_participation_record_is_idempotent(staff_user):
    org = OrganisationFactory()
    for _ in range(2):
        domain.participation_record(
            actor=staff_user, organisation=org, date=D(2023, 9, 26), activity="6th GA"
        )
    assert org.participations.count() == 1
    assert AuditRecord.objects.filter(action="participation.record").count() == 1


def test_slugs_never_take_a_reserved_url_word(staff_user):
    org = domain.organisation_create(actor=staff_user, name="New", category="other")
    assert org.slug == "new-2"
    with pytest.raises(ValidationError, match="reserved"):
        domain.organisation_create(actor=staff_user, name="X", category="other", slug="export")


def test_focal_point_cannot_grant_sign_in_rights(focal_point):
    user, org = focal_point
    contact = domain.contact_save(
        actor=user, organisation=org, name="New Delegate", position="Officer"
    )
    with pytest.raises(PermissionDenied, match="is_focal_point"):
        domain.contact_save(actor=user, organisation=org, contact=contact, is_focal_point=True)
