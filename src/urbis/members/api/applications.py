"""Applications for membership: the public form's operation and the secretariat's."""

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from urbis.common.actor import ACTOR_AUTH, Actor, permission_required
from urbis.common.errors import ErrorOut as DetailOut
from urbis.common.errors import ErrorOut as ErrorsOut
from urbis.common.errors import error_body
from urbis.common.pagination import BoundedPageNumberPagination
from urbis.members import domain
from urbis.members.api.base import _actor, router
from urbis.members.models import (
    MembershipApplication,
)
from urbis.members.queries.applications import application_list as application_rows

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


def _application(request: HttpRequest, reference: str, **_: object) -> MembershipApplication:
    return get_object_or_404(MembershipApplication, reference=reference[:20])


@router.post(
    "/applications",
    response={201: MembershipApplicationSubmittedOut, 422: ErrorsOut},
    auth=None,
)
def application_create(
    request: HttpRequest,
    payload: Form[MembershipApplicationIn],
    document: File[UploadedFile] | None = None,
) -> Status:
    """Apply for membership (public): the fields of the form, the letter as a PDF."""
    try:
        application = domain.application_submit(
            actor=Actor.system(), document=document, **payload.model_dump()
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
def application_list(request: HttpRequest, status: str = "") -> QuerySet[MembershipApplication]:
    valid = status if status in MembershipApplication.Status.values else ""
    return application_rows(status=valid)


@router.get(
    "/applications/{reference}",
    response={200: MembershipApplicationOut, 401: DetailOut, 403: DetailOut, 404: DetailOut},
    auth=ACTOR_AUTH,
)
@permission_required("members.view_applications", obj=_application)
def application_detail(request: HttpRequest, reference: str) -> MembershipApplication:
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
def application_act(
    request: HttpRequest,
    reference: str,
    action: Literal["check", "reject", "agenda"],
    payload: MembershipApplicationActionIn,
) -> MembershipApplication | Status:
    """Check an application, reject it (with a reason) or put it on an open EXCOM meeting's
    agenda (`meeting`: its slug); the EXCOM's decision on that item approves it."""
    application = _application(request, reference)
    actor = _actor(request)
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
