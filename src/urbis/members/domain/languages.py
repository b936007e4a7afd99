"""The language of a member's contacts: what their mail is written in.

A focal point who chooses a language for themself (the language switcher, the account
page, the API: `common.languages.user_language_set`) chooses it for the mail to the
contacts they sign in for too; staff and focal points also set it on the contact's form."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db import transaction
from django.db.models.functions import Lower

from urbis.common.audit import audited_update
from urbis.members.models import Contact


def contacts_language_follow(*, user: Any, language: str, actor: Any) -> int:
    """Set `language` on every contact `user` signs in for (audited); the number changed."""
    changed = 0
    with transaction.atomic():
        for contact in Contact.objects.select_for_update().filter(user_id=user.pk).order_by("pk"):
            saved = audited_update(contact, actor=actor, fields={"language": language})
            changed += saved.changed
    return changed


def contact_languages(addresses: Collection[str]) -> dict[str, str]:
    """Language of the contacts with these addresses (lower case); a focal point's contact
    first when one address has several. One query."""
    rows = (
        Contact.objects.annotate(address=Lower("email"))
        .filter(address__in=list(addresses))
        .order_by("-is_focal_point", "pk")
        .values_list("address", "language")
    )
    out: dict[str, str] = {}
    for address, language in rows:
        out.setdefault(address, language)
    return out


def _on_language_chosen(sender: Any, *, user: Any, language: str, actor: Any, **_: Any) -> None:
    contacts_language_follow(user=user, language=language, actor=actor)
