"""Applications for membership: the public form, and the secretariat's list and detail
(check, reject, put on an EXCOM agenda). The EXCOM's decision approves (governance)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from urbis.common.actor import Actor, actor_of, actor_required
from urbis.common.inputs import error_text
from urbis.members import domain
from urbis.members.forms import ApplicationForm, add_domain_errors
from urbis.members.models import MembershipApplication
from urbis.members.queries.applications import application_list

PAGE_SIZE = 50


def apply(request: HttpRequest) -> HttpResponse:
    """The public application form: anyone may apply for their organisation."""
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        document = fields.pop("document", None)
        try:
            actor = actor_of(request) or Actor.system()
            application = domain.application_submit(actor=actor, document=document, **fields)
        except ValidationError as exc:
            add_domain_errors(form, exc)
        else:
            return render(
                request, "members/applications/submitted.html", {"application": application}
            )
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "members/applications/apply.html", {"form": form}, status=status)


@actor_required("members.view_applications")
def applications(request: HttpRequest) -> HttpResponse:
    """Every application, newest first, filtered by status."""
    status = request.GET.get("status", "")
    if status not in MembershipApplication.Status.values:
        status = ""
    page = Paginator(application_list(status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "members/applications/list.html",
        {
            "page": page,
            "status": status,
            "statuses": MembershipApplication.Status.choices,
        },
    )


def _application(request: HttpRequest, reference: str) -> MembershipApplication:
    return get_object_or_404(MembershipApplication, reference=reference[:20])


@actor_required("members.view_applications")
def application_detail(request: HttpRequest, reference: str) -> HttpResponse:
    application = _application(request, reference)
    return render(
        request,
        "members/applications/detail.html",
        {
            "application": application,
            "can_manage": request.actor.has_perm("members.manage_applications"),  # type: ignore[attr-defined]
            "meetings": domain.application_agenda_meetings(),
        },
    )


@actor_required("members.view_applications")
def application_document(request: HttpRequest, reference: str) -> HttpResponse:
    application = _application(request, reference)
    if not application.document:
        raise Http404("No document.")
    with application.document.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{application.reference}.pdf"'
    return response


@require_POST
@actor_required("members.manage_applications")
def application_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    """Check, reject or put on an EXCOM agenda; a refusal is said on the page."""
    application = _application(request, reference)
    actor = request.actor  # type: ignore[attr-defined]
    try:
        if action == "check":
            domain.application_check(
                actor=actor, application=application, note=request.POST.get("note", "")
            )
            messages.success(request, f"{application.reference} checked.")
        elif action == "reject":
            domain.application_reject(
                actor=actor, application=application, reason=request.POST.get("reason", "")
            )
            messages.success(request, f"{application.reference} rejected.")
        elif action == "agenda":
            row = domain.application_put_on_agenda(
                actor=actor, application=application, meeting=request.POST.get("meeting", "")
            )
            messages.success(request, f"{application.reference} is on {row.agenda}.")
        else:
            raise Http404("No such action.")
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("members:application", reference=application.reference)
