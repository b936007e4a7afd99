import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.members import LifecycleEventFactory, OrganisationFactory, member_since
from urbis.common.models import AuditRecord
from urbis.members.domain import imports
from urbis.members.models import Organisation
from urbis.members.queries.exports import EXPORT_COLUMNS, organisations_export

pytestmark = pytest.mark.django_db


def _registry():
    seoul = member_since(
        dt.date(2010, 9, 1),
        name="Seoul",
        country="KR",
        city="Seoul",
        population=9_386_034,
        population_year=2023,
        founding_member=True,
        website="https://seoul.go.kr",
        description='Capital, "special city"\nsecond line',
    )
    OrganisationFactory(
        name="Smart Cities Lab",
        category="institution",
        institution_type="academic",
        country="DE",
        employees=120,
    )
    acme = member_since(
        dt.date(2019, 1, 1),
        name="Acme Mobility",
        category="corporation",
        corporate_category="sme",
        country="US",
        employees=300,
    )
    LifecycleEventFactory(organisation=acme, kind="suspended", date=dt.date(2023, 3, 1))
    return seoul


def _csv_rows(data: bytes) -> list[list[str]]:
    import csv

    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def test_csv_export_has_the_columns_and_state_as_of_a_date():
    _registry()
    rows = _csv_rows(organisations_export(format="csv", as_of=dt.date(2022, 12, 31)))
    assert rows[0] == list(EXPORT_COLUMNS)
    assert rows[1] == [
        "Acme Mobility", "corporation", "US", "", "", "", "", "false", "", "sme", "300", "", "",
        "member",
    ]  # fmt: skip
    assert rows[2][0] == "Seoul"
    assert rows[2][5:8] == ["9386034", "2023", "true"]
    assert rows[2][12] == 'Capital, "special city"\nsecond line'
    assert rows[2][13] == "member"
    assert rows[3][0] == "Smart Cities Lab"
    assert rows[3][13] == "none"
    later = _csv_rows(organisations_export(format="csv", as_of=dt.date(2023, 6, 1)))
    assert later[1][13] == "suspended"


def test_export_honours_the_directory_filters():
    _registry()
    rows = _csv_rows(organisations_export(format="csv", category="corporation"))
    assert [r[0] for r in rows[1:]] == ["Acme Mobility"]
    rows = _csv_rows(organisations_export(format="csv", state="member", as_of=dt.date(2024, 1, 1)))
    assert [r[0] for r in rows[1:]] == ["Seoul"]
    rows = _csv_rows(organisations_export(format="csv", search="lab"))
    assert [r[0] for r in rows[1:]] == ["Smart Cities Lab"]


def test_xlsx_export_is_a_workbook():
    _registry()
    book = openpyxl.load_workbook(io.BytesIO(organisations_export(format="xlsx")))
    rows = list(book.active.iter_rows(values_only=True))
    assert list(rows[0]) == list(EXPORT_COLUMNS)
    assert [r[0] for r in rows[1:]] == ["Acme Mobility", "Seoul", "Smart Cities Lab"]
    assert rows[2][5] == 9_386_034
    assert rows[2][7] is True


def test_export_is_one_query():
    _registry()
    with CaptureQueriesContext(connection) as few:
        organisations_export(format="csv")
    for i in range(20):
        member_since(dt.date(2015, 1, 1), name=f"Extra {i}")
    with CaptureQueriesContext(connection) as many:
        organisations_export(format="xlsx")
    assert len(few.captured_queries) == len(many.captured_queries) == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_reimports_as_a_noop(fmt, staff_user):
    _registry()
    data = organisations_export(format=fmt)
    organisations = list(Organisation.objects.order_by("pk").values())
    audits = AuditRecord.objects.count()
    result = imports.organisations_import(actor=staff_user, data=data, format=fmt)
    assert result.error_lines == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert list(Organisation.objects.order_by("pk").values()) == organisations
    assert AuditRecord.objects.count() == audits


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_of_one_database_rebuilds_another(fmt, staff_user):
    _registry()
    fields = ["name", "category", "country", "population", "founding_member", "description"]
    expected = list(Organisation.objects.order_by("name").values_list(*fields))
    data = organisations_export(format=fmt)
    Organisation.objects.all().delete()
    result = imports.organisations_import(actor=staff_user, data=data, format=fmt)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert list(Organisation.objects.order_by("name").values_list(*fields)) == expected


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="use csv or xlsx"):
        organisations_export(format="pdf")  # type: ignore[arg-type]


FORMULA = '=HYPERLINK("https://evil.example.org","click")'


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formulas_are_exported_inert_and_reimport_unchanged(fmt, staff_user):
    OrganisationFactory(name="Seoul", description=FORMULA, official_name="-minus", city="@home")
    data = organisations_export(format=fmt)
    if fmt == "csv":
        row = _csv_rows(data)[1]
        assert (row[3], row[4], row[12]) == ("'@home", "'-minus", "'" + FORMULA)
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        assert sheet["M2"].value == FORMULA
        assert sheet["M2"].data_type == "s"
    result = imports.organisations_import(actor=staff_user, data=data, format=fmt)
    assert (result.updated, result.unchanged) == (0, 1)
    Organisation.objects.all().delete()
    imports.organisations_import(actor=staff_user, data=data, format=fmt)
    seoul = Organisation.objects.get()
    assert (seoul.description, seoul.official_name, seoul.city) == (FORMULA, "-minus", "@home")
