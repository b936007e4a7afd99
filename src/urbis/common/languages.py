"""Each person's language: the one the interface speaks to them and the one their mail is
written in.

A user's choice lives on their `Profile` (made the first time they choose: in the
language switcher while signed in, on the account page or through the API). A member's
contact carries its own `language` (members), which the focal point's choice updates too:
`language_chosen` is sent after a user's choice is saved, and members keeps the contacts
the user signs in for in step (common imports no app).

The saved language follows the user to any browser: it is read once when they sign in (and
kept in their session, `SESSION_KEY`), and `common.middleware.UserLanguageMiddleware`
speaks it wherever this browser made no choice of its own."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.dispatch import Signal

from urbis.common.audit import audited_save
from urbis.common.models import Profile

# Sent with `user`, `language` and `actor`, inside the transaction of the choice.
language_chosen = Signal()

# The signed-in user's saved language in their session ("" when they chose none), so that
# a request reads it without a query.
SESSION_KEY = "urbis_language"
# Set on the sign-in request to the saved language, for the middleware to store in the
# browser's language cookie: at sign-in the saved choice wins over this browser's.
SIGNED_IN_ATTRIBUTE = "urbis_signed_in_language"


def language_codes() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


def language_clean(language: str, *, field: str = "language") -> str:
    """`language` as a code of `settings.LANGUAGES`, or a ValidationError naming the field."""
    code = (language or "").strip().lower()
    if code not in language_codes():
        raise ValidationError(
            {field: f"'{language}' is not one of the languages: {', '.join(language_codes())}."}
        )
    return code


def document_language(value: str | None) -> str:
    """The language an official document is asked for in (`?lang=` of a PDF): English, the
    language of the record, unless another is named; a ValidationError naming `lang` for
    one that is not offered."""
    if not value:
        return str(settings.LANGUAGE_CODE)
    return language_clean(value, field="lang")


def user_language(user: Any) -> str:
    """The language `user` chose, or the site's."""
    return saved_language(user) or str(settings.LANGUAGE_CODE)


def saved_language(user: Any) -> str:
    """The language `user` saved ("" when none): the profile already loaded with the user
    if it is, else one query."""
    if user is None or not getattr(user, "pk", None):
        return ""
    descriptor = getattr(type(user), "profile", None)
    if descriptor is not None and descriptor.related.is_cached(user):
        profile = descriptor.related.get_cached_value(user)
        return str(profile.language) if profile is not None else ""
    language = Profile.objects.filter(user_id=user.pk).values_list("language", flat=True).first()
    return str(language or "")


def session_language(request: Any) -> str:
    """The saved language of the request's signed-in user, from their session (read from the
    profile once per session, for sessions begun before the sign-in kept it)."""
    session = request.session
    if SESSION_KEY not in session:
        session[SESSION_KEY] = saved_language(request.user)
    return str(session[SESSION_KEY])


def signed_in_language_remember(*, sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """On sign-in (`user_logged_in`): keep the user's saved language in the new session and
    mark the request, so that the answer sets this browser's language cookie to it."""
    if request is None or not hasattr(request, "session"):
        return
    code = saved_language(user)
    request.session[SESSION_KEY] = code
    if code:
        setattr(request, SIGNED_IN_ATTRIBUTE, code)


def languages_by_address(addresses: Iterable[str]) -> dict[str, str]:
    """The chosen language of the users with these addresses (lower case), one query; an
    address with no account or no choice is absent."""
    wanted = {a.strip().lower() for a in addresses if a}
    if not wanted:
        return {}
    rows = (
        Profile.objects.annotate(address=Lower("user__email"))
        .filter(address__in=wanted)
        .order_by("user_id")
        .values_list("address", "language")
    )
    out: dict[str, str] = {}
    for address, language in rows:
        out.setdefault(address, language)
    return out


def user_language_set(*, user: Any, language: str, actor: Any) -> Profile:
    """Record `user`'s language (audited; writes nothing when it is already theirs) and tell
    the apps that keep a copy (`language_chosen`)."""
    code = language_clean(language)
    with transaction.atomic():
        saved = audited_save(
            Profile, actor=actor, keys={"user_id": user.pk}, fields={"language": code}
        )
        if saved.changed:
            language_chosen.send(sender=Profile, user=user, language=code, actor=actor)
    return saved.obj
