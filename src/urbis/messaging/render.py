"""Rendering a message from an app's templates: `<name>.subject.txt`, `<name>.txt` and,
if it exists, `<name>.html`. The sending app owns the templates; messaging only knows the
convention."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape

from urbis.messaging.domain.outbox import AttachmentIn, Outgoing
from urbis.messaging.languages import recipient_language, recipient_languages
from urbis.messaging.unsubscribe import unsubscribe_url


def message_render(
    name: str,
    context: dict[str, Any],
    *,
    to_address: str,
    to_name: str = "",
    language: str | None = None,
    attachments: tuple[AttachmentIn, ...] = (),
) -> Outgoing:
    """One recipient's message, rendered in `language`, or when none is given in the
    recipient's own (`languages.recipient_language`: their contact's, their account's, or
    the site's). Dates in the templates follow that language's formats."""
    if not language:
        language = recipient_language(to_address)
    ctx = {"recipient_name": to_name, "recipient_address": to_address, **context}
    subject, text, html = _parts(name, ctx, language)
    return Outgoing(
        to_address=to_address,
        to_name=to_name,
        subject=subject,
        body_text=text,
        body_html=html,
        attachments=attachments,
    )


def _parts(name: str, ctx: dict[str, Any], language: str) -> tuple[str, str, str]:
    with translation.override(language):
        subject = " ".join(render_to_string(f"{name}.subject.txt", ctx).split())
        text = render_to_string(f"{name}.txt", ctx)
        try:
            html: str = render_to_string(f"{name}.html", ctx)
        except TemplateDoesNotExist:
            html = ""
    return subject, text, html


@dataclass(frozen=True)
class Addressee:
    """One recipient of a message sent to many: what differs from one to the next is their
    address, name, language and a few strings (`vary`, e.g. their organisation's name)."""

    to_address: str
    to_name: str = ""
    language: str | None = None
    vary: Mapping[str, str] = field(default_factory=dict)
    attachments: tuple[AttachmentIn, ...] = ()


# Stand-ins rendered in place of each recipient's own strings: private-use characters,
# which no escaping, trimming or whitespace folding touches.
_OPEN, _CLOSE = "\ue000", "\ue001"


def messages_render(
    name: str, context: dict[str, Any], addressees: Sequence[Addressee]
) -> list[Outgoing]:
    """Each addressee's message, as `message_render` writes it, with the templates
    rendered once per language instead of once per recipient (a convocation goes to
    thousands; rendering was most of its cost, docs/performance.md).

    The template is rendered with a stand-in for each string that varies (the recipient's
    name and address, and the addressee's `vary`), then each recipient's strings are put
    in (escaped in the HTML part). A recipient whose strings the template could treat
    differently from a stand-in (empty, escaped by HTML, with folded whitespace) is
    rendered alone, and so is a whole language if the substitution does not give, for its
    first recipient, exactly what rendering it alone gives (a filter or a condition on
    one of those strings)."""
    missing = [a.to_address for a in addressees if not a.language]
    languages = recipient_languages(missing) if missing else {}
    keys = sorted({k for a in addressees for k in a.vary})
    out: list[Outgoing | None] = [None] * len(addressees)
    groups: dict[str, list[int]] = {}
    for n, a in enumerate(addressees):
        language = a.language or languages[a.to_address.strip().lower()]
        groups.setdefault(language, []).append(n)
    for language, members in groups.items():
        shared: tuple[str, str, str] | None = None
        checked = False
        for n in members:
            a = addressees[n]
            values = _values(a, keys)
            if not all(_plain(v) for v in values.values()):
                out[n] = _alone(name, context, a, language)
                continue
            if shared is None:
                stand_ins = {k: f"{_OPEN}{k}{_CLOSE}" for k in values}
                shared = _parts(name, {**context, **stand_ins}, language)
            message = _substituted(shared, values, a)
            if not checked:
                alone = _alone(name, context, a, language)
                if alone != message:  # the template does more than print the strings
                    for m in members:
                        out[m] = _alone(name, context, addressees[m], language)
                    break
                checked = True
            out[n] = message
    return [m for m in out if m is not None]


def _values(a: Addressee, keys: Sequence[str]) -> dict[str, str]:
    return {
        "recipient_name": a.to_name,
        "recipient_address": a.to_address,
        **{k: a.vary.get(k, "") for k in keys},
    }


def _plain(value: str) -> bool:
    return (
        bool(value)
        and str(escape(value)) == value
        and " ".join(value.split()) == value
        and _OPEN not in value
        and _CLOSE not in value
    )


def _substituted(parts: tuple[str, str, str], values: dict[str, str], a: Addressee) -> Outgoing:
    subject, text, html = parts
    for key, value in values.items():
        token = f"{_OPEN}{key}{_CLOSE}"
        subject, text, html = (
            subject.replace(token, value),
            text.replace(token, value),
            html.replace(token, value),
        )
    return Outgoing(
        to_address=a.to_address,
        to_name=a.to_name,
        subject=subject,
        body_text=text,
        body_html=html,
        attachments=a.attachments,
    )


def _alone(name: str, context: dict[str, Any], a: Addressee, language: str) -> Outgoing:
    return message_render(
        name,
        {**context, **a.vary},
        to_address=a.to_address,
        to_name=a.to_name,
        language=language,
        attachments=a.attachments,
    )


class Notified(Protocol):
    """A recipient of a notice to the members (a focal point, `members`' `Recipient`): its
    address, name, organisation and language ('' for the one its address has)."""

    @property
    def email(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def organisation(self) -> str: ...

    @property
    def language(self) -> str: ...


def notices_render(
    name: str,
    context: dict[str, Any],
    recipients: Iterable[Notified],
    *,
    announcement: bool,
    attachments: tuple[AttachmentIn, ...] = (),
) -> list[Outgoing]:
    """One message per recipient of a notice an app sends to the members (a convocation, a
    call, the minutes), with the recipient's `organisation`, in the recipient's language,
    rendered once per language (`messages_render`). An announcement (which an address may
    turn off) also carries the recipient's own `unsubscribe_url`."""
    return messages_render(
        name,
        context,
        [
            Addressee(
                to_address=r.email,
                to_name=r.name,
                language=r.language or None,
                vary={
                    "organisation": r.organisation,
                    **({"unsubscribe_url": unsubscribe_url(r.email)} if announcement else {}),
                },
                attachments=attachments,
            )
            for r in recipients
        ],
    )
