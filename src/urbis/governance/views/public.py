"""Pages anyone may read: meetings (an unpublished one only for staff), office holders and
statutes on a date, and a meeting's memorandum as a page and a PDF.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from urbis.common.actor import actor_of
from urbis.common.inputs import or_default, parse_date
from urbis.common.pdf import render_pdf
from urbis.governance import queries
from urbis.governance.models import Meeting


def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = Meeting.objects.select_related("host").order_by("-date", "body")
    return render(request, "governance/meeting_list.html", {"meetings": meetings})


def _published_or_staff(request: HttpRequest, meeting: Meeting) -> None:
    """Only published minutes are public; the secretariat and the EXCOM read drafts."""
    actor = actor_of(request)
    if meeting.status != "published" and not (actor and actor.has_perm("governance.view_register")):
        raise PermissionDenied(f"The minutes of {meeting} are not published yet.")


def meeting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    return render(
        request,
        "governance/meeting_detail.html",
        {"meeting": meeting, "items": queries.agenda(meeting)},
    )


def offices(request: HttpRequest) -> HttpResponse:
    """Who held what on a date (today by default)."""
    on = or_default(parse_date, request.GET.get("on"), dt.date.today(), field="on")
    return render(request, "governance/offices.html", {"on": on, "terms": queries.terms_on(on)})


def statutes(request: HttpRequest) -> HttpResponse:
    on = or_default(parse_date, request.GET.get("on"), dt.date.today(), field="on")
    rows = queries.articles_with_text(on)
    return render(request, "governance/statutes.html", {"on": on, "rows": rows})


def memorandum(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    _published_or_staff(request, meeting)
    return render(request, "governance/memorandum.html", {"memo": queries.memorandum(meeting)})


def memorandum_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    _published_or_staff(request, meeting)
    pdf = render_pdf("governance/memorandum_pdf.html", {"memo": queries.memorandum(meeting)})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="memorandum-{meeting.slug}.pdf"'
    return response
