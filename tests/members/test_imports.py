import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories.files import xlsx_bytes
from tests.factories.members import OrganisationFactory
from urbis.common.models import AuditRecord
from urbis.members.domain import imports
from urbis.members.models import Organisation
from urbis.members.queries.exports import COLUMNS

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    "Name,Category,Country,City,Population,Population year,Founding member,"
    "Institution type,Corporate category,Employees,Website\n"
    'Seoul,local_government,South Korea,Seoul,"9,386,034",2023,yes,,,,seoul.go.kr\n'
    "Smart Cities Lab,Institution,KR,Daejeon,,,no,academic,,120,https://lab.example.org\n"
    "Acme Mobility,corporation,de,Berlin,,,,,SME,300,\n"
)


def _import(actor, text: str, **kwargs):
    return imports.organisations_import(
        actor=actor, data=text.encode("utf-8"), format="csv", **kwargs
    )


def _state():
    return Organisation.objects.count(), AuditRecord.objects.count()


def test_parsers_cover_exactly_the_columns():
    assert tuple(imports.PARSERS) == COLUMNS


def test_good_csv_is_imported(staff_user):
    result = _import(staff_user, GOOD_CSV)
    assert result.error_lines == []
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    seoul = Organisation.objects.get(name="Seoul")
    assert seoul.slug == "seoul"
    assert str(seoul.country) == "KR"
    assert seoul.population == 9_386_034
    assert seoul.population_year == 2023
    assert seoul.founding_member is True
    assert seoul.website == "https://seoul.go.kr"
    lab = Organisation.objects.get(name="Smart Cities Lab")
    assert (lab.category, lab.institution_type, lab.employees) == ("institution", "academic", 120)
    acme = Organisation.objects.get(name="Acme Mobility")
    assert (str(acme.country), acme.corporate_category, acme.employees) == ("DE", "sme", 300)
    actions = AuditRecord.objects.filter(actor=staff_user).values_list("action", flat=True)
    assert sorted(actions) == ["organisation.create"] * 3


def test_bad_rows_are_all_listed_and_nothing_is_written(staff_user):
    OrganisationFactory(name="Existing")
    before = _state()
    text = (
        "name,category,country,population,employees,website,institution_type\n"
        "Good City,local_government,KR,100,,,\n"
        ",local_government,KR,,,,\n"
        "Bad Country,local_government,Narnia,12.5,,,\n"
        "Acme,corporation,US,5000,-3,not a url,\n"
        "Odd,planet,FR,,,,\n"
        "Good City,local_government,KR,,,,\n"
        "Agency,institution,KR,,,,ministry\n"
    )
    result = _import(staff_user, text)
    assert result.error_lines == [
        "row 3: name: is required",
        "row 4: country: unknown country 'Narnia' (use an ISO 3166 code such as KR or KOR,"
        " or an English name)",
        "row 4: population: '12.5' is not a whole number",
        "row 5: population: only local governments have one",
        "row 5: employees: must not be negative",
        "row 5: website: Enter a valid URL.",
        "row 6: category: unknown value 'planet' (expected one of: local_government,"
        " institution, corporation, observer, embassy, partner, sponsor, other)",
        "row 7: name: 'Good City' is already on row 2",
        "row 8: institution_type: unknown value 'ministry' (expected one of: association,"
        " public_agency, academic, non_profit)",
    ]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert _state() == before


def test_model_validation_errors_are_named(staff_user):
    before = _state()
    result = _import(staff_user, "name,category,website\n" + "X" * 201 + ",other,http://\n")
    assert result.error_lines == [
        "row 2: name: Ensure this value has at most 200 characters (it has 201).",
        "row 2: website: Enter a valid URL.",
    ]
    assert _state() == before


def test_unknown_and_missing_columns_are_named(staff_user):
    result = _import(staff_user, "Name,Colour,Mayor\nSeoul,blue,Oh\n")
    assert result.error_lines == [
        "row 1: columns: unknown column(s): Colour, Mayor (known: category, city,"
        " corporate_category, country, description, employees, founding_member,"
        " institution_type, name, official_name, population, population_year, website)",
        "row 1: category: required column is missing",
    ]
    assert _state() == (0, 0)


def test_reimport_is_a_noop(staff_user):
    _import(staff_user, GOOD_CSV)
    before = _state()
    stamps = list(Organisation.objects.order_by("pk").values_list("updated_at", flat=True))
    result = _import(staff_user, GOOD_CSV)
    assert result.error_lines == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert _state() == before
    assert list(Organisation.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps


def test_changed_rows_are_updated_with_audit(staff_user):
    _import(staff_user, GOOD_CSV)
    changed = GOOD_CSV.replace('"9,386,034",2023', "9400000,2024").replace(",300,", ",320,")
    result = _import(staff_user, changed)
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    assert [(r.name, r.action, r.changed) for r in result.rows] == [
        ("Seoul", "update", ("population", "population_year")),
        ("Smart Cities Lab", "unchanged", ()),
        ("Acme Mobility", "update", ("employees",)),
    ]
    record = AuditRecord.objects.get(action="organisation.update", target_repr="Seoul")
    assert record.before == {"population": 9_386_034, "population_year": 2023}
    assert record.after == {"population": 9_400_000, "population_year": 2024}
    assert AuditRecord.objects.filter(action="organisation.update").count() == 2


def test_upsert_matches_by_slug_and_keeps_columns_left_out(staff_user):
    org = OrganisationFactory(
        name="Seoul", slug="seoul", population=9_000_000, description="Capital."
    )
    result = _import(staff_user, "name,category,country\nSEOUL,local_government,KR\n")
    assert (result.created, result.updated) == (0, 1)
    org.refresh_from_db()
    assert (org.name, org.population, org.description) == ("SEOUL", 9_000_000, "Capital.")


def test_category_change_conflicting_with_a_stored_value_is_refused(staff_user):
    OrganisationFactory(name="Seoul", slug="seoul", population=9_000_000)
    result = _import(staff_user, "name,category\nSeoul,corporation\n")
    assert result.error_lines == [
        "row 2: population: only local governments have one"
        " (the stored value is kept: add the column to clear it)"
    ]


def test_dry_run_reports_and_writes_nothing(staff_user):
    OrganisationFactory(name="Seoul", slug="seoul", category="local_government", country="KR")
    result = _import(staff_user, GOOD_CSV, dry_run=True)
    assert result.ok and result.dry_run
    assert (result.created, result.updated, result.unchanged) == (2, 1, 0)
    assert _state() == (1, 0)


def test_xlsx_is_imported_with_blank_rows_counted(staff_user):
    data = xlsx_bytes(
        [
            ["name", "category", "country", "population", "founding_member"],
            ["Seoul", "Local government", "KR", 9386034, True],
            [None, None, None, None, None],
            ["Bishkek", "local_government", "Kyrgyzstan", 1_145_000.0, False],
            ["Broken", "local_government", "KR", "many", None],
        ]
    )
    bad = imports.organisations_import(actor=staff_user, data=data, format="xlsx")
    assert bad.error_lines == ["row 5: population: 'many' is not a whole number"]
    assert _state() == (0, 0)
    good = xlsx_bytes(
        [
            ["name", "category", "country", "population", "founding_member"],
            ["Seoul", "Local government", "KR", 9386034, True],
            [None, None, None, None, None],
            ["Bishkek", "local_government", "Kyrgyzstan", 1_145_000.0, False],
        ]
    )
    result = imports.organisations_import(actor=staff_user, data=good, format="xlsx")
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    bishkek = Organisation.objects.get(name="Bishkek")
    assert (str(bishkek.country), bishkek.population) == ("KG", 1_145_000)
    again = imports.organisations_import(actor=staff_user, data=good, format="xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_corrupt_and_mis_shaped_files_are_refused(staff_user):
    result = imports.organisations_import(actor=staff_user, data=b"not a zip", format="xlsx")
    assert [(e.row, e.column) for e in result.errors] == [(None, "format")]
    assert str(result.errors[0]).startswith("file: format: not a readable XLSX file")
    longer = _import(staff_user, "name,category\nA,other\nB,other,extra\n")
    assert longer.error_lines == ["row 3: column 3: a value under no header"]
    latin = imports.organisations_import(
        actor=staff_user, data="name,category\nSão,other\n".encode("latin-1"), format="csv"
    )
    assert latin.error_lines == ["file: encoding: the file is not UTF-8 text (byte 16)"]
    assert _state() == (0, 0)


def test_oversized_file_is_refused(staff_user, settings):
    settings.URBIS_MAX_IMPORT_BYTES = 100
    result = _import(staff_user, GOOD_CSV)
    assert result.error_lines == ["file: size: larger than the limit of 100 bytes"]
    assert _state() == (0, 0)


def test_a_failure_while_writing_rolls_back_every_row(staff_user, monkeypatch):
    real_create = imports.organisation_create

    def create(**fields):
        if fields["name"] == "Acme Mobility":
            raise ValidationError({"name": "Taken meanwhile."})
        return real_create(**fields)

    monkeypatch.setattr(imports, "organisation_create", create)
    result = _import(staff_user, GOOD_CSV)
    assert result.error_lines == ["row 4: name: Taken meanwhile."]
    assert (result.created, result.updated) == (0, 0)
    assert _state() == (0, 0)


def test_only_the_secretariat_imports(client, focal_point):
    """The permission is checked at the edge (page and API), before the importer runs."""
    user, _ = focal_point
    client.force_login(user)
    upload = SimpleUploadedFile("orgs.csv", GOOD_CSV.encode())
    assert client.post(reverse("members:import"), {"file": upload}).status_code == 403
    upload = SimpleUploadedFile("orgs.csv", GOOD_CSV.encode())
    assert client.post("/api/v1/members/import", {"file": upload}).status_code == 403
    assert _state()[0] == 1  # the focal point's own organisation only
    with pytest.raises(CommandError, match="may not import"):
        call_command("import_members", "orgs.csv", user=user.username)


def test_system_actor_may_import_and_update():
    _import(None, GOOD_CSV)
    result = _import(None, GOOD_CSV.replace("2023", "2024"))
    assert result.updated == 1
    assert AuditRecord.objects.filter(action="organisation.update").get().actor_label == "system"


def test_unknown_format_is_named(staff_user):
    result = imports.organisations_import(actor=staff_user, data=b"x", format="txt")
    assert result.error_lines == ["file: format: 'txt' is not one of csv, xlsx"]


def test_a_duplicate_of_a_bad_row_is_still_reported(staff_user):
    text = "name,category,country\nSeoul,local_government,Narnia\nseoul,local_government,KR\n"
    assert _import(staff_user, text).error_lines == [
        "row 2: country: unknown country 'Narnia' (use an ISO 3166 code such as KR or KOR,"
        " or an English name)",
        "row 3: name: 'seoul' is already on row 2",
    ]


def test_csv_row_numbers_count_blank_lines_and_multiline_cells(staff_user):
    text = 'name,category,description\n\nA,other,"two\nlines"\nB,planet,\n\nC,other,,extra\n'
    # Rows are the file's lines: a record spanning lines is numbered by its first one.
    planet = (
        "row 5: category: unknown value 'planet' (expected one of: local_government,"
        " institution, corporation, observer, embassy, partner, sponsor, other)"
    )
    assert _import(staff_user, text).error_lines == [
        planet,
        "row 7: column 4: a value under no header",
    ]
    assert _import(staff_user, text.replace(",,extra", ",")).error_lines == [planet]


def test_xlsx_rows_without_cells_are_counted(staff_user):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"], sheet["B1"] = "name", "category"
    sheet["A2"], sheet["B2"] = "A", "other"
    sheet["A5"], sheet["B5"] = "B", "planet"
    out = io.BytesIO()
    book.save(out)
    result = imports.organisations_import(actor=staff_user, data=out.getvalue(), format="xlsx")
    assert [(e.row, e.column) for e in result.errors] == [(5, "category")]


@pytest.mark.parametrize("rows", [1, 40])
def test_checking_a_file_costs_one_query_whatever_its_rows(
    staff_user, rows, django_assert_max_num_queries
):
    OrganisationFactory(name="City 0", slug="city-0", category="local_government")
    text = "name,category,country\n" + "".join(
        f"City {n},local_government,KR\n" for n in range(rows)
    )
    with django_assert_max_num_queries(1):
        result = _import(staff_user, text, dry_run=True)
    assert result.error_lines == []
    assert (result.created, result.updated + result.unchanged) == (rows - 1, 1)
