"""Agenda items of a meeting and the candidates of an election item."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Schema, Status
from ninja.pagination import paginate

from urbis.common.actor import ACTOR_AUTH, permission_required
from urbis.common.errors import Conflict
from urbis.common.pagination import BoundedPageNumberPagination
from urbis.governance import domain
from urbis.governance.api_meetings.base import _ID, RUN, _actor, router
from urbis.governance.models import AgendaItem, Candidate, Meeting
from urbis.members.models import Organisation


class ItemIn(Schema):
    title: str | None = None
    kind: str | None = None
    starts_at: dt.time | None = None
    ends_at: dt.time | None = None
    article: str | None = None
    method: str | None = None
    summary: str | None = None
    office: str | None = None
    term_start: dt.date | None = None
    term_end: dt.date | None = None
    call_for_candidates_on: dt.date | None = None
    hosts_meeting: str | None = None
    membership_review_ref: str | None = None
    membership_review_as_of: dt.date | None = None


class ItemCreateIn(ItemIn):
    number: int
    title: str
    kind: str


class ItemOut(Schema):
    id: int
    meeting_id: int
    number: int
    title: str
    kind: str
    article: str
    method: str
    summary: str
    office: str
    term_start: dt.date | None
    term_end: dt.date | None
    call_for_candidates_on: dt.date | None
    hosts_meeting: str
    membership_review_ref: str
    membership_review_as_of: dt.date | None
    starts_at: dt.time | None
    ends_at: dt.time | None
    decided: bool

    @staticmethod
    def resolve_decided(obj: AgendaItem) -> bool:
        return hasattr(obj, "decision")


def _item_fields(payload: ItemIn) -> dict[str, Any]:
    fields = payload.dict(exclude_unset=True)
    fields.pop("number", None)
    return {k: ("" if v is None and k in _TEXT_ITEM_FIELDS else v) for k, v in fields.items()}


_TEXT_ITEM_FIELDS = {
    "article",
    "summary",
    "office",
    "hosts_meeting",
    "membership_review_ref",
}


@router.get(
    "/meetings/{slug}/items",
    response=list[ItemOut],
    operation_id="urbis_governance_api_meetings_item_list",
)
@paginate(BoundedPageNumberPagination, page_size=100)
def item_list(
    request: HttpRequest, slug: str, kind: str = Query("", max_length=20)
) -> QuerySet[AgendaItem]:
    meeting = get_object_or_404(Meeting, slug=slug)
    qs = AgendaItem.objects.filter(meeting=meeting).select_related("decision")
    return qs.filter(kind=kind) if kind else qs.order_by("number")


@router.post(
    "/meetings/{slug}/items",
    response={201: ItemOut},
    auth=ACTOR_AUTH,
    operation_id="urbis_governance_api_meetings_item_create",
)
@permission_required(RUN)
def item_create(request: HttpRequest, slug: str, payload: ItemCreateIn) -> Any:
    meeting = get_object_or_404(Meeting, slug=slug)
    if AgendaItem.objects.filter(meeting=meeting, number=payload.number).exists():
        raise Conflict({"number": [f"{meeting} has an agenda item {payload.number} already."]})
    fields = _item_fields(payload)
    item = domain.agenda_item_save(
        actor=_actor(request), meeting=meeting, number=payload.number, **fields
    )
    return Status(201, item)


@router.get(
    "/items/{item_id}",
    response=ItemOut,
    operation_id="urbis_governance_api_meetings_item_detail",
)
def item_detail(request: HttpRequest, item_id: int = _ID) -> AgendaItem:
    return get_object_or_404(AgendaItem.objects.select_related("decision"), pk=item_id)


@router.patch(
    "/items/{item_id}",
    response=ItemOut,
    auth=ACTOR_AUTH,
    operation_id="urbis_governance_api_meetings_item_update",
)
@permission_required(RUN)
def item_update(request: HttpRequest, payload: ItemIn, item_id: int = _ID) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=item_id)
    fields = _item_fields(payload)
    return domain.agenda_item_save(
        actor=_actor(request), meeting=item.meeting, number=item.number, **fields
    )


@router.delete(
    "/items/{item_id}",
    response={204: None},
    auth=ACTOR_AUTH,
    operation_id="urbis_governance_api_meetings_item_delete",
)
@permission_required(RUN)
def item_delete(request: HttpRequest, item_id: int = _ID) -> Any:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=item_id)
    domain.agenda_item_delete(actor=_actor(request), item=item)
    return Status(204, None)


class CandidateIn(Schema):
    organisation_id: int
    label: str = ""
    nominated_on: dt.date | None = None
    nominated_by: str = ""
    appointed_by: str = ""
    order: int = 0


class CandidateOut(Schema):
    id: int
    agenda_item_id: int
    organisation_id: int
    organisation: str
    label: str
    nominated_on: dt.date | None
    nominated_by: str
    appointed_by: str
    status: str
    order: int

    @staticmethod
    def resolve_organisation(obj: Candidate) -> str:
        return obj.organisation.name


@router.get(
    "/items/{item_id}/candidates",
    response=list[CandidateOut],
    operation_id="urbis_governance_api_meetings_candidate_list",
)
@paginate(BoundedPageNumberPagination, page_size=100)
def candidate_list(request: HttpRequest, item_id: int = _ID) -> QuerySet[Candidate]:
    item = get_object_or_404(AgendaItem, pk=item_id)
    return item.candidates.select_related("organisation").order_by("order", "id")


@router.post(
    "/items/{item_id}/candidates",
    response={201: CandidateOut},
    auth=ACTOR_AUTH,
    operation_id="urbis_governance_api_meetings_candidate_add",
)
@permission_required(RUN)
def candidate_add(request: HttpRequest, payload: CandidateIn, item_id: int = _ID) -> Any:
    """Put a candidate, nominee or bid on the slate (again: updates it)."""
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=item_id)
    org = get_object_or_404(Organisation, pk=payload.organisation_id)
    fields = payload.dict(exclude={"organisation_id"})
    candidate = domain.candidate_add(
        actor=_actor(request), agenda_item=item, organisation=org, **fields
    )
    return Status(201, candidate)


@router.delete(
    "/candidates/{candidate_id}",
    response={204: None},
    auth=ACTOR_AUTH,
    operation_id="urbis_governance_api_meetings_candidate_remove",
)
@permission_required(RUN)
def candidate_remove(request: HttpRequest, candidate_id: int = _ID) -> Any:
    candidate = get_object_or_404(
        Candidate.objects.select_related("agenda_item__meeting"), pk=candidate_id
    )
    domain.candidate_remove(actor=_actor(request), candidate=candidate)
    return Status(204, None)
