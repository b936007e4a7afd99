"""The prize section of a focal point's own space: its member's applications.
Registered in `PrizeConfig.ready`."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from urbis.members.pages import MineRow, MineSection
from urbis.prize.models import Application


def applications_section(user: Any, organisations: list[Any]) -> MineSection | None:
    if not organisations:
        return None
    applications = (
        Application.objects.filter(Q(organisation__in=organisations) | Q(submitted_by=user))
        .select_related("edition", "category")
        .order_by("-edition__year", "reference")
    )
    rows = [
        MineRow(
            cells=[app.reference, app.title, app.edition.name, app.get_status_display()],
            links=[
                (
                    _("Open"),
                    reverse("prize:edit", args=[app.edition.year, app.reference])
                    if app.status == Application.Status.DRAFT
                    else reverse("prize:my_applications"),
                )
            ],
        )
        for app in applications
    ]
    return MineSection(
        key="prize",
        title=_("Prize applications"),
        columns=[_("Reference"), _("Title"), _("Edition"), _("Status")],
        rows=rows,
        empty=_("Your member has no prize application."),
    )
