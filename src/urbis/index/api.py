"""REST endpoints of the index: editions, rankings with intervals, cities (public reads), and
the computation of an edition as a background job (secretariat)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from urbis.common.actor import ACTOR_AUTH, permission_required, request_actor
from urbis.common.api import JobOut
from urbis.common.errors import ErrorOut, error_body
from urbis.common.imports import ImportFileError, upload_read
from urbis.index import domain, jobs, queries
from urbis.index.models import City, CityResult, Computation, Edition

router = Router(tags=["index"])


class EditionOut(Schema):
    year: int
    title: str
    synthetic: bool
    cutpoints: dict
    computed: bool


class CityResultOut(Schema):
    city: str = Field(validation_alias="city.name")
    slug: str = Field(validation_alias="city.slug")
    country: str
    tier: int
    hdi: float
    score: float | None
    rank: int
    rating: str
    median_rank: int
    rank_low: int
    rank_high: int
    rating_probabilities: dict[str, float]
    pillars: dict[str, float]
    areas: dict[str, float]
    pooling: dict

    @staticmethod
    def resolve_country(obj: CityResult) -> str:
        return str(obj.city.country)


class RankingOut(Schema):
    edition: int
    synthetic: bool
    runs: int
    seed: int
    waves: list[int]
    methods: dict
    uncertainty: dict
    sensitivity: list
    results: list[CityResultOut]


def _computation(year: int) -> tuple[Edition, Computation]:
    edition = get_object_or_404(Edition, year=year)
    computation = queries.latest_computation(edition)
    if computation is None:
        raise Http404("This edition has not been computed.")
    return edition, computation


@router.get("/editions", response=list[EditionOut])
def edition_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "year": e.year,
            "title": e.title,
            "synthetic": e.synthetic,
            "cutpoints": e.cutpoints,
            "computed": e.computations.exists(),
        }
        for e in queries.editions()
    ]


@router.get("/editions/{year}/ranking", response=RankingOut)
def edition_ranking(request: HttpRequest, year: int, tier: int | None = None) -> dict[str, Any]:
    edition, computation = _computation(year)
    return {
        "edition": edition.year,
        "synthetic": edition.synthetic,
        "runs": computation.runs,
        "seed": computation.seed,
        "waves": computation.waves,
        "methods": computation.methods,
        "uncertainty": computation.uncertainty,
        "sensitivity": computation.sensitivity,
        "results": list(queries.ranking(computation, tier=tier)),
    }


@router.get("/editions/{year}/cities/{slug}", response=CityResultOut)
def city_result(request: HttpRequest, year: int, slug: str) -> CityResult:
    _, computation = _computation(year)
    return get_object_or_404(queries.ranking(computation), city__slug=slug)


class ComputeIn(Schema):
    runs: int = 1000
    seed: int = 2023
    sobol_samples: int = 256


@router.post("/editions/{year}/computations", response={202: JobOut}, auth=ACTOR_AUTH)
@permission_required("index.compute")
def compute(request: HttpRequest, year: int, payload: ComputeIn) -> Status:
    """Queue a computation of the edition for the task worker (secretariat); poll the job
    (`GET /api/v1/jobs/{id}`) for its progress. Bad parameters are a 422 naming the field."""
    edition = get_object_or_404(Edition, year=year)
    job = jobs.index_compute_enqueue(
        actor=request_actor(request),
        edition=edition,
        runs=payload.runs,
        seed=payload.seed,
        sobol_samples=payload.sobol_samples,
    )
    return Status(202, job)


class IndicatorStatsOut(Schema):
    code: str
    parent: str
    available: int
    availability: float
    mean: float | None
    sd: float | None
    min: float | None
    max: float | None
    skew: float | None
    kurtosis: float | None
    treatment: str
    points: int


class PairOut(Schema):
    level: str
    group: str
    a: str
    b: str
    r: float | None
    flag: str


class CrossOut(Schema):
    level: str
    code: str
    against: str
    parent: str
    r: float | None
    flag: str


class AlphaOut(Schema):
    level: str
    group: str
    children: int
    cities: int
    alpha: float | None


class ComponentsOut(Schema):
    level: str
    group: str
    children: list[str]
    variance_explained: list[float]
    loadings: list[float]


class AuditOut(Schema):
    edition: int
    synthetic: bool
    waves: list[int]
    moments: str
    thresholds: dict[str, float]
    indicators: list[IndicatorStatsOut]
    correlations: list[PairOut]
    across_levels: list[CrossOut]
    alphas: list[AlphaOut]
    components: list[ComponentsOut]
    cities: list[dict]


@router.get("/editions/{year}/audit", response={200: AuditOut, 400: ErrorOut}, auth=ACTOR_AUTH)
@permission_required("index.audit")
def edition_audit(
    request: HttpRequest, year: int, moments: str = "population"
) -> Status | dict[str, Any]:
    """The coherence audit of an edition (secretariat): indicator statistics, correlations
    within and across levels with flags, Cronbach's alpha, principal components.
    `moments`: "population" (urbis) or "sample" (bias-corrected, as COINr)."""
    if moments not in ("population", "sample"):
        return Status(400, {"detail": "moments: choose population or sample."})
    edition = get_object_or_404(Edition, year=year)
    report = queries.edition_audit(edition, bias_corrected=moments == "sample")
    if report.audit is None:
        return Status(400, {"detail": report.problem})
    a = report.audit
    return {
        "edition": edition.year,
        "synthetic": edition.synthetic,
        "waves": report.waves,
        "moments": moments,
        "thresholds": a.thresholds,
        "indicators": a.indicators,
        "correlations": a.pairs,
        "across_levels": a.cross,
        "alphas": a.alphas,
        "components": a.components,
        "cities": [
            {"city": name, "availability": share}
            for name, share in zip(report.cities, a.city_availability, strict=True)
        ],
    }


class CityEditionOut(Schema):
    year: int
    rank: int
    cities: int
    score: float | None
    rating: str
    rank_low: int
    rank_high: int
    tier: int
    pillars: dict[str, float | None]


class CityTrendOut(Schema):
    id: int
    city: str
    slug: str
    editions: list[CityEditionOut]


@router.get("/cities/{slug}/trend", response=CityTrendOut)
def city_trend(request: HttpRequest, slug: str) -> dict[str, Any]:
    """A city's published result in every computed edition, oldest first."""
    city = get_object_or_404(City, slug=slug)
    return {"id": city.pk, "city": city.name, "slug": city.slug,
            "editions": queries.city_trend(city)}  # fmt: skip


class IndicatorEditionOut(Schema):
    year: int
    waves: list[int]
    cities: int
    mean: float | None
    city: float | None


class IndicatorTrendOut(Schema):
    code: str
    city: str | None
    editions: list[IndicatorEditionOut]


@router.get("/indicators/{code}/trend", response=IndicatorTrendOut)
def indicator_trend(request: HttpRequest, code: str, city: str | None = None) -> dict[str, Any]:
    """A survey item's pooled share in every edition that asks it: the mean across cities
    and, with `city` (a slug), that city's."""
    place = get_object_or_404(City, slug=city) if city else None
    editions = queries.indicator_trend(code, place)
    if not editions:
        raise Http404(f"No edition asks the item {code!r}.")
    return {"code": code, "city": city, "editions": editions}


class ImportedOut(Schema):
    edition: int
    kind: str
    rows: int


@router.post(
    "/editions/{year}/imports",
    response={201: ImportedOut, 422: ErrorOut},
    auth=ACTOR_AUTH,
)
@permission_required("index.import_data")
def data_import(
    request: HttpRequest, year: int, kind: Form[str], file: File[UploadedFile]
) -> Status:
    """Import a CSV or XLSX file of one `kind` (cities, indicators, survey), as the import
    page does: all rows or none. A bad file answers 422, `errors.file` listing every bad
    row as `row N: column: reason`, and nothing is written."""
    edition = get_object_or_404(Edition, year=year)
    name, data = upload_read(file, default_name="")
    try:
        rows = domain.data_import(
            edition=edition, kind=kind, data=data, name=name, actor=request_actor(request)
        )
    except ImportFileError as exc:
        lines = [str(e) for e in exc.errors]
        detail = f"The file has {len(lines)} error(s); nothing was imported."
        return Status(422, error_body(detail, {"file": lines}))
    return Status(201, {"edition": edition.year, "kind": kind, "rows": rows})
