"""The messages section of a focal point's own space: what the outbox sent (or holds) for
the user and the contacts of its member(s). Registered in `MembersConfig.ready` (messaging
imports no app above it, so the registry's side reads its outbox)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from urbis.members.pages import MineRow, MineSection
from urbis.messaging.models import Message

SHOWN = 50


def messages_section(user: Any, organisations: list[Any]) -> MineSection | None:
    addresses = {user.email.lower()} if getattr(user, "email", "") else set()
    for org in organisations:
        addresses |= {c.email.lower() for c in org.contacts.all() if c.email}
    if not addresses:
        return None
    messages = (
        Message.objects.filter(to_address__in=sorted(addresses))
        .exclude(state=Message.State.CANCELLED)
        .only("subject", "to_address", "state", "created_at", "sent_at")
        .order_by("-created_at")[:SHOWN]
    )
    rows = [
        MineRow(
            cells=[
                (m.sent_at or m.created_at).date().isoformat(),
                m.subject,
                m.to_address,
                m.get_state_display(),
            ]
        )
        for m in messages
    ]
    return MineSection(
        key="messages",
        title=_("Messages received"),
        columns=[_("Date"), _("Subject"), _("To"), _("State")],
        rows=rows,
        empty=_("No message has been sent to you or your member's contacts."),
        note=_("The latest %(count)d are shown.") % {"count": SHOWN},
    )
