"""Personal API tokens: creating, listing, resolving and revoking them.

A token lets another system call the API as its user, with the user's roles; a `read` token
is refused on every write (`common.actor`). The secret is shown once: only its SHA-256
digest is stored, so a copy of the database cannot be used to call the API. Creating and
revoking a token leave an audit record; resolving one notes when it was last used, at most
once per LAST_USED_RESOLUTION so that a busy client does not write on every request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from urbis.common import roles
from urbis.common.actor import Actor, ActorKind
from urbis.common.audit import audit_record, snapshot
from urbis.common.auth import SEPARATOR, GroupNames
from urbis.common.models import ApiToken

TOKEN_PREFIX = "urbis_"
PREFIX_LENGTH = len(TOKEN_PREFIX) + 6  # what a list shows: "urbis_" and six characters
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)
MAX_TOKENS_PER_USER = 50  # active ones; more is a leak waiting to happen, not a use
MAX_LIFETIME = dt.timedelta(days=366 * 3)


@dataclass(frozen=True)
class IssuedToken:
    """A new token and its secret: the only moment the secret exists outside its owner."""

    token: ApiToken
    secret: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_tokens_of(user: Any) -> QuerySet[ApiToken]:
    """A user's tokens, newest first (revoked and expired ones included)."""
    return ApiToken.objects.filter(user=user)


def api_token_create(
    *,
    owner: Any,
    label: str,
    scope: str,
    expires_on: dt.date | None,
    actor: Actor,
    today: dt.date | None = None,
) -> IssuedToken:
    """A new token for `owner`, created by `owner` themselves from a signed-in session (a
    token cannot mint tokens: a leaked one would otherwise outlive its revocation)."""
    if actor.kind is not ActorKind.USER or actor.user_id != owner.pk:
        raise PermissionDenied("Create API tokens for yourself, signed in.")
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    label = (label or "").strip()
    if not label:
        errors["label"] = ["A label is required (what will use this token?)."]
    if scope not in ApiToken.Scope.values:
        errors["scope"] = [f"One of {', '.join(ApiToken.Scope.values)}, not '{scope}'."]
    if expires_on is not None and not today < expires_on <= today + MAX_LIFETIME:
        errors["expires_on"] = [
            f"A date after today and at most {MAX_LIFETIME.days} days away, not {expires_on}."
        ]
    if errors:
        raise ValidationError(errors)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        # Lock the owner's row: two concurrent creations cannot both pass the limit.
        get_user_model()._default_manager.select_for_update().filter(pk=owner.pk).first()
        active = api_tokens_of(owner).filter(revoked_at__isnull=True).count()
        if active >= MAX_TOKENS_PER_USER:
            raise ValidationError(
                {"label": [f"You have {active} active tokens: revoke one you no longer use."]}
            )
        token = ApiToken(
            user=owner,
            label=label,
            scope=scope,
            prefix=secret[:PREFIX_LENGTH],
            digest=_digest(secret),
            expires_on=expires_on,
        )
        token.full_clean()
        token.save()
        audit_record(
            actor=actor,
            action="api_token.create",
            target=token,
            after=snapshot(token, ["label", "scope", "prefix", "expires_on"]),
        )
    return IssuedToken(token=token, secret=secret)


def api_token_revoke(*, token: ApiToken, actor: Actor) -> ApiToken:
    """Revoke `token` (its owner only); revoking twice changes nothing."""
    if actor.user_id != token.user_id or actor.kind is ActorKind.DESK:
        raise PermissionDenied("Only its owner may revoke an API token.")
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_record(
                actor=actor,
                action="api_token.revoke",
                target=token,
                before={"revoked_at": None},
                after={"revoked_at": token.revoked_at},
            )
    return token


def api_token_resolve(secret: str, *, now: dt.datetime | None = None) -> ApiToken | None:
    """The active token a secret names, with its user and the user's roles loaded (one
    query); None for an unknown, revoked or expired token, or an inactive user."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    now = now or timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .annotate(group_names=GroupNames("user__groups__name"))
        .filter(digest=_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.expires_on is not None and token.expires_on < timezone.localdate(now):
        return None
    roles.remember_roles(token.user, (getattr(token, "group_names", None) or "").split(SEPARATOR))
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
