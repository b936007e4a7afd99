"""The accreditation of a meeting as the API gives it: one row per member delegation (or
observer), with its head of delegation, delegates and attendance (the staff page's table)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from urbis.governance import rules
from urbis.governance.models import Meeting
from urbis.governance.queries.accreditation import AccreditationRow, accreditation

router = Router(tags=["governance"])


class AccreditedDelegateOut(Schema):
    id: int
    name: str
    position: str
    role: str
    mode: str
    email: str
    present: bool


class AccreditationOut(Schema):
    organisation_id: int
    organisation: str
    category: str
    counts: str  # "voting", "member" (attends without counting) or "observer"
    head_delegate_id: int | None
    head_of_delegation: str | None
    attendance: str | None  # "on_site", "online", or null when absent
    arrived_at: dt.datetime | None
    delegates: list[AccreditedDelegateOut]


class AccreditationListOut(Schema):
    meeting_id: int
    members: list[AccreditationOut]
    observers: list[AccreditationOut]


class AccreditationFilter(Schema):
    q: str = ""


def _row(r: AccreditationRow) -> dict[str, Any]:
    return {
        "organisation_id": r.organisation.pk,
        "organisation": r.organisation.name,
        "category": r.organisation.category,
        "counts": r.role,
        "head_delegate_id": r.head.pk if r.head else None,
        "head_of_delegation": r.head.name if r.head else None,
        "attendance": r.attendance or None,
        "arrived_at": r.arrived_at,
        "delegates": [
            {
                "id": d.pk,
                "name": d.name,
                "position": d.position,
                "role": d.role,
                "mode": d.mode,
                "email": d.email,
                "present": hasattr(d, "check_in"),
            }
            for d in r.delegates
        ],
    }


@router.get("/meetings/{slug}/accreditation", response=AccreditationListOut, auth=django_auth)
def accreditation_list(
    request: Any, slug: str, filters: Query[AccreditationFilter]
) -> dict[str, Any]:
    """Which members' delegations are accredited to a meeting, their heads of delegation
    and attendance, observers apart; `q` searches member and delegate names."""
    if not request.user.has_perm("governance.run_meeting"):
        raise HttpError(403, "You may not do this.")
    meeting = get_object_or_404(Meeting, slug=slug)
    rows = accreditation(meeting, q=filters.q[:100])
    return {
        "meeting_id": meeting.pk,
        "members": [_row(r) for r in rows if r.role != rules.OBSERVER],
        "observers": [_row(r) for r in rows if r.role == rules.OBSERVER],
    }
