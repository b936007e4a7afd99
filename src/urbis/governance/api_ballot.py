"""REST endpoints of the ballot links: the chair sends every head of delegation their
personal link for a meeting, or takes one link to hand over (the console's buttons)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Path, Router, Schema

from urbis.common.actor import ACTOR_AUTH, permission_required
from urbis.common.errors import ERROR_RESPONSES
from urbis.common.inputs import MAX_ID
from urbis.governance.domain.ballot_links import ballot_link_hand_over, ballot_links_send
from urbis.governance.models import Delegate, Meeting

router = Router(tags=["governance: ballot links"])

_ID = Path(..., ge=1, le=MAX_ID)


def _meeting(request: Any, slug: str) -> Meeting:
    return get_object_or_404(Meeting, slug=slug)


class HeadOut(Schema):
    delegate_id: int
    organisation_id: int
    organisation: str


class LinksSentOut(Schema):
    queued: int
    without_address: list[HeadOut]


class LinkOut(Schema):
    delegate_id: int
    organisation_id: int
    url: str


@router.post(
    "/meetings/{slug}/ballot-links",
    response={200: LinksSentOut, **ERROR_RESPONSES(403, 404)},
    auth=ACTOR_AUTH,
)
@permission_required("governance.run_meeting")
def ballot_links_send_op(request, slug: str):  # type: ignore[no-untyped-def]
    """Queue each head of delegation's ballot link (to the member's contact of the head's
    name, when it has an address); the heads without one are listed."""
    sent = ballot_links_send(meeting=_meeting(request, slug), actor=request.actor)
    heads = [
        HeadOut(
            delegate_id=d.pk, organisation_id=d.organisation_id, organisation=d.organisation.name
        )
        for d in sent.without_address
    ]
    return LinksSentOut(queued=sent.queued, without_address=heads)


@router.post(
    "/meetings/{slug}/delegates/{delegate_id}/ballot-link",
    response={200: LinkOut, **ERROR_RESPONSES(403, 404)},
    auth=ACTOR_AUTH,
)
@permission_required("governance.run_meeting")
def ballot_link_hand_over_op(request, slug: str, delegate_id: int = _ID):  # type: ignore[no-untyped-def]
    """One head of delegation's link, to hand over (audited; not stored)."""
    delegate = get_object_or_404(
        Delegate.objects.select_related("meeting", "organisation"),
        pk=delegate_id,
        meeting__slug=slug,
        role=Delegate.Role.HEAD,
    )
    url = ballot_link_hand_over(delegate=delegate, actor=request.actor)
    return LinkOut(delegate_id=delegate.pk, organisation_id=delegate.organisation_id, url=url)
