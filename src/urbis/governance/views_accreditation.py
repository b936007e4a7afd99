"""The accreditation page of a meeting (staff): which members' delegations are accredited,
their heads of delegation, who is present on site or online, observers apart; a search, a
CSV export, and a form to accredit a delegate (an online delegate, say, who has no badge)."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from urbis.common.exports import CONTENT_TYPES, csv_bytes
from urbis.governance import domain, rules
from urbis.governance.models import Delegate, Meeting, Mode
from urbis.governance.queries import organisation_choices
from urbis.governance.queries.accreditation import AccreditationRow, accreditation

CSV_HEADERS = [
    "organisation_id",
    "organisation",
    "category",
    "counts",
    "head_of_delegation",
    "head_email",
    "delegates",
    "attendance",
    "arrived_at",
]


class AccreditForm(forms.Form):
    """A delegate accredited by staff; the e-mail is the delegate's own (ballot link)."""

    organisation = forms.ModelChoiceField(queryset=organisation_choices())
    name = forms.CharField(max_length=200)
    position = forms.CharField(max_length=300, required=False)
    email = forms.EmailField(required=False, label="E-mail")
    role = forms.ChoiceField(choices=Delegate.Role.choices, initial=Delegate.Role.HEAD)
    mode = forms.ChoiceField(choices=Mode.choices, initial=Mode.ON_SITE, label="Attendance")


def csv_rows(meeting: Meeting, rows: list[AccreditationRow]) -> list[list[object]]:
    """The export's rows: times in the meeting's zone."""
    zone = zoneinfo.ZoneInfo(meeting.time_zone)
    out: list[list[object]] = []
    for r in rows:
        arrived = ""
        if r.arrived_at is not None:
            arrived = timezone.localtime(r.arrived_at, zone).strftime("%Y-%m-%d %H:%M")
        out.append(
            [
                r.organisation.pk,
                r.organisation.name,
                r.organisation.get_category_display(),
                r.role_label,
                r.head.name if r.head else "",
                r.head.email if r.head else "",
                len(r.delegates),
                r.attendance_label,
                arrived,
            ]
        )
    return out


@permission_required("governance.run_meeting", raise_exception=True)
def accreditation_page(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    q = request.GET.get("q", "")[:100]
    rows = accreditation(meeting, q=q)
    if request.GET.get("format") == "csv":
        data = csv_bytes(CSV_HEADERS, csv_rows(meeting, rows))
        response = HttpResponse(data, content_type=CONTENT_TYPES["csv"])
        response["Content-Disposition"] = f'attachment; filename="accreditation-{slug}.csv"'
        return response
    members = [r for r in rows if r.role != rules.OBSERVER]
    observers = [r for r in rows if r.role == rules.OBSERVER]
    context = {
        "meeting": meeting,
        "q": q,
        "members": members,
        "observers": observers,
        "present": sum(1 for r in members if r.attendance),
        "form": AccreditForm(),
    }
    return render(request, "governance/accreditation.html", context)


@require_POST
@permission_required("governance.run_meeting", raise_exception=True)
def accredit(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    form = AccreditForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        return redirect("governance:accreditation", slug=slug)
    data = form.cleaned_data
    try:
        delegate = domain.delegate_accredit(
            actor=request.user,
            meeting=meeting,
            organisation=data["organisation"],
            name=data["name"],
            position=data["position"],
            email=data["email"],
            role=data["role"],
            mode=data["mode"],
        )
    except ValidationError as exc:
        messages.error(request, "; ".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        messages.success(request, f"{delegate.name} ({delegate.organisation}) is accredited.")
    return redirect("governance:accreditation", slug=slug)
