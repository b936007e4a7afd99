"""Rendering a message from an app's templates: `<name>.subject.txt`, `<name>.txt` and,
if it exists, `<name>.html`. The sending app owns the templates; messaging only knows the
convention."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from urbis.messaging.domain.outbox import AttachmentIn, Outgoing
from urbis.messaging.languages import recipient_language
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
    with translation.override(language):
        subject = " ".join(render_to_string(f"{name}.subject.txt", ctx).split())
        text = render_to_string(f"{name}.txt", ctx)
        try:
            html: str = render_to_string(f"{name}.html", ctx)
        except TemplateDoesNotExist:
            html = ""
    return Outgoing(
        to_address=to_address,
        to_name=to_name,
        subject=subject,
        body_text=text,
        body_html=html,
        attachments=attachments,
    )


class Addressee(Protocol):
    """A recipient of a message to many (a focal point of a member, `members`' `Recipient`):
    its address, name, organisation and language ('' for the one its address has)."""

    @property
    def email(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def organisation(self) -> str: ...

    @property
    def language(self) -> str: ...


def messages_render(
    name: str,
    context: dict[str, Any],
    recipients: Iterable[Addressee],
    *,
    announcement: bool,
    attachments: tuple[AttachmentIn, ...] = (),
) -> list[Outgoing]:
    """One message per recipient, from the templates `name` with `context` and the
    recipient's `organisation`, each in the recipient's language: the invitations and
    notices an app sends to the members (a convocation, a call). An announcement (which an
    address may turn off) also carries the recipient's `unsubscribe_url`."""
    return [
        message_render(
            name,
            {
                **context,
                "organisation": r.organisation,
                **({"unsubscribe_url": unsubscribe_url(r.email)} if announcement else {}),
            },
            to_address=r.email,
            to_name=r.name,
            language=r.language or None,
            attachments=attachments,
        )
        for r in recipients
    ]
