"""Personal API tokens: hashed at rest, shown once, scoped, expiring, revocable, audited."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories.members import UserFactory
from urbis.common.actor import Actor
from urbis.common.models import ApiToken, AuditRecord
from urbis.common.tokens import (
    LAST_USED_RESOLUTION,
    MAX_TOKENS_PER_USER,
    TOKEN_PREFIX,
    api_token_create,
    api_token_resolve,
    api_token_revoke,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 9, 1)


def _create(user, **fields):
    values = {"label": "sync", "scope": "read", "expires_on": None, "today": TODAY} | fields
    return api_token_create(owner=user, actor=Actor.for_user(user), **values)


def test_the_secret_is_stored_as_its_digest_only(staff_user):
    issued = _create(staff_user, label="  finance sync ", scope="write")
    token = ApiToken.objects.get()
    assert issued.secret.startswith(TOKEN_PREFIX)
    assert len(issued.secret) == len(TOKEN_PREFIX) + 43
    assert token.digest == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert token.prefix == issued.secret[:12]
    assert issued.secret not in {getattr(token, f.attname) for f in token._meta.concrete_fields}
    assert (token.label, token.scope, token.user_id) == ("finance sync", "write", staff_user.pk)
    record = AuditRecord.objects.get(action="api_token.create")
    assert record.after == {
        "label": "finance sync",
        "scope": "write",
        "prefix": token.prefix,
        "expires_on": None,
    }
    assert issued.secret not in str(record.after)


def test_two_tokens_have_different_secrets(staff_user):
    assert _create(staff_user).secret != _create(staff_user).secret


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"label": "  "}, "label"),
        ({"scope": "admin"}, "scope"),
        ({"expires_on": TODAY}, "expires_on"),
        ({"expires_on": TODAY + dt.timedelta(days=366 * 3 + 1)}, "expires_on"),
    ],
)
def test_bad_input_names_its_field_and_writes_nothing(staff_user, fields, field):
    with pytest.raises(ValidationError) as exc:
        _create(staff_user, **fields)
    assert list(exc.value.message_dict) == [field]
    assert ApiToken.objects.count() == 0


def test_the_longest_lifetime_is_accepted(staff_user):
    last = TODAY + dt.timedelta(days=366 * 3)
    assert _create(staff_user, expires_on=last).token.expires_on == last


def test_only_the_owner_signed_in_creates_a_token(staff_user, admin_user):
    with pytest.raises(PermissionDenied):
        api_token_create(
            owner=staff_user,
            label="x",
            scope="read",
            expires_on=None,
            actor=Actor.for_user(admin_user),
        )
    secret = _create(staff_user, scope="write").secret
    by_token = Actor.for_token(api_token_resolve(secret))
    with pytest.raises(PermissionDenied):  # a token cannot mint tokens
        api_token_create(owner=staff_user, label="x", scope="read", expires_on=None, actor=by_token)
    with pytest.raises(PermissionDenied):
        api_token_create(
            owner=staff_user, label="x", scope="read", expires_on=None, actor=Actor.system()
        )


def test_active_tokens_are_limited_per_user(staff_user):
    ApiToken.objects.bulk_create(
        ApiToken(user=staff_user, label=f"t{n}", prefix="urbis_x", digest=f"{n:064d}")
        for n in range(MAX_TOKENS_PER_USER)
    )
    with pytest.raises(ValidationError, match="50 active tokens"):
        _create(staff_user)
    ApiToken.objects.filter(label="t0").update(revoked_at=timezone.now())
    assert _create(staff_user).token.label == "sync"


def test_resolve_loads_the_user_with_roles_and_notes_the_last_use(staff_user):
    secret = _create(staff_user).secret
    now = dt.datetime(2026, 9, 2, 10, 0, tzinfo=dt.UTC)
    token = api_token_resolve(secret, now=now)
    assert token.user == staff_user
    assert token.user._urbis_roles == {"secretariat staff"}
    assert ApiToken.objects.get().last_used_at == now
    # within the resolution: no write
    api_token_resolve(secret, now=now + LAST_USED_RESOLUTION - dt.timedelta(seconds=1))
    assert ApiToken.objects.get().last_used_at == now
    later = now + LAST_USED_RESOLUTION
    api_token_resolve(secret, now=later)
    assert ApiToken.objects.get().last_used_at == later


def test_expired_revoked_and_inactive_users_tokens_resolve_to_nothing(staff_user):
    expiring = _create(staff_user, expires_on=dt.date(2026, 12, 31))
    last_day = dt.datetime(2026, 12, 31, 12, 0, tzinfo=dt.UTC)
    assert api_token_resolve(expiring.secret, now=last_day) is not None
    assert api_token_resolve(expiring.secret, now=last_day + dt.timedelta(days=1)) is None

    revoked = _create(staff_user)
    api_token_revoke(token=revoked.token, actor=Actor.for_user(staff_user))
    assert api_token_resolve(revoked.secret) is None

    inactive = UserFactory(username="gone")
    secret = _create(inactive).secret
    inactive.is_active = False
    inactive.save()
    assert api_token_resolve(secret) is None
    assert api_token_resolve("urbis_" + "x" * 300) is None
    assert api_token_resolve("not-a-token") is None


def test_revoke_is_the_owners_and_twice_changes_nothing(staff_user, admin_user):
    token = _create(staff_user).token
    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, actor=Actor.for_user(admin_user))
    api_token_revoke(token=token, actor=Actor.for_user(staff_user))
    first = ApiToken.objects.get().revoked_at
    assert first is not None
    api_token_revoke(token=token, actor=Actor.for_user(staff_user))
    assert ApiToken.objects.get().revoked_at == first
    assert AuditRecord.objects.filter(action="api_token.revoke").count() == 1


def test_state_on_a_day():
    token = ApiToken(expires_on=dt.date(2026, 12, 31))
    assert token.state(dt.date(2026, 12, 31)) == "active"
    assert token.state(dt.date(2027, 1, 1)) == "expired"
    token.revoked_at = timezone.now()
    assert token.state(dt.date(2026, 1, 1)) == "revoked"
