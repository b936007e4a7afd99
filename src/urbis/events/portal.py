"""The events section of a focal point's own space: its member's registrations and badges.
Registered in `EventsConfig.ready`."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from urbis.events.models import Registration
from urbis.members.pages import MineRow, MineSection


def registrations_section(user: Any, organisations: list[Any]) -> MineSection | None:
    if not organisations:
        return None
    registrations = (
        Registration.objects.filter(organisation__in=organisations)
        .select_related("event", "organisation")
        .order_by("-event__starts_on", "person_name", "id")
    )
    rows = [
        MineRow(
            cells=[
                reg.event.name,
                reg.person_name,
                reg.organisation.name,
                reg.get_status_display(),
            ],
            links=[(_("Badge"), reverse("events:badge", args=[reg.event.slug, reg.code]))]
            if reg.status == "approved"
            else [],
        )
        for reg in registrations
    ]
    return MineSection(
        key="registrations",
        title=_("Event registrations"),
        columns=[_("Event"), _("Delegate"), _("Member"), _("Status")],
        rows=rows,
        empty=_("No delegate of your member is registered for an event."),
    )
