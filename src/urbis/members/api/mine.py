"""A focal point's own space: `GET /api/v1/members/mine`."""

from django.http import HttpRequest
from ninja import Schema

from urbis.common.actor import ACTOR_AUTH
from urbis.common.errors import ErrorOut as DetailOut
from urbis.members import queries
from urbis.members.api.base import _actor, router
from urbis.members.pages import mine_sections

# --- a focal point's own space ---------------------------------------------------------------


class MineLinkOut(Schema):
    label: str
    url: str


class MineRowOut(Schema):
    cells: list[str]
    links: list[MineLinkOut]


class MineSectionOut(Schema):
    key: str
    title: str
    columns: list[str]
    rows: list[MineRowOut]
    note: str


class MineContactOut(Schema):
    id: int
    name: str
    email: str
    is_focal_point: bool
    language: str


class MineOrganisationOut(Schema):
    id: int
    slug: str
    name: str
    category: str
    contacts: list[MineContactOut]


class MineOut(Schema):
    organisations: list[MineOrganisationOut]
    sections: list[MineSectionOut]


@router.get("/mine", response={200: MineOut, 401: DetailOut}, auth=ACTOR_AUTH)
def mine(request: HttpRequest) -> dict[str, object]:
    """What the members page `/members/mine/` shows: the caller's member(s) as focal point,
    their contacts, and every section (invoices, payments, registrations, prize, meetings,
    messages). An account that is no focal point gets empty lists."""
    user = _actor(request).user
    organisations = list(queries.focal_point_organisations(user)) if user is not None else []
    sections = mine_sections(user, organisations) if user is not None else []
    return {
        "organisations": [
            {
                "id": org.pk,
                "slug": org.slug,
                "name": org.name,
                "category": org.category,
                "contacts": [
                    {
                        "id": c.pk,
                        "name": c.name,
                        "email": c.email,
                        "is_focal_point": c.is_focal_point,
                        "language": c.language,
                    }
                    for c in org.contacts.all()
                ],
            }
            for org in organisations
        ],
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "columns": s.columns,
                "note": s.note,
                "rows": [
                    {
                        "cells": r.cells,
                        "links": [{"label": label, "url": url} for label, url in r.links],
                    }
                    for r in s.rows
                ],
            }
            for s in sections
        ],
    }
