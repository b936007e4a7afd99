"""The language each recipient reads: a message is rendered in it (`message_render`).

Apps that know people by address register a resolver (members: the language of a member's
contact); a user's own choice (`common.languages`) comes next, the site's language last.
Messaging imports no app, so the apps register here from their AppConfig."""

from __future__ import annotations

from collections.abc import Callable, Collection

from django.conf import settings

from urbis.common.languages import language_codes, languages_by_address

LanguageResolver = Callable[[Collection[str]], dict[str, str]]
_resolvers: list[LanguageResolver] = []


def language_resolver(resolver: LanguageResolver) -> LanguageResolver:
    """Register a function mapping addresses (lower case) to language codes (once)."""
    if resolver not in _resolvers:
        _resolvers.append(resolver)
    return resolver


def recipient_languages(addresses: Collection[str]) -> dict[str, str]:
    """Each address (lower case) with its language: the first resolver that knows it, then
    the user's choice, then the site's language."""
    wanted = {a.strip().lower() for a in addresses if a}
    known = set(language_codes())
    out: dict[str, str] = {}
    for resolver in (*_resolvers, languages_by_address):
        missing = wanted - set(out)
        if not missing:
            break
        for address, language in resolver(missing).items():
            if address in missing and language in known:
                out[address] = language
    for address in wanted - set(out):
        out[address] = str(settings.LANGUAGE_CODE)
    return out


def recipient_language(address: str) -> str:
    return recipient_languages([address])[address.strip().lower()]
