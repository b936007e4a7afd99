"""The directory (public reads), the registry's writes and internal reads, import and export."""

import datetime as dt
from collections.abc import Callable
from pathlib import PurePath

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from urbis.common.actor import ACTOR_AUTH, permission_required
from urbis.common.errors import ErrorOut
from urbis.common.errors import ErrorOut as DetailOut
from urbis.common.imports import upload_read
from urbis.common.pagination import BoundedPageNumberPagination
from urbis.members import domain, queries
from urbis.members.api.base import (
    WRITE_ERRORS,
    _actor,
    _organisation,
    _organisation_of,
    _with_state,
    router,
)
from urbis.members.api.schemas import (
    ContactIn,
    ContactOut,
    ContactPatch,
    CountsOut,
    DirectoryFilters,
    ExportFilters,
    ImportResultOut,
    LifecycleEventIn,
    LifecycleEventOut,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    ParticipationIn,
    ParticipationOut,
)
from urbis.members.domain.imports import organisations_import as import_organisations
from urbis.members.models import (
    Contact,
    LifecycleEvent,
    Organisation,
    Participation,
)
from urbis.members.queries.exports import CONTENT_TYPES, organisations_export

# --- the directory (public) ------------------------------------------------------------------


@router.get("/organisations", response=list[OrganisationOut])
@paginate(BoundedPageNumberPagination, page_size=50)
def organisation_list(
    request: HttpRequest, filters: Query[DirectoryFilters]
) -> QuerySet[Organisation]:
    return queries.organisation_list(
        search=filters.q,
        category=filters.category,
        region=filters.region,
        country=filters.country,
        state=filters.state,
        as_of=filters.as_of,
    )


@router.get("/organisations/{slug}", response=OrganisationOut)
def organisation_detail(request: HttpRequest, slug: str) -> Organisation:
    return get_object_or_404(queries.with_state(Organisation.objects.all()), slug=slug)


@router.get("/counts", response=CountsOut)
def membership_counts(request: HttpRequest, as_of: dt.date | None = None) -> dict[str, object]:
    on = as_of or queries.today()
    return {"as_of": on, "counts": queries.membership_table(as_of=on)}


@router.get("/organisations/{slug}/lifecycle", response=list[LifecycleEventOut])
def lifecycle_list(request: HttpRequest, slug: str) -> QuerySet[LifecycleEvent]:
    """A member's history: its dated lifecycle events (public, as on its directory page)."""
    return _organisation(slug).lifecycle_events.order_by("date", "id")


# --- writes and internal reads ---------------------------------------------------------------


@router.post("/organisations", response={201: OrganisationOut, **WRITE_ERRORS}, auth=ACTOR_AUTH)
@permission_required("members.add_organisation")
def organisation_create(request: HttpRequest, payload: OrganisationIn) -> Status:
    org = domain.organisation_create(actor=_actor(request), **payload.dict())
    return Status(201, _with_state(org))


@router.patch(
    "/organisations/{slug}", response={200: OrganisationOut, **WRITE_ERRORS}, auth=ACTOR_AUTH
)
@permission_required("members.change_organisation", obj=_organisation_of)
def organisation_update(
    request: HttpRequest, slug: str, payload: OrganisationPatch
) -> Organisation:
    """Secretariat: any field. A member's focal point: its own member, `FOCAL_POINT_FIELDS`."""
    org = _organisation(slug)
    fields = payload.dict(exclude_unset=True)
    org = domain.organisation_update(actor=_actor(request), organisation=org, **fields)
    return _with_state(org)


def _recorded(
    request: HttpRequest, slug: str, record: Callable[..., object], payload: Schema
) -> Status:
    """201 with the row `record` (a domain function) writes on the organisation of the URL."""
    row = record(actor=_actor(request), organisation=_organisation(slug), **payload.dict())
    return Status(201, row)


@router.post(
    "/organisations/{slug}/lifecycle",
    response={201: LifecycleEventOut, **WRITE_ERRORS},
    auth=ACTOR_AUTH,
)
@permission_required("members.record_lifecycle", obj=_organisation_of)
def lifecycle_create(request: HttpRequest, slug: str, payload: LifecycleEventIn) -> Status:
    return _recorded(request, slug, domain.lifecycle_record, payload)


@router.get(
    "/organisations/{slug}/participations",
    response={200: list[ParticipationOut], 401: DetailOut, 403: DetailOut},
    auth=ACTOR_AUTH,
)
@permission_required("members.record_participation", obj=_organisation_of)
def participation_list(request: HttpRequest, slug: str) -> QuerySet[Participation]:
    org = _organisation(slug)
    return org.participations.order_by("-date", "activity")


@router.post(
    "/organisations/{slug}/participations",
    response={201: ParticipationOut, **WRITE_ERRORS},
    auth=ACTOR_AUTH,
)
@permission_required("members.record_participation", obj=_organisation_of)
def participation_create(request: HttpRequest, slug: str, payload: ParticipationIn) -> Status:
    return _recorded(request, slug, domain.participation_record, payload)


@router.get(
    "/organisations/{slug}/contacts",
    response={200: list[ContactOut], 401: DetailOut, 403: DetailOut},
    auth=ACTOR_AUTH,
)
@permission_required("members.view_contacts", obj=_organisation_of)
def contact_list(request: HttpRequest, slug: str) -> QuerySet[Contact]:
    """The secretariat, or a focal point of this very organisation."""
    org = _organisation(slug)
    return org.contacts.order_by("name", "id")


@router.post(
    "/organisations/{slug}/contacts",
    response={201: ContactOut, **WRITE_ERRORS},
    auth=ACTOR_AUTH,
)
@permission_required("members.change_contacts", obj=_organisation_of)
def contact_create(request: HttpRequest, slug: str, payload: ContactIn) -> Status:
    """The secretariat, or a focal point of this very organisation (as on the contact page);
    only the secretariat may send `is_focal_point` or `user_id`."""
    contact = domain.contact_save(
        actor=_actor(request),
        organisation=_organisation(slug),
        **payload.dict(exclude_unset=True),
    )
    return Status(201, contact)


@router.patch(
    "/organisations/{slug}/contacts/{contact_id}",
    response={200: ContactOut, **WRITE_ERRORS},
    auth=ACTOR_AUTH,
)
@permission_required("members.change_contacts", obj=_organisation_of)
def contact_update(
    request: HttpRequest, slug: str, contact_id: int, payload: ContactPatch
) -> Contact:
    """Only the fields sent change; who may send which is as for `contact_create`."""
    org = _organisation(slug)
    contact = get_object_or_404(Contact, pk=contact_id, organisation=org)
    return domain.contact_save(
        actor=_actor(request),
        organisation=org,
        contact=contact,
        **payload.dict(exclude_unset=True),
    )


@router.post(
    "/import",
    response={
        200: ImportResultOut,
        401: DetailOut,
        403: DetailOut,
        422: ImportResultOut | ErrorOut,
    },
    auth=ACTOR_AUTH,
)
@permission_required("members.import_organisations")
def organisations_import(
    request: HttpRequest,
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
    format: Form[str] = "",
) -> Status:
    """Import a CSV or XLSX file: all rows or none; 422 lists every `row N: column: reason`."""
    name, data = upload_read(file, default_name="")
    fmt = format or PurePath(name).suffix.lower().lstrip(".")
    result = import_organisations(actor=_actor(request), data=data, format=fmt, dry_run=dry_run)
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
    auth=ACTOR_AUTH,
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, CSV or XLSX as `format` asks.",
                "content": {"text/csv": _FILE, CONTENT_TYPES["xlsx"]: _FILE},
            }
        }
    },
)
@permission_required("members.export_organisations")
def organisations_export_file(request: HttpRequest, filters: Query[ExportFilters]) -> HttpResponse:
    """The directory (same filters) as CSV or XLSX, with each organisation's state."""
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
