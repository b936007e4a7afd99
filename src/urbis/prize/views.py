"""Prize pages. Views parse input, call a query or a domain function, and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from urbis.common.pdf import render_pdf
from urbis.prize import domain, queries
from urbis.prize.forms import ApplicationForm, ConflictForm, TriageForm
from urbis.prize.models import Application, Assignment, Award, Edition, Round

CERTIFICATE_CSS = """
@page { size: A4 landscape; margin: 20mm; @bottom-center { content: none; } }
body { font-size: 14pt; }
"""


def _edition(year: int) -> Edition:
    return get_object_or_404(Edition, year=year)


def _visible_results(request: HttpRequest, year: int) -> Edition:
    edition = _edition(year)
    if not edition.results_published and not request.user.has_perm("prize.manage_edition"):
        raise Http404("The results of this edition are not published yet.")
    return edition


def index(request: HttpRequest) -> HttpResponse:
    """The prize's editions: the call if one is open, the published results."""
    editions = Edition.objects.order_by("-year")
    return render(request, "prize/index.html", {"editions": editions})


def results(request: HttpRequest, year: int) -> HttpResponse:
    """Public results: winners per category and the partners' special mentions."""
    edition = _visible_results(request, year)
    context = {
        "edition": edition,
        "groups": queries.results(edition),
        "committees": edition.committees.prefetch_related("members").order_by("kind"),
    }
    return render(request, "prize/results.html", context)


def certificate(request: HttpRequest, year: int, award_id: int) -> HttpResponse:
    """The certificate of one award, as PDF."""
    edition = _visible_results(request, year)
    award = get_object_or_404(
        Award.objects.select_related("kind", "kind__category", "application"),
        pk=award_id,
        kind__edition=edition,
    )
    pdf = render_pdf(
        "prize/certificate.html",
        {"edition": edition, "award": award},
        extra_css=CERTIFICATE_CSS,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{year}-{award.pk}.pdf"'
    return response


@login_required
def run_sheet(request: HttpRequest, year: int) -> HttpResponse:
    """The ceremony run-sheet: awards in order with presenters and recipients."""
    if not request.user.has_perm("prize.manage_edition"):
        raise PermissionDenied
    edition = _edition(year)
    context = {"edition": edition, "sheet": queries.run_sheet(edition)}
    if request.GET.get("format") == "pdf":
        pdf = render_pdf("prize/run_sheet_pdf.html", context)
        return HttpResponse(pdf, content_type="application/pdf")
    return render(request, "prize/run_sheet.html", context)


@login_required
def round_view(request: HttpRequest, year: int, number: int) -> HttpResponse:
    """Ranking, agreement and the sensitivity of the ranking to the aggregation."""
    if not request.user.has_perm("prize.view_all_applications"):
        raise PermissionDenied
    round_ = get_object_or_404(
        Round.objects.select_related("edition"), edition__year=year, number=number
    )
    if request.method == "POST":
        try:
            domain.edition_set_aggregation(
                actor=request.user,
                edition=round_.edition,
                aggregation=request.POST.get("aggregation", ""),
            )
            messages.success(request, "Aggregation changed.")
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        except PermissionDenied:
            messages.error(request, "Only the secretariat may change the aggregation.")
        return redirect("prize:round", year=year, number=number)
    context = {
        "round": round_,
        "edition": round_.edition,
        "sensitivity": queries.sensitivity(round_),
        "agreement": queries.agreement_table(round_),
    }
    return render(request, "prize/round.html", context)


@login_required
def apply(request: HttpRequest, year: int, reference: str = "") -> HttpResponse:
    """The application form: save a draft, then submit it."""
    edition = _edition(year)
    app = None
    if reference:
        app = get_object_or_404(Application, reference=reference, edition=edition)
        if not request.user.has_perm("prize.view_application", app):
            raise PermissionDenied
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
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("document")
        try:
            app = domain.application_save_draft(
                actor=request.user,
                edition=edition,
                category=form.cleaned_data["category"],
                application=app,
                documents=[(form.cleaned_data.get("document_title", ""), upload)] if upload else [],
                **form.domain_fields(),
            )
            if "submit" in request.POST:
                domain.application_submit(actor=request.user, application=app)
                messages.success(request, f"{app.reference} submitted.")
                return redirect("prize:my_applications")
            messages.success(request, f"Draft {app.reference} saved.")
            return redirect("prize:edit", year=year, reference=app.reference)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    return render(request, "prize/apply.html", {"edition": edition, "form": form, "app": app})


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "prize/my_applications.html",
        {"applications": queries.applications_of(request.user)},
    )


@login_required
def triage(request: HttpRequest, year: int) -> HttpResponse:
    if not request.user.has_perm("prize.triage_application"):
        raise PermissionDenied
    edition = _edition(year)
    status = request.GET.get("status", "submitted")
    context = {
        "edition": edition,
        "applications": queries.triage_list(edition, status=status),
        "status": status,
        "statuses": Application.Status.choices,
    }
    return render(request, "prize/triage.html", context)


@login_required
@require_POST
def triage_decide(request: HttpRequest, reference: str) -> HttpResponse:
    app = get_object_or_404(Application.objects.select_related("edition"), reference=reference)
    form = TriageForm(request.POST)
    if form.is_valid():
        try:
            domain.application_triage(
                actor=request.user,
                application=app,
                eligible=form.cleaned_data["eligible"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, f"{app.reference} triaged.")
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
    return redirect("prize:triage", year=app.edition.year)


@login_required
def my_reviews(request: HttpRequest) -> HttpResponse:
    """An evaluator's own assignments (conflicted ones never appear)."""
    return render(
        request, "prize/my_reviews.html", {"assignments": queries.assignments_of(request.user)}
    )


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(
        Assignment.objects.select_related("round", "round__edition", "application", "evaluator"),
        pk=pk,
    )
    if not request.user.has_perm("prize.review_assignment", assignment):
        raise PermissionDenied
    leaves = queries.leaf_criteria(assignment.round.edition)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if "conflict" in request.POST:
            form = ConflictForm(request.POST)
            if form.is_valid():
                domain.conflict_declare(
                    actor=request.user,
                    evaluator=assignment.evaluator,
                    application=assignment.application,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, "Conflict declared; the assignment was removed.")
                return redirect("prize:my_reviews")
            errors = {"reason": ["Say what the conflict is."]}
        else:
            scores = {c.code: request.POST.get(c.code, "") for c, _ in leaves}
            try:
                domain.review_submit(actor=request.user, assignment=assignment, scores=scores)  # type: ignore[arg-type]
                messages.success(request, "Review saved.")
                return redirect("prize:my_reviews")
            except ValidationError as exc:
                errors = exc.message_dict
    current = {s.criterion_id: s.value for s in assignment.scores.all()}
    rows = [
        {
            "criterion": c,
            "weight": w,
            "value": request.POST.get(c.code, current.get(c.pk, "")),
            "errors": errors.get(c.code, []),
        }
        for c, w in leaves
    ]
    edition = assignment.round.edition
    context = {
        "assignment": assignment,
        "rows": rows,
        "errors": errors,
        "scale": range(edition.scale_min, edition.scale_max + 1),
        "closed": assignment.round.status == Round.Status.CLOSED,
    }
    return render(request, "prize/review.html", context)


MANAGE_ACTIONS = {
    "detect_conflicts": "Conflicts detected.",
    "open_round": "Round opened.",
    "assign": "Evaluators assigned.",
    "close_round": "Round closed.",
    "allocate_awards": "Awards allocated.",
    "publish": "Results published.",
}


def _manage_action(request: HttpRequest, edition: Edition, action: str) -> None:
    """Call the one domain function the staff's button names."""
    round_ = None
    if request.POST.get("round"):
        round_ = get_object_or_404(Round, edition=edition, number=request.POST["round"])
    if action == "detect_conflicts":
        domain.conflicts_detect(actor=request.user, edition=edition)
    elif action == "open_round" and round_:
        domain.round_open(actor=request.user, round_=round_)
    elif action == "assign" and round_:
        domain.assignments_generate(actor=request.user, round_=round_)
    elif action == "close_round" and round_:
        domain.round_close(actor=request.user, round_=round_)
    elif action == "allocate_awards":
        domain.awards_allocate(actor=request.user, edition=edition)
    elif action == "publish":
        domain.results_publish(actor=request.user, edition=edition)
    else:
        raise ValidationError({"action": f"Unknown action '{action}'."})


@login_required
def manage(request: HttpRequest, year: int) -> HttpResponse:
    """Staff page of an edition: conflicts, rounds (open, assign, close), awards."""
    if not request.user.has_perm("prize.manage_edition"):
        raise PermissionDenied
    edition = _edition(year)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            _manage_action(request, edition, action)
            messages.success(request, MANAGE_ACTIONS.get(action, "Done."))
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        return redirect("prize:manage", year=year)
    return render(
        request, "prize/manage.html", {"edition": edition, **queries.edition_overview(edition)}
    )
