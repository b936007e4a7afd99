"""Index pages: ranking with rank intervals, city profiles, CSV export, data import and the
computation (queued for the task worker). Views are thin."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from urbis.common.actor import actor_required, request_actor
from urbis.common.exports import csv_bytes
from urbis.common.imports import ImportFileError, upload_read
from urbis.common.inputs import InputError, optional, parse_int
from urbis.index import charts, domain, exports, jobs, queries
from urbis.index.engine.ratings import GRADES, TIER_SCALES
from urbis.index.forms import ComputeForm, ImportForm
from urbis.index.models import Computation, Edition

SYNTHETIC_LABEL = "SYNTHETIC demonstration data: not survey results, not official HDI values."


def home(request: HttpRequest) -> HttpResponse:
    latest = queries.editions().first()
    if latest is not None:
        return redirect("index:ranking", year=latest.year)
    return render(request, "index/empty.html")


def _edition(year: int) -> tuple[Edition, Computation | None]:
    edition = get_object_or_404(Edition, year=year)
    return edition, queries.latest_computation(edition)


def ranking(request: HttpRequest, year: int) -> HttpResponse:
    edition, computation = _edition(year)
    try:
        top = max(TIER_SCALES)
        tier = optional(parse_int, request.GET.get("tier"), field="tier", min=0, max=top) or 0
    except InputError:
        tier = 0
    rows = []
    total = 0
    if computation is not None:
        results = list(queries.ranking(computation, tier=tier or None))
        total = computation.results.count()
        rows = [
            (r, charts.interval(r.rank_low, r.rank_high, r.rank, r.median_rank, total))
            for r in results
        ]
    context = {
        "edition": edition,
        "computation": computation,
        "rows": rows,
        "total": total,
        "tier": tier,
        "tiers": [(t, f"Tier {t}: {s[0]}-{s[-1]}") for t, s in TIER_SCALES.items()],
        "synthetic_label": SYNTHETIC_LABEL,
        "editions": queries.editions(),
    }
    return render(request, "index/ranking.html", context)


def city(request: HttpRequest, year: int, slug: str) -> HttpResponse:
    edition, computation = _edition(year)
    if computation is None:
        raise Http404("This edition has not been computed.")
    profile = queries.city_profile(computation, slug)
    if profile is None:
        raise Http404("No such city in this edition.")
    result = profile["result"]
    probabilities = [(g, result.rating_probabilities.get(g, 0.0)) for g in GRADES]
    context = {
        "edition": edition,
        "computation": computation,
        "synthetic_label": SYNTHETIC_LABEL,
        **profile,
        "area_rows": list(
            zip(
                profile["areas"],
                charts.bars([(a.label, a.mean, a.tier_mean) for a in profile["areas"]]),
                strict=True,
            )
        ),
        "pillar_bars": charts.bars([(label, v, None) for label, v in profile["pillars"]]),
        "probability_bars": charts.bars(
            [(g, 100 * p, None) for g, p in probabilities if g in TIER_SCALES[result.tier]]
        ),
        "interval": charts.interval(
            result.rank_low, result.rank_high, result.rank, result.median_rank, profile["total"]
        ),
        "scale": TIER_SCALES[result.tier],
    }
    trend = queries.city_trend(result.city)
    item_trends = queries.city_indicator_trends(result.city)
    years = sorted({y for _, _, by_year in item_trends for y in by_year})
    context["trend"] = list(
        zip(trend, charts.bars([(str(t.year), t.score, None) for t in trend]), strict=True)
    )
    context["trend_years"] = years
    context["item_trends"] = [
        (code, statement, [by_year.get(y) for y in years])
        for code, statement, by_year in item_trends
    ]
    return render(request, "index/city.html", context)


def export(request: HttpRequest, year: int) -> HttpResponse:
    """The ranking as CSV; synthetic data say so in a first line and in every row."""
    edition, computation = _edition(year)
    if computation is None:
        raise Http404("This edition has not been computed.")
    preamble = [[f"# {SYNTHETIC_LABEL}"]] if edition.synthetic else []
    headers = ["rank", "city", "country", "tier", "hdi", "score", "rating", "median_rank",
               "rank_5", "rank_95", "data"]  # fmt: skip
    rows = [
        [r.rank, r.city.name, getattr(r.city.country, "code", ""), r.tier, f"{r.hdi:.3f}",
         "" if r.score is None else f"{r.score:.1f}", r.rating, r.median_rank,
         r.rank_low, r.rank_high, "synthetic" if edition.synthetic else "survey"]
        for r in queries.ranking(computation)
    ]  # fmt: skip
    response = HttpResponse(
        csv_bytes(headers, rows, preamble=preamble), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="index-{edition.year}.csv"'
    return response


@actor_required("index.import_data")
def data_import(request: HttpRequest, year: int) -> HttpResponse:
    """Upload a CSV/XLSX file; a bad file lists every bad row and writes nothing."""
    edition = get_object_or_404(Edition, year=year)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    imported = None
    if request.method == "POST" and form.is_valid():
        name, data = upload_read(form.cleaned_data["file"], default_name="")
        try:
            imported = domain.data_import(
                edition=edition, kind=form.cleaned_data["kind"], data=data,
                name=name, actor=request_actor(request),
            )  # fmt: skip
        except ImportFileError as exc:
            errors = [str(e) for e in exc.errors]
        except ValidationError as exc:
            errors = exc.messages
    context = {"edition": edition, "form": form, "errors": errors, "imported": imported,
               "synthetic_label": SYNTHETIC_LABEL}  # fmt: skip
    return render(request, "index/import.html", context, status=400 if errors else 200)


@require_POST
@actor_required("index.compute")
def compute(request: HttpRequest, year: int) -> HttpResponse:
    """Queue a computation of the edition; its job page follows the Monte Carlo runs."""
    edition = get_object_or_404(Edition, year=year)
    form = ComputeForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(str(e) for e in errors)}")
        return redirect("index:ranking", year=year)
    try:
        job = jobs.index_compute_enqueue(
            actor=request_actor(request), edition=edition, **form.cleaned_data
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("index:ranking", year=year)
    return redirect("common:job_detail", job_id=job.pk)


@actor_required("index.audit")
def audit(request: HttpRequest, year: int) -> HttpResponse:
    """The coherence audit of an edition before publication (staff only)."""
    edition = get_object_or_404(Edition, year=year)
    corrected = request.GET.get("moments") == "sample"
    report = queries.edition_audit(edition, bias_corrected=corrected)
    context: dict[str, object] = {
        "edition": edition,
        "report": report,
        "corrected": corrected,
        "synthetic_label": SYNTHETIC_LABEL,
    }
    if report.audit is not None:
        a = report.audit
        availability = charts.bars([(s.code, 100 * s.availability, None) for s in a.indicators])
        alpha = charts.bars(
            [(al.group, None if al.alpha is None else 100 * max(al.alpha, 0), 70.0)
             for al in a.alphas]
        )  # fmt: skip
        pca = charts.bars(
            [(c.group, 100 * c.variance_explained[0] if c.variance_explained else None, None)
             for c in a.components]
        )  # fmt: skip
        context["indicator_rows"] = list(zip(a.indicators, availability, strict=True))
        context["alpha_rows"] = list(zip(a.alphas, alpha, strict=True))
        context["pca_rows"] = [
            ({"level": c.level, "group": c.group,
              "pairs": list(zip(c.children, c.loadings, strict=False))},  # no PCA: none
             bar)
            for c, bar in zip(a.components, pca, strict=True)
        ]  # fmt: skip
        context["flagged"] = a.flagged()
    return render(request, "index/audit.html", context, status=200 if report.audit else 400)


@actor_required("index.audit")
def audit_export(request: HttpRequest, year: int) -> HttpResponse:
    """The coherence audit as an XLSX workbook."""
    edition = get_object_or_404(Edition, year=year)
    report = queries.edition_audit(edition)
    if report.audit is None:
        raise Http404(report.problem)
    note = SYNTHETIC_LABEL if edition.synthetic else ""
    response = HttpResponse(
        exports.audit_workbook(report, note),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="index-{edition.year}-audit.xlsx"'
    return response
