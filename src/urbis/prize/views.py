"""Prize pages. Views parse input, call a query or a domain function, and render."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from rules import has_perm as permission_granted

from urbis.common.pdf import render_pdf
from urbis.prize import domain, queries, rules
from urbis.prize.forms import ApplicationForm, ConflictForm, TriageForm
from urbis.prize.models import (
    Application,
    Assignment,
    Award,
    Bid,
    Conflict,
    Edition,
    Round,
    SupportingDocument,
)

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
    today = timezone.localdate()
    editions = list(Edition.objects.order_by("-year").prefetch_related("rounds"))
    for e in editions:
        e.call_open = (
            rules.call_error(  # type: ignore[attr-defined]
                on=today, call_opens=e.call_opens, call_closes=e.call_closes
            )
            is None
        )
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
            if "agreement_level" in request.POST:
                domain.edition_set_agreement_level(
                    actor=request.user,
                    edition=round_.edition,
                    level=request.POST["agreement_level"],
                )
                messages.success(request, "Level of measurement changed.")
            else:
                domain.edition_set_aggregation(
                    actor=request.user,
                    edition=round_.edition,
                    aggregation=request.POST.get("aggregation", ""),
                )
                messages.success(request, "Aggregation changed.")
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        except PermissionDenied:
            messages.error(request, "Only the secretariat may change the edition's settings.")
        return redirect("prize:round", year=year, number=number)
    context = {
        "round": round_,
        "edition": round_.edition,
        "sensitivity": queries.sensitivity(round_),
        "agreement": queries.agreement_table(round_),
        "levels": rules.AGREEMENT_LEVELS,
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
    call_closed = rules.call_error(
        on=timezone.localdate(), call_opens=edition.call_opens, call_closes=edition.call_closes
    )
    if app is None and call_closed and not request.user.has_perm("prize.manage_edition"):
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
    context = {"edition": edition, "form": form, "app": app, "call_closed": call_closed}
    return render(request, "prize/apply.html", context)


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
    """An evaluator's own assignments (conflicted ones never appear), with progress and
    deadline per round."""
    context = {
        "assignments": queries.assignments_of(request.user),
        "progress": queries.review_progress(request.user),
    }
    return render(request, "prize/my_reviews.html", context)


@login_required
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """A supporting document, shown inline (PDFs open in the page) to whoever may see
    its application: its applicant, staff, EXCOM, an evaluator assigned to it."""
    doc = get_object_or_404(SupportingDocument.objects.select_related("application"), pk=pk)
    if not request.user.has_perm("prize.view_application", doc.application):
        raise PermissionDenied
    name = doc.file.name.rsplit("/", 1)[-1]
    with doc.file.open("rb") as handle:
        body = handle.read()
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluator's workspace for one assignment: the application and its documents,
    the rubric with each level's meaning, scores and comments, saved as a draft or
    submitted; a conflict can be declared from here."""
    assignment = get_object_or_404(
        Assignment.objects.select_related(
            "round", "round__edition", "application", "application__category", "evaluator"
        ),
        pk=pk,
    )
    # The rule, not has_perm: a superuser scores only through an assignment of their own.
    if not permission_granted("prize.review_assignment", request.user, assignment):
        raise PermissionDenied
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
            codes = [c.code for c, _ in queries.leaf_criteria(assignment.round.edition)]
            scores = {code: request.POST.get(code, "") for code in codes}
            comments = {code: request.POST.get(f"comment-{code}", "") for code in codes}
            comment = request.POST.get("comment", "")
            try:
                if "draft" in request.POST:
                    domain.review_save_draft(
                        actor=request.user,
                        assignment=assignment,
                        scores=scores,
                        comments=comments,
                        comment=comment,
                    )
                    messages.success(request, "Draft saved; it is not submitted yet.")
                    return redirect("prize:review", pk=pk)
                domain.review_submit(
                    actor=request.user,
                    assignment=assignment,
                    scores=scores,
                    comments=comments,
                    comment=comment,
                )
                messages.success(request, "Review submitted.")
                return redirect("prize:my_reviews")
            except ValidationError as exc:
                errors = exc.message_dict
    workspace = queries.review_workspace(assignment)
    if request.method == "POST" and errors:
        for row in workspace["rubric"]:
            code = row["criterion"].code
            row["value"] = request.POST.get(code, row["value"])
            row["comment"] = request.POST.get(f"comment-{code}", row["comment"])
        workspace["comment"] = request.POST.get("comment", workspace["comment"])
    for row in workspace["rubric"]:
        row["errors"] = errors.get(row["criterion"].code, [])
    context = {
        "assignment": assignment,
        "w": workspace,
        "errors": errors,
        "closed": assignment.round.status == Round.Status.CLOSED,
        "progress": next(
            (
                p
                for p in queries.review_progress(request.user)
                if p["round"] == assignment.round.name
            ),
            None,
        ),
    }
    return render(request, "prize/review.html", context)


@login_required
def bids(request: HttpRequest, year: int) -> HttpResponse:
    """An evaluator's expertise areas and bids on the edition's applications."""
    edition = _edition(year)
    evaluator = queries.evaluator_for(request.user, edition)
    if evaluator is None:
        raise PermissionDenied
    if request.method == "POST":
        raw = {k[4:]: v for k, v in request.POST.items() if k.startswith("bid-")}
        try:
            choices: dict[int, str] = {}
            for key, level in raw.items():
                if not key.isdigit():
                    raise ValidationError({key: f"'{key}' is not an application id."})
                choices[int(key)] = level
            domain.bids_save(
                actor=request.user,
                evaluator=evaluator,
                expertise=request.POST.get("expertise", "").split(","),
                bids=choices,
            )
            messages.success(request, "Expertise and bids saved.")
            return redirect("prize:bids", year=year)
        except ValidationError as exc:
            messages.error(
                request, "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            )
    context = {
        "edition": edition,
        "evaluator": evaluator,
        "rows": queries.bidding(evaluator),
        "levels": Bid.Level.choices,
    }
    return render(request, "prize/bids.html", context)


@login_required
def conflicts(request: HttpRequest, year: int) -> HttpResponse:
    """Staff: the edition's conflicts; an automatic one can be waived with a reason."""
    if not request.user.has_perm("prize.manage_edition"):
        raise PermissionDenied
    edition = _edition(year)
    if request.method == "POST":
        raw = request.POST.get("conflict", "")
        conflict = (
            Conflict.objects.filter(pk=int(raw), evaluator__edition=edition).first()
            if raw.isdigit()
            else None
        )
        if conflict is None:
            messages.error(request, f"conflict: '{raw}' is not a conflict of this edition.")
        else:
            try:
                domain.conflict_waive(
                    actor=request.user, conflict=conflict, reason=request.POST.get("reason", "")
                )
                messages.success(request, "Conflict waived.")
            except ValidationError as exc:
                messages.error(request, "; ".join(exc.messages))
        return redirect("prize:conflicts", year=year)
    page = Paginator(queries.conflicts_of(edition), 100).get_page(request.GET.get("page"))
    return render(request, "prize/conflicts.html", {"edition": edition, "page": page})


MANAGE_ACTIONS = {
    "publish_call": "Call for applications published: the members' focal points receive it.",
    "detect_conflicts": "Conflicts detected.",
    "open_round": "Round opened.",
    "assign": "Evaluators assigned.",
    "allocate_awards": "Awards allocated.",
    "publish": "Results published.",
    "withdraw": "Results withdrawn from the public pages.",
}


def _round_number(request: HttpRequest) -> int | None:
    """The round named by the form, as a number; a clear error when it is not one."""
    raw = request.POST.get("round", "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationError({"round": f"'{raw}' is not a round number."}) from None


def _manage_action(request: HttpRequest, edition: Edition, action: str) -> None:
    """Call the one domain function the staff's button names."""
    round_ = None
    if (number := _round_number(request)) is not None:
        round_ = Round.objects.filter(edition=edition, number=number).first()
        if round_ is None:
            raise ValidationError({"round": f"{edition.name} has no round {number}."})
    if action == "publish_call":
        domain.call_publish(actor=request.user, edition=edition)
    elif action == "detect_conflicts":
        domain.conflicts_detect(actor=request.user, edition=edition)
    elif action == "open_round" and round_:
        domain.round_open(actor=request.user, round_=round_)
    elif action == "assign" and round_:
        domain.assignments_generate(actor=request.user, round_=round_)
    elif action == "allocate_awards":
        domain.awards_allocate(actor=request.user, edition=edition)
    elif action == "publish":
        domain.results_publish(
            actor=request.user, edition=edition, confirm=request.POST.get("confirm") == "yes"
        )
    elif action == "withdraw":
        domain.results_withdraw(
            actor=request.user, edition=edition, reason=request.POST.get("reason", "")
        )
    else:
        raise ValidationError({"action": f"Unknown action '{action}'."})


@login_required
def round_close(request: HttpRequest, year: int, number: int) -> HttpResponse:
    """Close a round: first what is missing (reviews not done, per application and
    evaluator); closing with reviews missing needs a reason."""
    if not request.user.has_perm("prize.manage_edition"):
        raise PermissionDenied
    round_ = get_object_or_404(
        Round.objects.select_related("edition"), edition__year=year, number=number
    )
    error = ""
    if request.method == "POST":
        try:
            outcome = domain.round_close(
                actor=request.user,
                round_=round_,
                force_reason=request.POST.get("force_reason", ""),
            )
            messages.success(
                request,
                f"{round_.name} closed; {outcome['advanced']} application(s) advance."
                + (
                    f" Closed with {outcome['missing']} review(s) missing."
                    if outcome["missing"]
                    else ""
                ),
            )
            return redirect("prize:manage", year=year)
        except ValidationError as exc:
            error = "; ".join(exc.messages)
    context = {
        "round": round_,
        "edition": round_.edition,
        "missing": queries.round_missing(round_) if round_.status == Round.Status.OPEN else [],
        "applications": queries.round_applications(round_).count(),
        "error": error,
    }
    return render(request, "prize/round_close.html", context)


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
    context = {
        "edition": edition,
        "awards_missing": queries.awards_missing(edition),
        **queries.edition_overview(edition),
    }
    return render(request, "prize/manage.html", context)
