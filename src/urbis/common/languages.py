"""Each person's language: the one the interface speaks to them and the one their mail is
written in.

A user's choice lives on their `Profile` (made the first time they choose: in the
language switcher while signed in, on the account page or through the API). A member's
contact carries its own `language` (members), which the focal point's choice updates too:
`language_chosen` is sent after a user's choice is saved, and members keeps the contacts
the user signs in for in step (common imports no app)."""

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


def user_language(user: Any) -> str:
    """The language `user` chose, or the site's."""
    if user is None or not getattr(user, "pk", None):
        return str(settings.LANGUAGE_CODE)
    language = Profile.objects.filter(user_id=user.pk).values_list("language", flat=True).first()
    return language or str(settings.LANGUAGE_CODE)


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
