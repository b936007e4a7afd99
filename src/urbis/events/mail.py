"""Registration mail, queued in the outbox inside the transaction of the change
(`domain.registration`): received (a focal point's registration waits for approval),
approved (with the badge's QR code and a link to the printable badge), rejected (with the
secretariat's reason). They go to the delegate's own address and to the account that
registered them, once per address. Transactional mail: it goes even to an address that
turned announcements off.

Templates: `events/messages/<name>.subject.txt`, `.txt`, `.html`."""

from __future__ import annotations

import io

from django.urls import reverse

from urbis.common.actor import ActorArg
from urbis.events import badges, rules
from urbis.events.models import Registration
from urbis.messaging.domain import AttachmentIn, messages_queue
from urbis.messaging.render import message_render
from urbis.messaging.unsubscribe import absolute


def registration_addresses(registration: Registration) -> list[tuple[str, str]]:
    """(address, name) of the delegate and of whoever registered them, one per address."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    by = registration.registered_by
    for address, name in (
        (registration.email, registration.person_name),
        (getattr(by, "email", "") or "", by.get_full_name() if by else ""),
    ):
        address = address.strip().lower()
        if address and address not in seen:
            seen.add(address)
            out.append((address, name))
    return out


def badge_qr_png(registration: Registration) -> bytes:
    buffer = io.BytesIO()
    badges.qr_code(badges.qr_payload(registration)).save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def registration_mail_queue(
    *, registration: Registration, what: str, actor: ActorArg, reason: str = ""
) -> int:
    """Queue the `what` mail (received, approved, rejected) of a registration."""
    event = registration.event
    slug = event.slug
    context = {
        "registration": registration,
        "event": event,
        "code": rules.format_code(registration.code),
        "reason": reason,
        "registration_url": absolute(
            reverse("events:registration", args=[slug, registration.code])
        ),
        "badge_url": absolute(reverse("events:badge", args=[slug, registration.code])),
        "programme_url": absolute(reverse("events:programme", args=[slug])),
    }
    attachments: tuple[AttachmentIn, ...] = ()
    if what == "approved":
        attachments = (
            AttachmentIn(f"badge-{registration.code}.png", badge_qr_png(registration), "image/png"),
        )
    addresses = registration_addresses(registration)
    messages_queue(
        kind=f"events.registration_{what}",
        messages=[
            message_render(
                f"events/messages/registration_{what}",
                context,
                to_address=address,
                to_name=name,
                attachments=attachments,
            )
            for address, name in addresses
        ],
        statutory=True,
        reference=f"registration:{registration.code}",
        actor=actor,
    )
    return len(addresses)
