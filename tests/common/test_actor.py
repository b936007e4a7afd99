"""The actor: resolved once at the edge (session, personal token, desk key), checked against a
named rule of an app's `permissions.py`."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from tests.factories.governance import MeetingFactory
from tests.factories.members import OrganisationFactory, UserFactory
from urbis.common.actor import (
    ACTOR_AUTH,
    Actor,
    ActorKind,
    actor_from_credentials,
    actor_of,
    actor_required,
    permission_required,
)
from urbis.common.audit import audit_record
from urbis.common.models import AuditRecord
from urbis.common.tokens import api_token_create
from urbis.governance.desk import desk_key_sign

pytestmark = pytest.mark.django_db
rf = RequestFactory()


def _token(user, scope: str = "write") -> str:
    return api_token_create(
        owner=user, label="sync", scope=scope, expires_on=None, actor=Actor.for_user(user)
    ).secret


def _request(method: str = "get", authorization: str = "", user=None):
    extra = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    request = getattr(rf, method)("/x", **extra)
    request.user = user or AnonymousUser()
    return request


# --- the actor itself ---------------------------------------------------------------------


def test_a_user_actor_checks_the_apps_rules_with_its_roles(staff_user, focal_point):
    focal, org = focal_point
    staff = Actor.for_user(staff_user)
    fp = Actor.for_user(focal)
    assert (staff.kind, staff.label, staff.user_id) == (ActorKind.USER, "sec-staff", staff_user.pk)
    assert staff.has_perm("events.check_in") is True
    assert fp.has_perm("events.check_in") is False
    # object-level: a focal point on its own member, not on another
    assert fp.has_perm("governance.cast_vote", org) is True
    other = OrganisationFactory(name="Other City")
    assert fp.has_perm("governance.cast_vote", other) is False
    assert staff.has_perm("governance.cast_vote", other) is True


def test_require_refuses_with_the_rule_and_the_actor_named(focal_point):
    fp = Actor.for_user(focal_point[0])
    with pytest.raises(PermissionDenied, match=r"'events\.check_in' is not granted to focal"):
        fp.require("events.check_in")


def test_an_unknown_rule_is_a_configuration_error_not_a_refusal(staff_user):
    with pytest.raises(ImproperlyConfigured, match=r"events\.chek_in"):
        Actor.for_user(staff_user).has_perm("events.chek_in")
    with pytest.raises(ImproperlyConfigured):
        permission_required("nothing.named_so")


def test_the_system_may_do_anything_and_is_audited_as_the_system():
    system = Actor.system("load_demo")
    assert system.has_perm("governance.change_statutes") is True
    assert system.user_id is None
    user = UserFactory(username="target")
    record = audit_record(actor=system, action="x.test", target=user)
    assert (record.actor_id, record.actor_label) == (None, "load_demo")


def test_an_anonymous_visitor_is_no_actor():
    with pytest.raises(ValueError):
        Actor.for_user(AnonymousUser())
    assert actor_of(_request()) is None


def test_audit_records_name_the_user_behind_a_token(staff_user):
    secret = _token(staff_user)
    actor = actor_from_credentials(_request(authorization=f"Bearer {secret}"))
    record = audit_record(actor=actor, action="x.test", target=staff_user)
    assert record.actor_id == staff_user.pk
    assert record.actor_label == f"sec-staff (token {secret[:12]})"


# --- resolving credentials ------------------------------------------------------------------


def test_a_token_resolves_to_its_user_with_roles_as_bearer_or_token(staff_user):
    secret = _token(staff_user)
    for scheme in ("Bearer", "Token", "bearer"):
        actor = actor_from_credentials(_request(authorization=f"{scheme} {secret}"))
        assert actor is not None
        assert (actor.kind, actor.user.pk) == (ActorKind.TOKEN, staff_user.pk)
        assert actor.has_perm("events.check_in") is True


def test_unknown_or_malformed_credentials_resolve_to_nobody(staff_user):
    secret = _token(staff_user)
    for header in (
        f"Basic {secret}",
        "Bearer ",
        "Bearer urbis_not-a-token",
        f"Bearer {secret}x",
        "Token not-a-desk-key",  # desk keys only as Bearer
        "Bearer forged.desk.key",
    ):
        assert actor_from_credentials(_request(authorization=header)) is None, header


def test_a_desk_key_resolves_to_a_desk_actor_limited_to_its_rules(staff_user):
    meeting = MeetingFactory(slug="ga7")
    key = desk_key_sign(user=staff_user, meeting=meeting)
    actor = actor_from_credentials(_request(authorization=f"Bearer {key}"))
    assert actor is not None
    assert actor.kind is ActorKind.DESK
    assert (actor.desk.meeting_id, actor.user_id) == (meeting.pk, staff_user.pk)
    assert actor.label == "sec-staff (desk key)"
    # a desk key checks delegates in and records votes; it does not run the meeting
    assert actor.has_perm("governance.check_in") is True
    assert actor.has_perm("governance.cast_vote") is True
    assert actor.has_perm("governance.run_meeting") is False
    assert actor.has_perm("events.check_in") is False  # a desk key is for its meeting only
    # a desk key signed as "Token" is not read
    assert actor_from_credentials(_request(authorization=f"Token {key}")) is None


# --- the ninja auth class -------------------------------------------------------------------


def _authenticate(request):
    for auth in ACTOR_AUTH:
        found = auth(request)
        if found:
            return found
    return None


def test_ninja_auth_takes_a_session_and_a_token(staff_user):
    by_session = _authenticate(_request(user=staff_user))
    assert (by_session.kind, by_session.user) == (ActorKind.USER, staff_user)
    secret = _token(staff_user, "read")
    by_token = _authenticate(_request(authorization=f"Bearer {secret}"))
    assert by_token.kind is ActorKind.TOKEN
    assert _authenticate(_request()) is None


def test_ninja_auth_refuses_a_read_token_on_a_write(staff_user):
    secret = _token(staff_user, "read")
    for method in ("post", "put", "patch", "delete"):
        with pytest.raises(PermissionDenied, match="may only read"):
            _authenticate(_request(method, authorization=f"Bearer {secret}"))
    write = _token(staff_user, "write")
    assert _authenticate(_request("post", authorization=f"Bearer {write}")).read_only is False


# --- the decorators ---------------------------------------------------------------------------


@permission_required("events.check_in")
def _handler(request, *, slug: str) -> str:
    return f"{request.actor.label}:{slug}"


def test_permission_required_checks_the_rule_before_the_handler(staff_user, focal_point):
    assert _handler(_request(user=staff_user), slug="ga") == "sec-staff:ga"
    with pytest.raises(PermissionDenied):
        _handler(_request(user=focal_point[0]), slug="ga")
    with pytest.raises(PermissionDenied, match="Sign in"):
        _handler(_request(), slug="ga")


def test_permission_required_checks_object_rules_on_the_looked_up_object(focal_point):
    focal, org = focal_point
    seen = []

    def lookup(request, *, slug):
        seen.append(slug)
        return org if slug == org.slug else None

    @permission_required("governance.cast_vote", obj=lookup)
    def vote(request, *, slug):
        return "voted"

    assert vote(_request(user=focal), slug=org.slug) == "voted"
    with pytest.raises(PermissionDenied):
        vote(_request(user=focal), slug="someone-else")
    assert seen == [org.slug, "someone-else"]


def test_actor_required_sends_anonymous_visitors_to_sign_in_and_refuses_others(
    staff_user, focal_point
):
    @actor_required("events.check_in")
    def page(request):
        return HttpResponse(request.actor.label)

    anonymous = page(_request())
    assert anonymous.status_code == 302
    assert anonymous["Location"] == "/accounts/login/?next=/x"
    assert page(_request(user=staff_user)).content == b"sec-staff"
    with pytest.raises(PermissionDenied):
        page(_request(user=focal_point[0]))


def test_a_desk_actor_is_audited_as_its_holder(staff_user):
    meeting = MeetingFactory(slug="ga8", date=dt.date(2026, 10, 1))
    actor = Actor.for_desk(
        actor_from_credentials(
            _request(authorization=f"Bearer {desk_key_sign(user=staff_user, meeting=meeting)}")
        ).desk
    )
    audit_record(actor=actor, action="x.desk", target=meeting)
    record = AuditRecord.objects.get(action="x.desk")
    assert (record.actor_id, record.actor_label) == (staff_user.pk, "sec-staff (desk key)")
