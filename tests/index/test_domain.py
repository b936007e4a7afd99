"""Imports (all-or-nothing, errors naming row and field), editions and computations."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.files import xlsx_bytes
from tests.factories.index import CUTPOINTS, CityFactory, EditionFactory, edition_with_data
from urbis.common.actor import Actor
from urbis.common.imports import ImportFileError
from urbis.common.models import AuditRecord
from urbis.index import domain
from urbis.index.models import City, CityHDI, CityResult, Computation, Indicator, SurveyValue

pytestmark = pytest.mark.django_db


def table(headers, *rows):
    """A CSV file of these rows under these headers, as an upload's bytes."""
    return "".join(",".join(map(str, row)) + "\n" for row in [headers, *rows]).encode()


def errors_of(importer, edition, user, data):
    """The errors an import of `data` raises, as the page lists them; nothing is written."""
    with pytest.raises(ImportFileError) as exc:
        importer(edition=edition, name="data.csv", data=data, actor=Actor.for_user(user))
    return [str(e) for e in exc.value.errors]


def test_edition_create_validates_cut_points(admin_user):
    bad = dict(CUTPOINTS)
    bad["4"] = {"CCC": 55, "CC": 60, "C": 25}
    with pytest.raises(ValidationError, match="tier 4: cut-points must decrease"):
        domain.edition_create(year=2023, title="x", cutpoints=bad, actor=Actor.for_user(admin_user))
    edition = domain.edition_create(
        year=2023, title="Index 2023", cutpoints=CUTPOINTS, actor=Actor.for_user(admin_user)
    )
    assert edition.cutpoints["1"]["AAA"] == 85
    assert AuditRecord.objects.filter(action="index.edition_create").count() == 1


def test_only_the_secretariat_writes(focal_point, staff_user):
    """The edge checks these rules before any index write; the domain trusts its actor."""
    user, _ = focal_point
    for rule in ("index.import_data", "index.compute", "index.audit"):
        with pytest.raises(PermissionDenied):
            Actor.for_user(user).require(rule)
        Actor.for_user(staff_user).require(rule)


def test_cities_import_with_hdi(staff_user):
    edition = EditionFactory()
    data = table(["name", "country", "hdi"], ["Seoul", "KR", "0.93"], ["Kampala", "Uganda", "0.55"])
    assert (
        domain.cities_import(
            edition=edition, name="data.csv", data=data, actor=Actor.for_user(staff_user)
        )
        == 2
    )
    assert sorted(CityHDI.objects.values_list("city__name", "city__country", "hdi")) == [
        ("Kampala", "UG", 0.55),
        ("Seoul", "KR", 0.93),
    ]
    # importing again updates, never duplicates
    data = table(["name", "country", "hdi"], ["Seoul", "KR", "0.94"])
    domain.cities_import(
        edition=edition, name="data.csv", data=data, actor=Actor.for_user(staff_user)
    )
    assert CityHDI.objects.get(city__name="Seoul").hdi == 0.94
    assert City.objects.count() == 2


def test_bad_cities_file_names_every_row_and_writes_nothing(staff_user):
    edition = EditionFactory()
    data = table(
        ["name", "country", "hdi"],
        ["Seoul", "KR", "0.93"],
        ["Atlantis", "Nowhere", "0.7"],
        ["Dublin", "IE", "1.3"],
        ["Seoul", "KR", "abc"],
    )
    assert errors_of(domain.cities_import, edition, staff_user, data) == [
        "row 3: country: 'Nowhere' is not a country",
        "row 4: hdi: 1.3 is not within 0-1",
        "row 5: name: 'Seoul' already on row 2",
        "row 5: hdi: 'abc' is not a number",
    ]
    assert City.objects.count() == 0


def test_missing_column_is_reported(staff_user):
    edition = EditionFactory()
    with pytest.raises(ImportFileError, match="row 1: country: required column is missing"):
        domain.cities_import(
            edition=edition,
            name="data.csv",
            data=table(["name", "hdi"], ["Seoul", "0.9"]),
            actor=Actor.for_user(staff_user),
        )


def test_survey_import_all_or_nothing(staff_user):
    edition = EditionFactory()
    CityFactory(name="Seoul")
    Indicator.objects.create(
        edition=edition, code="s-mo-1", pillar="structures", area="mobility", statement="x"
    )
    good = ["Seoul", "s-mo-1", "2023", "0.55"]
    data = table(
        ["city", "indicator", "wave", "share"],
        good,
        ["Seoul", "s-mo-9", "2023", "0.5"],
        ["Paris", "s-mo-1", "2023", "0.5"],
        ["Seoul", "s-mo-1", "2022", "55"],
        ["Seoul", "s-mo-1", "2023", "0.6"],
    )
    assert errors_of(domain.survey_import, edition, staff_user, data) == [
        f"row 3: indicator: 's-mo-9' is not an item of {edition}",
        "row 4: city: 'Paris' is not a known city",
        "row 5: share: 55 is not within 0-1",
        "row 6: wave: the same city, item and wave as row 2",
    ]
    assert SurveyValue.objects.count() == 0
    assert domain.survey_import(
        edition=edition, name="data.csv", data=table(["city", "indicator", "wave", "share"], good),
        actor=Actor.for_user(staff_user),
    ) == 1  # fmt: skip
    assert SurveyValue.objects.get().share == 0.55


def test_indicators_import_checks_pillar_and_area(staff_user):
    edition = EditionFactory()
    data = table(
        ["code", "pillar", "area", "statement"],
        ["s-mo-1", "structures", "mobility", "Public transport is satisfactory"],
        ["x 1", "roads", "mobility", ""],
    )
    errors = errors_of(domain.indicators_import, edition, staff_user, data)
    assert [e.split(":")[0:2] for e in errors] == [
        ["row 3", " code"],
        ["row 3", " pillar"],
        ["row 3", " statement"],
    ]


def test_an_xlsx_file_imports_as_a_csv_one_and_a_bad_row_is_named_by_its_row_in_the_sheet(
    staff_user,
):
    edition = EditionFactory()
    actor = Actor.for_user(staff_user)
    header = ["Name", "Country", "HDI"]
    good = xlsx_bytes([header, ["Seoul", "KOR", 0.93], [], ["Kampala", "Uganda", 0.55]])
    imported = domain.data_import(
        edition=edition, kind="cities", data=good, name="cities.xlsx", actor=actor
    )
    assert imported == 2
    assert sorted(CityHDI.objects.values_list("city__name", "city__country", "hdi")) == [
        ("Kampala", "UG", 0.55),
        ("Seoul", "KR", 0.93),
    ]
    # Two blank rows before the bad one: the error names the row the sheet shows, 5.
    bad = xlsx_bytes([header, ["Seoul", "KR", 0.94], [], [], ["Dublin", "IE", 1.3]])
    with pytest.raises(ImportFileError) as exc:
        domain.data_import(edition=edition, kind="cities", data=bad, name="c.xlsx", actor=actor)
    assert [str(e) for e in exc.value.errors] == ["row 5: hdi: 1.3 is not within 0-1"]
    assert CityHDI.objects.get(city__name="Seoul").hdi == 0.93  # nothing was written
    with pytest.raises(ImportFileError, match=r"file: format: expected a \.csv or \.xlsx file"):
        domain.data_import(edition=edition, kind="cities", data=b"x", name="c.txt", actor=actor)


def test_an_unknown_column_and_a_missing_one_are_errors_of_the_header(staff_user):
    edition = EditionFactory()
    data = table(["code", "pillar", "area", "note"], ["s-mo-1", "structures", "mobility", "x"])
    assert errors_of(domain.indicators_import, edition, staff_user, data) == [
        "row 1: columns: unknown column(s): note (known: area, code, pillar, statement)",
        "row 1: statement: required column is missing",
    ]
    assert Indicator.objects.count() == 0


def test_compute_stores_ranks_intervals_ratings_and_methods(admin_user):
    edition, _cities, _ = edition_with_data(cities=8)
    computation = domain.index_compute(
        edition=edition, actor=Actor.for_user(admin_user), runs=200, seed=5, sobol_samples=16
    )
    results = list(computation.results.order_by("rank", "city__name"))
    assert len(results) == 8
    # HDI rising with the city number: quartiles put two cities in each tier
    assert {r.city.name: r.tier for r in results}["City 07"] == 1
    assert {r.city.name: r.tier for r in results}["City 00"] == 4
    assert sorted(r.tier for r in results) == [1, 1, 2, 2, 3, 3, 4, 4]
    for r in results:
        assert r.rank_low <= r.median_rank <= r.rank_high
        assert abs(sum(r.rating_probabilities.values()) - 1) < 1e-3
        assert r.rating
    tier4 = [r for r in results if r.tier == 4]
    assert all(r.rating in {"CCC", "CC", "C", "D"} for r in tier4)
    assert computation.methods["areas"]["normalisation"] == "minmax"
    assert computation.uncertainty["runs"] == 200
    assert [s["factor"] for s in computation.sensitivity][:3] == [
        "normalisation",
        "aggregation",
        "imputation",
    ]
    assert computation.synthetic is True
    assert results[0].pooling["statement"] == "2023: 50%, 2022: 33%, 2021: 17%"
    assert AuditRecord.objects.filter(action="index.compute").count() == 1


def test_compute_with_a_missing_wave_states_the_renormalised_weights(admin_user):
    edition, cities, _ = edition_with_data(cities=8)
    SurveyValue.objects.filter(city=cities[3], wave=2022).delete()
    computation = domain.index_compute(edition=edition, actor=Actor.for_user(admin_user), runs=50,
                                       sobol_samples=0)  # fmt: skip
    result = CityResult.objects.get(computation=computation, city=cities[3])
    assert result.pooling["weights"] == {"2023": 0.75, "2022": 0.0, "2021": 0.25}
    assert result.pooling["statement"] == (
        "2023: 75%, 2021: 25% (2022 missing, weights renormalised)"
    )


def test_compute_reproducible_with_a_seed(admin_user):
    edition, _, _ = edition_with_data(cities=8)
    a = domain.index_compute(edition=edition, actor=Actor.for_user(admin_user), runs=100, seed=9,
                             sobol_samples=0)  # fmt: skip
    b = domain.index_compute(edition=edition, actor=Actor.for_user(admin_user), runs=100, seed=9,
                             sobol_samples=0)  # fmt: skip

    def rows(c):
        return list(
            c.results.order_by("city__name").values_list(
                "rank", "median_rank", "rank_low", "rank_high", "rating_probabilities"
            )
        )

    assert rows(a) == rows(b)
    assert Computation.objects.count() == 2


def test_compute_refuses_cities_without_survey_values(admin_user):
    edition, cities, _ = edition_with_data(cities=8)
    SurveyValue.objects.filter(city=cities[0]).delete()
    with pytest.raises(
        ValidationError, match="no survey value in waves 2023, 2022, 2021 for: City 00"
    ):
        domain.index_compute(edition=edition, actor=Actor.for_user(admin_user), runs=10)
    assert Computation.objects.count() == 0


def test_edition_methods_come_from_its_config(admin_user):
    edition, _, _ = edition_with_data(cities=8)
    edition.config = {"levels": {"index": {"aggregation": "geometric", "weights": "pca"}}}
    edition.save()
    computation = domain.index_compute(
        edition=edition, actor=Actor.for_user(admin_user), runs=20, sobol_samples=0
    )
    assert computation.methods["index"]["aggregation"] == "geometric"
    assert computation.methods["index"]["weights"] == "pca"
    assert computation.methods["areas"]["aggregation"] == "arithmetic"


def _cities(n, hdi):
    return table(["name", "country", "hdi"], *[[f"City {i}", "KR", hdi] for i in range(n)])


@pytest.mark.parametrize("rows", [3, 40])
def test_cities_import_costs_the_same_queries_for_any_length(staff_user, rows):
    """New cities, then moved countries and changed HDI values: no query per row."""
    edition = EditionFactory()
    CityFactory(name="City 0", slug="city-0", country="JP")
    CityFactory(name="Other", slug="city-1")  # a new city's slug steps over it
    actor = Actor.for_user(staff_user)
    with CaptureQueriesContext(connection) as first:
        domain.cities_import(
            edition=edition, name="data.csv", data=_cities(rows, "0.5"), actor=actor
        )
    with CaptureQueriesContext(connection) as again:
        domain.cities_import(
            edition=edition, name="data.csv", data=_cities(rows, "0.6"), actor=actor
        )
    assert len(first) <= 10 and len(again) <= 7  # 40 rows, one query each, would be 50+
    assert City.objects.get(name="City 1").slug == "city-1-2"
    assert str(City.objects.get(name="City 0").country) == "KR"
    assert sorted(set(CityHDI.objects.filter(edition=edition).values_list("hdi", flat=True))) == [
        0.6
    ]
    assert CityHDI.objects.filter(edition=edition).count() == rows


@pytest.mark.parametrize("rows", [3, 40])
def test_item_and_survey_imports_cost_the_same_queries_for_any_length(staff_user, rows):
    """New items, then changed ones, then survey values: no query per row."""
    edition = EditionFactory()
    CityFactory(name="Seoul")
    actor = Actor.for_user(staff_user)
    header = ["code", "pillar", "area", "statement"]

    def items(statement):
        return table(
            header, *[[f"s-mo-{i}", "structures", "mobility", statement] for i in range(rows)]
        )

    with CaptureQueriesContext(connection) as new:
        domain.indicators_import(edition=edition, name="i.csv", data=items("x"), actor=actor)
    with CaptureQueriesContext(connection) as changed:
        domain.indicators_import(edition=edition, name="i.csv", data=items("y"), actor=actor)
    survey = table(
        ["city", "indicator", "wave", "share"],
        *[["Seoul", f"s-mo-{i}", 2023, 0.5] for i in range(rows)],
    )
    with CaptureQueriesContext(connection) as values:
        domain.survey_import(edition=edition, name="s.csv", data=survey, actor=actor)
    assert len(new) <= 6 and len(changed) <= 6 and len(values) <= 8
    assert set(Indicator.objects.filter(edition=edition).values_list("statement", flat=True)) == {
        "y"
    }
    assert list(
        Indicator.objects.filter(edition=edition).values_list("position", flat=True)
    ) == list(range(1, rows + 1))
    assert SurveyValue.objects.filter(indicator__edition=edition).count() == rows
