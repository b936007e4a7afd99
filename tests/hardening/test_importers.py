"""Hostile files against every importer: random bytes and mangled CSV never write part of a
file and always come back with row-level errors; oversized uploads are refused.

Importers: members (organisations_import), dues (payments_import), index (data_import for
cities, indicators and survey).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories.dues import InvoiceFactory
from tests.factories.index import EditionFactory
from tests.factories.members import member_since
from urbis.common.actor import Actor
from urbis.common.imports import ImportFileError, RowError
from urbis.common.middleware import FORM_OVERHEAD
from urbis.common.models import AuditRecord
from urbis.dues.domain.ledger import payments_import
from urbis.dues.models import Payment
from urbis.index import domain as index_domain
from urbis.index.models import City, CityHDI, Indicator, SurveyValue
from urbis.members.domain.imports import organisations_import
from urbis.members.models import Contact, LifecycleEvent, Organisation

FUZZ = settings(
    max_examples=40,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Cells that break parsers: separators, quotes, line breaks, formulas, markup, huge numbers.
CELL = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            '"',
            '""',
            ",",
            ";",
            "\n",
            "\r\n",
            "=cmd|' /C calc'!A0",
            "+1",
            "<script>alert(1)</script>",
            "1e309",
            "-1",
            "NaN",
            "2023-02-30",
            "9999-12-31",
            "local_government",
            "corporation",
            "KR",
            "Focal City",
            "focal-city",
            "0.5",
            "100",
            "\x00",
            "\ufeff",
        ]
    ),
    st.text(max_size=12),
)


def csv_text(columns: list[str]) -> st.SearchStrategy[str]:
    """A header drawn from the real columns (and strays) and rows of hostile cells."""
    header = st.lists(st.sampled_from([*columns, "extra", ""]), min_size=1, max_size=8)

    def rows(h: list[str]) -> st.SearchStrategy[str]:
        row = st.lists(CELL, min_size=0, max_size=len(h) + 2).map(
            lambda cells: ",".join(f'"{c}"' if ("," in c or "\n" in c) else c for c in cells)
        )
        return st.lists(row, max_size=6).map(lambda rs: "\n".join([",".join(h), *rs]))

    return header.flatmap(rows)


ANY_FILE = st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode))


TRIED: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    print("\nimporter fuzzing (examples -> outcome):")
    for key, n in sorted(TRIED.items()):
        print(f"  {key}: {n}")


def _focal_city() -> Organisation:
    """One existing member for rows to refer to (examples share the test's transaction)."""
    existing = Organisation.objects.filter(slug="focal-city").first()
    return existing or member_since(dt.date(2015, 1, 1), name="Focal City")


def counts(*models) -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (*models, AuditRecord)}


# --- members ---------------------------------------------------------------------------------

MEMBER_MODELS = (Organisation, LifecycleEvent, Contact)
MEMBER_COLUMNS = ["name", "category", "country", "city", "population", "state", "website"]


@pytest.mark.django_db
@FUZZ
@given(data=st.one_of(ANY_FILE, csv_text(MEMBER_COLUMNS).map(str.encode)))
def test_members_import_all_or_nothing(staff_user, data):
    _focal_city()
    before = counts(*MEMBER_MODELS)
    result = organisations_import(actor=staff_user, data=data, format="csv")
    after = counts(*MEMBER_MODELS)
    TRIED[f"members csv: {'rejected' if result.errors else 'accepted'}"] += 1
    if result.errors:
        assert after == before, f"partial write on error: {before} -> {after}"
        assert all(str(e) for e in result.errors)
    else:
        assert after["Organisation"] == before["Organisation"] + result.created


@pytest.mark.django_db
@FUZZ
@given(data=ANY_FILE)
def test_members_import_xlsx_garbage(staff_user, data):
    before = counts(*MEMBER_MODELS)
    result = organisations_import(actor=staff_user, data=data, format="xlsx")
    TRIED["members xlsx garbage: rejected" if result.errors else "members xlsx: accepted"] += 1
    assert result.errors, "a random file is not a workbook"
    assert counts(*MEMBER_MODELS) == before


# --- dues ------------------------------------------------------------------------------------

PAYMENT_COLUMNS = ["member", "fiscal_year", "date", "amount", "currency", "reference", "method"]


@pytest.mark.django_db
@FUZZ
@given(text=st.one_of(st.text(max_size=300), csv_text(PAYMENT_COLUMNS)))
def test_payments_import_all_or_nothing(staff_user, text):
    org = _focal_city()
    if not org.invoices.exists():
        InvoiceFactory(organisation=org, fiscal_year=2023, number="2023-FOCAL")
    before = counts(Payment)
    try:
        result = payments_import(
            actor=staff_user, data=text.encode("utf-8", "surrogatepass"), name="payments.csv"
        )
    except ValidationError as exc:
        TRIED["payments csv: rejected"] += 1
        assert exc.messages, "an error names its rows"
        assert counts(Payment) == before
    else:
        TRIED["payments csv: accepted"] += 1
        assert counts(Payment)["Payment"] == before["Payment"] + len(result.payments)


@pytest.mark.django_db
def test_payments_import_refuses_a_nul_character_by_row_and_column(staff_user):
    text = "member,date,amount,reference\nfocal-city,2023-04-01,500.00,REF\x00-1\n"
    with pytest.raises(ValidationError) as caught:
        payments_import(
            actor=staff_user, data=text.encode("utf-8", "surrogatepass"), name="payments.csv"
        )
    assert caught.value.messages == ["row 2: reference: contains a NUL character"]
    assert not Payment.objects.exists()


# --- index -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_index_import_refuses_a_nul_character_by_row_and_column(staff_user):
    edition = EditionFactory(year=2023)
    content = b"name,country,hdi\nSeoul,KR,0.9\nBad\x00City,KR,0.8\n"
    with pytest.raises(ImportFileError) as caught:
        index_domain.data_import(
            edition=edition,
            kind="cities",
            data=content,
            name="upload.csv",
            actor=Actor.for_user(staff_user),
        )
    assert [str(e) for e in caught.value.errors] == ["row 3: name: contains a NUL character"]
    assert not City.objects.exists()


INDEX_MODELS = (City, CityHDI, Indicator, SurveyValue)
INDEX_COLUMNS = {
    "cities": ["name", "country", "hdi"],
    "indicators": ["code", "pillar", "area", "statement"],
    "survey": ["city", "indicator", "wave", "share"],
}


@pytest.mark.django_db
@FUZZ
@given(
    kind=st.sampled_from(sorted(INDEX_COLUMNS)),
    data=st.data(),
)
def test_index_import_all_or_nothing(staff_user, kind, data):
    edition = EditionFactory(year=2023)
    content = data.draw(st.one_of(ANY_FILE, csv_text(INDEX_COLUMNS[kind]).map(str.encode)))
    before = counts(*INDEX_MODELS)
    try:
        index_domain.data_import(
            edition=edition,
            kind=kind,
            data=content,
            name="upload.csv",
            actor=Actor.for_user(staff_user),
        )
    except ImportFileError as exc:
        unreadable = all(e.row is None for e in exc.errors)
        TRIED[f"index {kind}: " + ("unreadable file" if unreadable else "rejected")] += 1
        assert exc.errors and all(isinstance(e, RowError) for e in exc.errors), exc.errors
        assert counts(*INDEX_MODELS) == before
    else:
        TRIED[f"index {kind}: accepted"] += 1


# --- oversized uploads -----------------------------------------------------------------------

LIMIT = 10_000


@pytest.mark.django_db
@override_settings(URBIS_MAX_IMPORT_BYTES=LIMIT)
@pytest.mark.parametrize(
    "url",
    [
        reverse("members:import"),
        reverse("dues:payments-import"),
        "/index/2023/import/",
        "/api/v1/members/import",
    ],
)
def test_oversized_upload_refused(client, staff_user, url):
    EditionFactory(year=2023)
    client.force_login(staff_user)
    big = b"name,category\n" + b"x,local_government\n" * ((LIMIT + FORM_OVERHEAD) // 19 + 1)
    before = counts(Organisation, Payment, City)
    response = client.post(
        url, {"file": SimpleUploadedFile("big.csv", big, content_type="text/csv")}
    )
    print(f"{url}: {len(big):,} bytes -> {response.status_code}")
    assert response.status_code == 413
    assert counts(Organisation, Payment, City) == before


@pytest.mark.django_db
@override_settings(URBIS_MAX_IMPORT_BYTES=LIMIT)
def test_file_just_over_the_import_limit_gets_a_size_error(staff_user):
    """Under the request cap but over the file cap: the importer names the size."""
    result = organisations_import(actor=staff_user, data=b"x" * (LIMIT + 1), format="csv")
    assert [str(e) for e in result.errors] == ["file: size: larger than the limit of 10,000 bytes"]


# --- NUL characters --------------------------------------------------------------------------


@pytest.mark.django_db
def test_members_import_reports_nul_per_row(staff_user):
    data = b"name,category\nNul\x00City,local_government\nFine City,local_government\n"
    before = counts(*MEMBER_MODELS)
    result = organisations_import(actor=staff_user, data=data, format="csv")
    assert [str(e) for e in result.errors] == ["row 2: name: contains a NUL character"]
    assert counts(*MEMBER_MODELS) == before


@pytest.mark.django_db
def test_nul_in_query_form_or_json_is_refused(client, staff_user):
    client.force_login(staff_user)
    query = client.get("/api/v1/members/organisations?q=a%00b")
    form = client.post(reverse("members:organisation_new"), {"name": "a\x00b"})
    body = client.post(
        "/api/v1/members/organisations",
        '{"name": "a\\u0000b", "category": "corporation"}',
        content_type="application/json",
    )
    print(f"\nNUL in query -> {query.status_code}, form -> {form.status_code}, "
          f"JSON -> {body.status_code}")  # fmt: skip
    assert query.status_code == form.status_code == body.status_code == 400
    assert not Organisation.objects.exists()
