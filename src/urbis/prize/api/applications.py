"""API for applications and the published results."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from urbis.common.actor import ACTOR_AUTH, actor_of, request_actor
from urbis.common.pagination import BoundedPageNumberPagination
from urbis.prize import domain, queries
from urbis.prize.api.base import (
    ApplicationIn,
    ApplicationOut,
    ApplicationPatchIn,
    AwardOut,
    router,
)
from urbis.prize.models import Application, Edition, PrizeCategory


@router.get("/editions/{year}/results", response=list[AwardOut])
def results(request: HttpRequest, year: int) -> list[dict[str, Any]]:
    edition = get_object_or_404(Edition, year=year)
    actor = actor_of(request)
    if not edition.results_published and not (actor and actor.has_perm("prize.manage_edition")):
        raise Http404("The results of this edition are not published yet.")
    rows = []
    for group in queries.results(edition):
        for row in group["awards"]:
            app = row["app"]
            rows.append(
                {
                    "award": row["kind"].name,
                    "category": group["title"],
                    "partner": row["kind"].partner,
                    "recipient": app.applicant_name,
                    "recipient_title": app.applicant_title,
                    "project": app.title,
                    "country": str(app.country or ""),
                }
            )
    return rows


@router.get("/applications", response=list[ApplicationOut], auth=ACTOR_AUTH)
@paginate(BoundedPageNumberPagination, page_size=50)
def application_list(request: HttpRequest, edition: int | None = None) -> Any:
    """Staff and EXCOM see every application; anyone else their own only."""
    actor = request_actor(request)
    if actor.has_perm("prize.view_all_applications"):
        qs = Application.objects.select_related("edition", "category").order_by("reference")
    else:
        qs = queries.applications_of(actor.user)
    if edition:
        qs = qs.filter(edition__year=edition)
    return qs


@router.get("/applications/{reference}", response=ApplicationOut, auth=ACTOR_AUTH)
def application_detail(request: HttpRequest, reference: str) -> Application:
    app = get_object_or_404(
        Application.objects.select_related("edition", "category"), reference=reference
    )
    if not request_actor(request).has_perm("prize.view_application", app):
        raise Http404("No such application.")
    return app


@router.post("/applications", response={201: ApplicationOut}, auth=ACTOR_AUTH)
def application_create(request: HttpRequest, payload: ApplicationIn) -> Status:
    edition = get_object_or_404(Edition, year=payload.edition)
    category = get_object_or_404(PrizeCategory, edition=edition, code=payload.category)
    fields = payload.dict(exclude={"edition", "category", "submit"})
    app = domain.application_save_draft(
        actor=request_actor(request), edition=edition, category=category, **fields
    )
    if payload.submit:
        app = domain.application_submit(actor=request_actor(request), application=app)
    return Status(201, app)


@router.post("/applications/{reference}/submit", response=ApplicationOut, auth=ACTOR_AUTH)
def application_submit(request: HttpRequest, reference: str) -> Application:
    app = get_object_or_404(Application, reference=reference)
    actor = request_actor(request)
    if not actor.has_perm("prize.view_application", app):
        raise Http404("No such application.")
    if not actor.has_perm("prize.change_application", app):
        raise HttpError(403, "Only the applicant may submit this application.")
    return domain.application_submit(actor=actor, application=app)


@router.patch("/applications/{reference}", response=ApplicationOut, auth=ACTOR_AUTH)
def application_update(
    request: HttpRequest, reference: str, payload: ApplicationPatchIn
) -> Application:
    """Change a draft, as the application page's "Save draft" does: its applicant while it
    is a draft and the call is open, or staff; the fields left out keep their value."""
    app = get_object_or_404(
        Application.objects.select_related("edition", "category"), reference=reference
    )
    actor = request_actor(request)
    if not actor.has_perm("prize.view_application", app):
        raise Http404("No such application.")
    if not actor.has_perm("prize.change_application", app):
        raise HttpError(403, "Only the applicant may change this application, while a draft.")
    fields = payload.dict(exclude_unset=True)
    category: PrizeCategory | None = app.category
    if (code := fields.pop("category", None)) is not None:
        category = PrizeCategory.objects.filter(edition=app.edition, code=code).first()
    if category is None:
        raise ValidationError({"category": f"{app.edition} has no category '{code}'."})
    return domain.application_save_draft(
        actor=actor, edition=app.edition, category=category, application=app, **fields
    )
