"""Pages for applicants and triage: the application form, one's applications, supporting
documents, and the secretariat's triage."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from urbis.common.actor import actor_required, request_actor
from urbis.prize import domain, queries, rules
from urbis.prize.forms import ApplicationForm, TriageForm
from urbis.prize.models import (
    Application,
    SupportingDocument,
)
from urbis.prize.views.public import _edition


@actor_required("prize.use_workspace")
def apply(request: HttpRequest, year: int, reference: str = "") -> HttpResponse:
    """The application form: save a draft, then submit it."""
    edition = _edition(year)
    app = None
    if reference:
        app = get_object_or_404(Application, reference=reference, edition=edition)
        if not request_actor(request).has_perm("prize.view_application", app):
            raise PermissionDenied
    call_closed = rules.call_error(
        on=timezone.localdate(), call_opens=edition.call_opens, call_closes=edition.call_closes
    )
    if app is None and call_closed and not request_actor(request).has_perm("prize.manage_edition"):
        return render(request, "prize/apply.html", {"edition": edition, "call_closed": call_closed})
    initial = {}
    if app is not None:
        initial = {
            name: getattr(app, name)
            for name in (
                "applicant_kind",
                "applicant_name",
                "applicant_title",
                "city",
                "country",
                "title",
                "summary",
                "contact_email",
            )
        }
        initial["category"] = app.category_id
    form = ApplicationForm(
        request.POST or None, request.FILES or None, edition=edition, initial=initial
    )
    if request.method == "POST" and app is not None:
        request_actor(request).require("prize.change_application", app)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("document")
        try:
            app = domain.application_save_draft(
                actor=request_actor(request),
                edition=edition,
                category=form.cleaned_data["category"],
                application=app,
                documents=[(form.cleaned_data.get("document_title", ""), upload)] if upload else [],
                **form.domain_fields(),
            )
            if "submit" in request.POST:
                domain.application_submit(actor=request_actor(request), application=app)
                messages.success(request, f"{app.reference} submitted.")
                return redirect("prize:my_applications")
            messages.success(request, f"Draft {app.reference} saved.")
            return redirect("prize:edit", year=year, reference=app.reference)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    context = {"edition": edition, "form": form, "app": app, "call_closed": call_closed}
    return render(request, "prize/apply.html", context)


@actor_required("prize.use_workspace")
def my_applications(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "prize/my_applications.html",
        {"applications": queries.applications_of(request_actor(request).user)},
    )


@actor_required("prize.triage_application")
def triage(request: HttpRequest, year: int) -> HttpResponse:
    edition = _edition(year)
    status = request.GET.get("status", "submitted")
    context = {
        "edition": edition,
        "applications": queries.triage_list(edition, status=status),
        "status": status,
        "statuses": Application.Status.choices,
    }
    return render(request, "prize/triage.html", context)


@require_POST
@actor_required("prize.triage_application")
def triage_decide(request: HttpRequest, reference: str) -> HttpResponse:
    app = get_object_or_404(Application.objects.select_related("edition"), reference=reference)
    form = TriageForm(request.POST)
    if form.is_valid():
        try:
            domain.application_triage(
                actor=request_actor(request),
                application=app,
                eligible=form.cleaned_data["eligible"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, f"{app.reference} triaged.")
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
    return redirect("prize:triage", year=app.edition.year)


def _document_application(request: HttpRequest, pk: int) -> Application:
    doc = get_object_or_404(SupportingDocument.objects.select_related("application"), pk=pk)
    return doc.application


@actor_required("prize.view_application", obj=_document_application)
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """A supporting document, shown inline (PDFs open in the page) to whoever may see
    its application: its applicant, staff, EXCOM, an evaluator assigned to it."""
    doc = get_object_or_404(SupportingDocument.objects.select_related("application"), pk=pk)
    name = (doc.file.name or "").rsplit("/", 1)[-1]
    with doc.file.open("rb") as handle:
        body = handle.read()
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response
