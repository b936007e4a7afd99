"""REST endpoints of the account: personal API tokens (list yours, create one (signed in),
revoke one) and your language (that of the interface and of your mail).

Every operation takes a session or a token (`ACTOR_AUTH`); creating a token needs a signed-in
session, so that a leaked token cannot mint others. The secret is in the answer to the
creation only.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Path, Router, Schema, Status
from ninja.pagination import paginate

from urbis.common.actor import ACTOR_AUTH, actor_of, permission_required
from urbis.common.inputs import MAX_ID
from urbis.common.languages import user_language, user_language_set
from urbis.common.models import ApiToken
from urbis.common.pagination import BoundedPageNumberPagination
from urbis.common.tokens import api_token_create, api_token_revoke, api_tokens_of

router = Router(tags=["account"])


class ApiTokenOut(Schema):
    id: int
    label: str
    scope: str
    prefix: str
    created_at: dt.datetime
    expires_on: dt.date | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    state: str

    @staticmethod
    def resolve_state(token: ApiToken) -> str:
        return token.state(timezone.localdate())


class ApiTokenIn(Schema):
    label: str = Field(..., max_length=100)
    scope: str = Field(ApiToken.Scope.READ, pattern="^(read|write)$")
    expires_on: dt.date | None = None


class ApiTokenCreatedOut(ApiTokenOut):
    secret: str


def _own_token(request: HttpRequest, token_id: int) -> ApiToken:
    actor = actor_of(request)
    owner_id = actor.user_id if actor is not None else None
    return get_object_or_404(ApiToken, pk=token_id, user_id=owner_id)


@router.get("/tokens", response=list[ApiTokenOut], auth=ACTOR_AUTH)
@paginate(BoundedPageNumberPagination, page_size=50)
@permission_required("common.manage_api_tokens")
def api_tokens(request: HttpRequest) -> object:
    """Your API tokens, newest first (revoked and expired ones too); never their secrets."""
    return api_tokens_of(actor_of(request).user)  # type: ignore[union-attr]


@router.post("/tokens", response={201: ApiTokenCreatedOut}, auth=ACTOR_AUTH)
@permission_required("common.manage_api_tokens")
def api_token_create_op(request: HttpRequest, payload: ApiTokenIn) -> Status:
    """A new token; its `secret` is in this answer only. Needs a signed-in session."""
    actor = actor_of(request)
    assert actor is not None
    issued = api_token_create(
        owner=actor.user,
        label=payload.label,
        scope=payload.scope,
        expires_on=payload.expires_on,
        actor=actor,
    )
    issued.token.secret = issued.secret  # type: ignore[attr-defined]
    return Status(201, issued.token)


@router.delete("/tokens/{token_id}", response=ApiTokenOut, auth=ACTOR_AUTH)
@permission_required("common.revoke_api_token", obj=_own_token)
def api_token_revoke_op(request: HttpRequest, token_id: int = Path(..., ge=1, le=MAX_ID)) -> object:
    """Revoke one of your tokens: it no longer opens the API (revoking twice is allowed)."""
    actor = actor_of(request)
    assert actor is not None
    return api_token_revoke(token=_own_token(request, token_id), actor=actor)


class LanguageOut(Schema):
    user_id: int
    language: str
    choices: list[str]


class LanguageIn(Schema):
    language: str = Field(..., max_length=10)


def _language_out(user: object) -> dict[str, object]:
    from django.conf import settings

    return {
        "user_id": user.pk,  # type: ignore[attr-defined]
        "language": user_language(user),
        "choices": [code for code, _ in settings.LANGUAGES],
    }


@router.get("/language", response=LanguageOut, auth=ACTOR_AUTH)
@permission_required("common.choose_language")
def language_get(request: HttpRequest) -> object:
    """Your language: the interface's after you sign in, and your mail's."""
    return _language_out(actor_of(request).user)  # type: ignore[union-attr]


@router.put("/language", response=LanguageOut, auth=ACTOR_AUTH)
@permission_required("common.choose_language")
def language_put(request: HttpRequest, payload: LanguageIn) -> object:
    """Choose your language (one of `choices`; 422 names the field otherwise). A focal
    point's contacts follow, so the member's mail to them is written in it too."""
    actor = actor_of(request)
    assert actor is not None
    user_language_set(user=actor.user, language=payload.language, actor=actor)
    return _language_out(actor.user)
