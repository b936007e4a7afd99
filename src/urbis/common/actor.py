"""Who is acting: the one place where a request's caller is resolved and its permission checked.

Every request is made by an `Actor`, resolved once at the edge of the application:

- a signed-in **user** (a session), with the roles loaded with the user (`common.auth`);
- a **token**: a personal API token (`Authorization: Bearer …` or `Token …`), acting for its
  user with the user's roles, for reading only when its scope is `read`;
- a **desk** key: a check-in desk or voting console signed for one meeting (the reader is
  configured by `URBIS_DESK_KEY_READER`, see `governance.desk`); it may do only what
  `URBIS_DESK_KEY_PERMISSIONS` names, and the meeting and revocation are checked with the
  write;
- the **system**: the command line, the demo loaders, the task worker.

A permission is a named rule of an app's `permissions.py` (django-rules), e.g.
`events.check_in`. API handlers get their actor from `ACTOR_AUTH` and pages from
`@actor_required`; both check the rule before the handler runs (`@permission_required` for
a rule over an object the handler looks up). Domain functions receive an actor that is
already authorised and keep only the invariants that are theirs.
"""

from __future__ import annotations

import contextlib
import enum
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache, wraps
from typing import TYPE_CHECKING, Any, ParamSpec, TypeAlias, TypeVar

import rules
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string

from urbis.common import roles

if TYPE_CHECKING:
    from urbis.common.models import ApiToken

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ActorKind(enum.StrEnum):
    USER = "user"
    TOKEN = "token"
    DESK = "desk"
    SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    """The caller of a request or of a domain function; build one with the class methods."""

    kind: ActorKind
    user: Any = None  # the user (USER, TOKEN); None for a desk key and the system
    token: ApiToken | None = None
    desk: Any = None  # what the desk-key reader returned (it names its holder's id, no name)
    name: str = "system"  # how `label` names a user, a token or the system

    @cached_property
    def label(self) -> str:
        """How refusals and audit records name the actor. A desk key carries its holder's id
        only: the name is read from the user row when first asked for, so resolving a key
        still costs no query."""
        if self.kind is ActorKind.DESK and self.desk is not None:
            return f"{_holder_name(self.desk.user_id)} (desk key)"
        return self.name

    @classmethod
    def for_user(cls, user: Any) -> Actor:
        if not getattr(user, "is_authenticated", False):
            raise ValueError("An actor is a signed-in user; an anonymous visitor is none.")
        return cls(ActorKind.USER, user=user, name=user.get_username())

    @classmethod
    def for_token(cls, token: ApiToken) -> Actor:
        label = f"{token.user.get_username()} (token {token.prefix})"
        return cls(ActorKind.TOKEN, user=token.user, token=token, name=label)

    @classmethod
    def for_desk(cls, desk: Any) -> Actor:
        return cls(ActorKind.DESK, desk=desk)

    @classmethod
    def system(cls, label: str = "system") -> Actor:
        return cls(ActorKind.SYSTEM, name=label)

    @property
    def user_id(self) -> int | None:
        """The user an audit record names: the user, the token's owner, the key's holder."""
        if self.user is not None:
            return int(self.user.pk)
        if self.desk is not None:
            return int(self.desk.user_id)
        return None

    @property
    def read_only(self) -> bool:
        token = self.token
        return token is not None and token.scope == token.Scope.READ

    def has_role(self, role: str) -> bool:
        return self.user is not None and roles.has_role(self.user, role)

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """Whether the rule `perm` (registered by an app's `permissions.py`) allows this actor
        on `obj`. The system may do anything; a desk key only what its settings name."""
        if not rules.perm_exists(perm):
            raise ImproperlyConfigured(f"No permission rule is named {perm!r}.")
        if self.kind is ActorKind.SYSTEM:
            return True
        if self.kind is ActorKind.DESK:
            return perm in desk_key_permissions()
        return bool(rules.has_perm(perm, self.user, obj))

    def require(self, perm: str, obj: Any = None) -> None:
        """PermissionDenied (a 403) unless `has_perm`."""
        if not self.has_perm(perm, obj):
            raise PermissionDenied(f"Permission '{perm}' is not granted to {self.label}.")


# --- desk keys: read by the app that issues them, named in settings ---------------------


def _holder_name(user_id: int) -> str:
    model = get_user_model()
    name = model.objects.filter(pk=user_id).values_list(model.USERNAME_FIELD, flat=True).first()
    return str(name) if name is not None else f"user {user_id}"


@lru_cache(maxsize=1)
def _desk_key_reader() -> Callable[[str], Any] | None:
    path = getattr(settings, "URBIS_DESK_KEY_READER", "")
    return import_string(path) if path else None


def desk_key_permissions() -> frozenset[str]:
    return frozenset(getattr(settings, "URBIS_DESK_KEY_PERMISSIONS", ()))


# --- resolving ------------------------------------------------------------------------------


def _authorization(request: HttpRequest) -> tuple[str, str]:
    """The scheme (lower case) and credentials of the Authorization header, or ('', '')."""
    scheme, _, credentials = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return scheme.lower(), credentials.strip()


def actor_from_credentials(request: HttpRequest) -> Actor | None:
    """The actor an `Authorization` header names: a personal token (`Bearer` or `Token`), or
    with `Bearer` a desk key; None without a header or for credentials that do not hold."""
    from urbis.common.tokens import TOKEN_PREFIX, api_token_resolve

    scheme, credentials = _authorization(request)
    if scheme not in {"bearer", "token"} or not credentials:
        return None
    if credentials.startswith(TOKEN_PREFIX):
        token = api_token_resolve(credentials)
        return Actor.for_token(token) if token is not None else None
    reader = _desk_key_reader()
    if scheme == "bearer" and reader is not None:
        desk = reader(credentials)
        return Actor.for_desk(desk) if desk is not None else None
    return None


def _refuse_read_only(request: HttpRequest, actor: Actor) -> None:
    if actor.read_only and request.method not in SAFE_METHODS:
        raise PermissionDenied("This API token may only read: create a token with write scope.")


def actor_of(request: HttpRequest) -> Actor | None:
    """The actor of a request: what `ACTOR_AUTH` or `@actor_required` resolved, else the
    signed-in user, else None (an anonymous visitor)."""
    found = getattr(request, "actor", None) or getattr(request, "auth", None)
    if isinstance(found, Actor):
        return found
    user = getattr(request, "user", None)
    return Actor.for_user(user) if getattr(user, "is_authenticated", False) else None


def request_actor(request: HttpRequest) -> Actor:
    """The actor of a request that has one by now: what `ACTOR_AUTH`, `@permission_required`
    or `@actor_required` resolved before the handler or view ran. Without one (an operation
    open to anonymous callers asking for it anyway) the request is refused: "Sign in first."
    """
    actor = actor_of(request)
    if actor is None:
        raise PermissionDenied("Sign in first.")
    return actor


# --- the API edge (django-ninja) -------------------------------------------------------------


def _ninja_auth() -> list[Any]:
    # Imported here: django-ninja reads settings when its security module is imported.
    from ninja.security import APIKeyCookie, HttpBearer

    class TokenAuth(HttpBearer):
        """`Authorization: Bearer <token or desk key>` (also `Token <token>`)."""

        def __call__(self, request: HttpRequest) -> Actor | None:
            actor = actor_from_credentials(request)
            if actor is not None:
                _refuse_read_only(request, actor)
                request.actor = actor  # type: ignore[attr-defined]
            return actor

        def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
            return actor_from_credentials(request)  # pragma: no cover - __call__ answers

    class SessionActorAuth(APIKeyCookie):
        """A signed-in session (CSRF applies to writes, as with ninja's `django_auth`)."""

        param_name = settings.SESSION_COOKIE_NAME

        def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
            user = getattr(request, "user", None)
            if not getattr(user, "is_authenticated", False):
                return None
            actor = Actor.for_user(user)
            request.actor = actor  # type: ignore[attr-defined]
            return actor

    return [TokenAuth(), SessionActorAuth()]


# `auth=ACTOR_AUTH` on a ninja operation: `request.auth` is the Actor (401 without one).
ACTOR_AUTH: list[Any] = _ninja_auth()


P = ParamSpec("P")
R = TypeVar("R")


def permission_required(
    perm: str, *, obj: Callable[..., Any] | None = None
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Check the rule `perm` for the request's actor before the handler or view runs.

    `obj(request, **kwargs)` returns the object the rule is about (raising Http404 when it
    does not exist); without it the rule is checked without an object. An anonymous caller
    of a page is sent to the sign-in page; otherwise a refusal is PermissionDenied (403).
    Works on django-ninja handlers (with `auth=ACTOR_AUTH`) and on plain views.
    """
    if not rules.perm_exists(perm):
        raise ImproperlyConfigured(f"No permission rule is named {perm!r}.")

    def decorate(handler: Callable[P, R]) -> Callable[P, R]:
        @wraps(handler)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            request = args[0]
            assert isinstance(request, HttpRequest)
            actor = actor_of(request)
            if actor is None:
                raise PermissionDenied("Sign in first.")
            target = obj(request, **kwargs) if obj is not None else None
            actor.require(perm, target)
            request.actor = actor  # type: ignore[attr-defined]
            return handler(*args, **kwargs)

        # django-ninja reads the handler's parameters from the signature and resolves string
        # annotations (`from __future__ import annotations`) in the wrapper's module: give it
        # the handler's, evaluated where the handler was written.
        with contextlib.suppress(NameError, TypeError):
            checked.__signature__ = inspect.signature(handler, eval_str=True)  # type: ignore[attr-defined]
        return checked

    return decorate


def actor_required(
    perm: str, *, obj: Callable[..., Any] | None = None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """`@actor_required("app.rule")` on a page: a signed-in user holding the rule, else the
    sign-in page (anonymous) or 403. The view reads its actor as `request.actor`."""
    check = permission_required(perm, obj=obj)

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        checked = check(view)

        @wraps(view)
        def page(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not getattr(request.user, "is_authenticated", False):
                return redirect_to_login(request.get_full_path())
            return checked(request, *args, **kwargs)

        return page

    return decorate


# --- what domain functions accept while the apps move to the actor ---------------------------

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

# An `Actor`; a signed-in user (read as that user's actor) or None (the system) are still
# accepted from the callers that have not moved yet (loaders, commands, other apps).
ActorArg: TypeAlias = "Actor | AbstractBaseUser | None"


def as_actor(actor: ActorArg) -> Actor:
    """The `Actor` a domain function was given: itself, a user's, or the system's for None."""
    if isinstance(actor, Actor):
        return actor
    if actor is None:
        return Actor.system()
    if getattr(actor, "is_authenticated", False):
        return Actor.for_user(actor)
    raise PermissionDenied("Sign in first.")


def user_of(actor: ActorArg) -> Any:
    """The user a row records as having acted (`recorded_by`, `approved_by`…): the actor's
    user (a token's owner) or the user given; None for the system and a desk key (whose
    holder is resolved where its write is checked)."""
    if isinstance(actor, Actor):
        return actor.user
    return actor if getattr(actor, "is_authenticated", False) else None
