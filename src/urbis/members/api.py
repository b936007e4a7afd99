"""REST endpoints of the registry: handlers parse, call one query or domain function, serialise.

Reads of the public directory are open; writes and internal reads need a signed-in session
(`django_auth`, CSRF-checked) and the permission named in `members/permissions.py`. Domain
`ValidationError` becomes 422 `{"detail": ..., "errors": {field: [messages]}}` and
`PermissionDenied` 403 (handlers in `urbis.config.api`, one body for every app).
"""

import datetime as dt
from pathlib import PurePath
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.security import django_auth

from urbis.common.actor import ACTOR_AUTH, permission_required
from urbis.common.errors import ErrorOut, error_body
from urbis.common.errors import ErrorOut as DetailOut
from urbis.common.errors import ErrorOut as ErrorsOut
from urbis.common.pagination import BoundedPageNumberPagination
from urbis.members import domain, queries
from urbis.members.domain.imports import organisations_import as import_organisations
from urbis.members.models import MembershipApplication, Organisation
from urbis.members.pages import mine_sections
from urbis.members.queries.applications import application_list as application_rows
from urbis.members.queries.exports import CONTENT_TYPES, organisations_export

router = Router(tags=["members"])


# --- schemas ---------------------------------------------------------------------------------


class OrganisationOut(Schema):
    slug: str
    name: str
    official_name: str
    category: str
    country: str
    city: str
    population: int | None
    population_year: int | None
    founding_member: bool
    institution_type: str
    corporate_category: str
    employees: int | None
    website: str
    description: str
    state: str

    @staticmethod
    def resolve_country(obj: Organisation) -> str:
        return str(obj.country)


class OrganisationIn(Schema):
    name: str
    category: str
    official_name: str = ""
    country: str = ""
    city: str = ""
    population: int | None = None
    population_year: int | None = None
    founding_member: bool = False
    institution_type: str = ""
    corporate_category: str = ""
    employees: int | None = None
    website: str = ""
    description: str = ""


class OrganisationPatch(Schema):
    """Only the fields sent are changed; a focal point may send only its allowed fields."""

    name: str = ""
    category: str = ""
    official_name: str = ""
    country: str = ""
    city: str = ""
    population: int | None = None
    population_year: int | None = None
    founding_member: bool = False
    institution_type: str = ""
    corporate_category: str = ""
    employees: int | None = None
    website: str = ""
    description: str = ""


class DirectoryFilters(Schema):
    q: str = ""
    category: str = ""
    region: str = ""
    country: str = ""
    state: str = ""
    as_of: dt.date | None = None


class ExportFilters(DirectoryFilters):
    format: Literal["csv", "xlsx"] = "csv"


class CountsOut(Schema):
    as_of: dt.date
    counts: dict[str, dict[str, int]]


class LifecycleEventOut(Schema):
    kind: str
    date: dt.date
    date_precision: str
    reason: str
    decision_ref: str
    letter: str


class LifecycleEventIn(Schema):
    kind: str
    date: dt.date
    date_precision: str = "day"
    reason: str = ""
    decision_ref: str = ""
    letter: str = ""


class ParticipationOut(Schema):
    date: dt.date
    activity: str
    kind: str
    notes: str


class ParticipationIn(Schema):
    date: dt.date
    activity: str
    kind: str = "event"
    notes: str = ""


class ContactOut(Schema):
    name: str
    position: str
    email: str
    phone: str
    mayoral_level: bool
    is_focal_point: bool
    language: str


class RowPlanOut(Schema):
    row: int
    name: str
    action: str
    changed: list[str]


class ImportResultOut(Schema):
    dry_run: bool
    created: int
    updated: int
    unchanged: int
    errors: list[str]
    rows: list[RowPlanOut]


WRITE_ERRORS: dict[int, Any] = {401: DetailOut, 403: DetailOut, 422: ErrorsOut}


# --- helpers ---------------------------------------------------------------------------------


def _require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(f"You do not have the permission '{perm}'.")


def _organisation(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)


def _with_state(org: Organisation) -> Organisation:
    return queries.with_state(Organisation.objects.all()).get(pk=org.pk)


# --- the directory (public) ------------------------------------------------------------------


@router.get("/organisations", response=list[OrganisationOut])
@paginate(BoundedPageNumberPagination, page_size=50)
def organisation_list(request, filters: Query[DirectoryFilters]):  # type: ignore[no-untyped-def]
    return queries.organisation_list(
        search=filters.q,
        category=filters.category,
        region=filters.region,
        country=filters.country,
        state=filters.state,
        as_of=filters.as_of,
    )


@router.get("/organisations/{slug}", response=OrganisationOut)
def organisation_detail(request, slug: str):  # type: ignore[no-untyped-def]
    return get_object_or_404(queries.with_state(Organisation.objects.all()), slug=slug)


@router.get("/counts", response=CountsOut)
def membership_counts(request, as_of: dt.date | None = None):  # type: ignore[no-untyped-def]
    on = as_of or queries.today()
    return {"as_of": on, "counts": queries.membership_table(as_of=on)}


@router.get("/organisations/{slug}/lifecycle", response=list[LifecycleEventOut])
def lifecycle_list(request, slug: str):  # type: ignore[no-untyped-def]
    """A member's history: its dated lifecycle events (public, as on its directory page)."""
    return _organisation(slug).lifecycle_events.order_by("date", "id")


# --- writes and internal reads ---------------------------------------------------------------


@router.post("/organisations", response={201: OrganisationOut, **WRITE_ERRORS}, auth=django_auth)
def organisation_create(request, payload: OrganisationIn):  # type: ignore[no-untyped-def]
    _require(request, "members.add_organisation")
    org = domain.organisation_create(actor=request.user, **payload.dict())
    return Status(201, _with_state(org))


@router.patch(
    "/organisations/{slug}", response={200: OrganisationOut, **WRITE_ERRORS}, auth=django_auth
)
def organisation_update(request, slug: str, payload: OrganisationPatch):  # type: ignore[no-untyped-def]
    """Secretariat: any field. A member's focal point: its own member, `FOCAL_POINT_FIELDS`."""
    org = _organisation(slug)
    _require(request, "members.change_organisation", org)
    fields = payload.dict(exclude_unset=True)
    org = domain.organisation_update(actor=request.user, organisation=org, **fields)
    return _with_state(org)


@router.post(
    "/organisations/{slug}/lifecycle",
    response={201: LifecycleEventOut, **WRITE_ERRORS},
    auth=django_auth,
)
def lifecycle_create(request, slug: str, payload: LifecycleEventIn):  # type: ignore[no-untyped-def]
    org = _organisation(slug)
    _require(request, "members.record_lifecycle", org)
    event = domain.lifecycle_record(actor=request.user, organisation=org, **payload.dict())
    return Status(201, event)


@router.get(
    "/organisations/{slug}/participations",
    response={200: list[ParticipationOut], 401: DetailOut, 403: DetailOut},
    auth=django_auth,
)
def participation_list(request, slug: str):  # type: ignore[no-untyped-def]
    org = _organisation(slug)
    _require(request, "members.record_participation", org)
    return org.participations.order_by("-date", "activity")


@router.post(
    "/organisations/{slug}/participations",
    response={201: ParticipationOut, **WRITE_ERRORS},
    auth=django_auth,
)
def participation_create(request, slug: str, payload: ParticipationIn):  # type: ignore[no-untyped-def]
    org = _organisation(slug)
    _require(request, "members.record_participation", org)
    part = domain.participation_record(actor=request.user, organisation=org, **payload.dict())
    return Status(201, part)


@router.get(
    "/organisations/{slug}/contacts",
    response={200: list[ContactOut], 401: DetailOut, 403: DetailOut},
    auth=django_auth,
)
def contact_list(request, slug: str):  # type: ignore[no-untyped-def]
    """The secretariat, or a focal point of this very organisation."""
    org = _organisation(slug)
    _require(request, "members.view_contacts", org)
    return org.contacts.order_by("name", "id")


@router.post(
    "/import",
    response={
        200: ImportResultOut,
        401: DetailOut,
        403: DetailOut,
        422: ImportResultOut | ErrorOut,
    },
    auth=django_auth,
)
def organisations_import(  # type: ignore[no-untyped-def]
    request,
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
    format: Form[str] = "",
):
    """Import a CSV or XLSX file: all rows or none; 422 lists every `row N: field: reason`."""
    _require(request, "members.import_organisations")
    fmt = format or PurePath(file.name or "").suffix.lower().lstrip(".")
    data = file.read(settings.URBIS_MAX_IMPORT_BYTES + 1)
    result = import_organisations(actor=request.user, data=data, format=fmt, dry_run=dry_run)
    body = {
        "dry_run": result.dry_run,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "errors": result.error_lines,
        "rows": [
            {"row": r.row, "name": r.name, "action": r.action, "changed": list(r.changed)}
            for r in result.rows
        ],
    }
    return Status(200 if result.ok else 422, body)


_FILE = {"schema": {"type": "string", "format": "binary"}}


@router.get(
    "/export",
    response={401: DetailOut, 403: DetailOut},
    auth=django_auth,
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, CSV or XLSX as `format` asks.",
                "content": {"text/csv": _FILE, CONTENT_TYPES["xlsx"]: _FILE},
            }
        }
    },
)
def organisations_export_file(request, filters: Query[ExportFilters]):  # type: ignore[no-untyped-def]
    """The directory (same filters) as CSV or XLSX, with each organisation's state."""
    _require(request, "members.export_organisations")
    on = filters.as_of or queries.today()
    data = organisations_export(
        format=filters.format,
        search=filters.q,
        category=filters.category,
        region=filters.region,
        country=filters.country,
        state=filters.state,
        as_of=on,
    )
    response = HttpResponse(data, content_type=CONTENT_TYPES[filters.format])
    response["Content-Disposition"] = f'attachment; filename="organisations-{on}.{filters.format}"'
    return response


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
def mine(request):  # type: ignore[no-untyped-def]
    """What the members page `/members/mine/` shows: the caller's member(s) as focal point,
    their contacts, and every section (invoices, payments, registrations, prize, meetings,
    messages). An account that is no focal point gets empty lists."""
    user = request.auth.user
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


# --- applications for membership -------------------------------------------------------------


class MembershipApplicationIn(Schema):
    name: str
    official_name: str = ""
    category: Literal["local_government", "institution", "corporation"]
    institution_type: str = ""
    corporate_category: str = ""
    employees: int | None = None
    country: str
    city: str = ""
    website: str = ""
    motivation: str
    contact_name: str
    contact_position: str = ""
    contact_email: str
    contact_phone: str = ""
    other_contact_name: str = ""
    other_contact_email: str = ""
    consent_statutes: bool


class MembershipApplicationOut(Schema):
    reference: str
    status: str
    name: str
    category: str
    country: str
    contact_name: str
    contact_email: str
    submitted_at: dt.datetime
    agenda: str
    decision_ref: str
    decided_on: dt.date | None
    rejection_reason: str
    organisation: str | None

    @staticmethod
    def resolve_country(obj: Any) -> str:
        return str(obj.country)

    @staticmethod
    def resolve_organisation(obj: Any) -> str | None:
        return obj.organisation.slug if obj.organisation else None


class MembershipApplicationSubmittedOut(Schema):
    reference: str
    status: str


class MembershipApplicationActionIn(Schema):
    note: str = ""
    reason: str = ""
    meeting: str = ""


def _application(request: HttpRequest, reference: str, **_: Any) -> Any:
    return get_object_or_404(MembershipApplication, reference=reference[:20])


@router.post(
    "/applications",
    response={201: MembershipApplicationSubmittedOut, 422: ErrorsOut},
    auth=None,
)
def application_create(  # type: ignore[no-untyped-def]
    request, payload: Form[MembershipApplicationIn], document: File[UploadedFile] | None = None
):
    """Apply for membership (public): the fields of the form, the letter as a PDF."""
    try:
        application = domain.application_submit(
            actor=None, document=document, **payload.model_dump()
        )
    except ValidationError as exc:
        return Status(422, error_body("The application was not recorded.", exc.message_dict))
    return Status(201, {"reference": application.reference, "status": application.status})


@router.get(
    "/applications",
    response={200: list[MembershipApplicationOut], 401: DetailOut, 403: DetailOut},
    auth=ACTOR_AUTH,
)
@permission_required("members.view_applications")
@paginate(BoundedPageNumberPagination, page_size=50)
def application_list(request, status: str = ""):  # type: ignore[no-untyped-def]
    valid = status if status in MembershipApplication.Status.values else ""
    return application_rows(status=valid)


@router.get(
    "/applications/{reference}",
    response={200: MembershipApplicationOut, 401: DetailOut, 403: DetailOut, 404: DetailOut},
    auth=ACTOR_AUTH,
)
@permission_required("members.view_applications", obj=_application)
def application_detail(request, reference: str):  # type: ignore[no-untyped-def]
    return _application(request, reference)


@router.post(
    "/applications/{reference}/{action}",
    response={
        200: MembershipApplicationOut,
        401: DetailOut,
        403: DetailOut,
        404: DetailOut,
        422: ErrorsOut,
    },
    auth=ACTOR_AUTH,
)
@permission_required("members.manage_applications", obj=_application)
def application_act(  # type: ignore[no-untyped-def]
    request,
    reference: str,
    action: Literal["check", "reject", "agenda"],
    payload: MembershipApplicationActionIn,
):
    """Check an application, reject it (with a reason) or put it on an open EXCOM meeting's
    agenda (`meeting`: its slug); the EXCOM's decision on that item approves it."""
    application = _application(request, reference)
    actor = request.actor
    try:
        if action == "check":
            row = domain.application_check(actor=actor, application=application, note=payload.note)
        elif action == "reject":
            row = domain.application_reject(
                actor=actor, application=application, reason=payload.reason
            )
        else:
            row = domain.application_put_on_agenda(
                actor=actor, application=application, meeting=payload.meeting
            )
    except ValidationError as exc:
        return Status(422, error_body("Nothing was changed.", exc.message_dict))
    return row
