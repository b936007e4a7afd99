"""The loaders: idempotent, validating everything first, and writing nothing on error."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q

from tests.factories.members import OrganisationFactory
from urbis.common.models import AuditRecord, CountryRegion, Region
from urbis.demo.loaders import LOADERS
from urbis.demo.loaders import common as common_loader
from urbis.demo.loaders import members as members_loader
from urbis.demo.loaders.context import LoadContext
from urbis.demo.loaders.members.validate import parse_date
from urbis.demo.lookup import organisation_names
from urbis.demo.yamlio import DataErrors
from urbis.members.models import Contact, LifecycleEvent, Organisation

pytestmark = pytest.mark.django_db
LG = "organisations/local_governments.yaml"
CORP = "organisations/corporations.yaml"


def _load(data_dir: Path | None = None) -> str:
    out = io.StringIO()
    args = ["--data-dir", str(data_dir)] if data_dir else []
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def _rows() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "events": LifecycleEvent.objects.count(),
        "contacts": Contact.objects.count(),
        "regions": Region.objects.count(),
        "countries": CountryRegion.objects.count(),
        # The registry's own audit trail (later loaders audit their own apps' writes).
        "audit": AuditRecord.objects.filter(
            Q(action__startswith="region.")
            | Q(action__startswith="country_region.")
            | Q(action__startswith="organisation.")
            | Q(action__startswith="lifecycle.")
            | Q(action__startswith="contact.")
        ).count(),
        "all_audit": AuditRecord.objects.count(),
    }


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _line(path: Path, needle: str) -> int:
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in text:
            return number
    raise AssertionError(needle)


def _lines(path: Path, needle: str) -> list[int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [number for number, text in enumerate(lines, start=1) if needle in text]


def test_loaders_are_registered_common_first():
    assert LOADERS[:2] == ["urbis.demo.loaders.common", "urbis.demo.loaders.members"]


def test_loading_twice_changes_nothing():
    first = _load()
    after_first = _rows()
    second = _load()
    assert _rows() == after_first
    assert after_first == {
        "organisations": 300,
        "events": 295,
        "contacts": 84,
        "regions": 10,
        "countries": 249,
        "audit": 10 + 249 + 300 + 295 + 84,
        "all_audit": after_first["all_audit"],
    }
    assert "300 organisations (300 new, 0 changed)" in first
    assert "members: 300 organisations (0 new, 0 changed), 295 lifecycle events (0 new), " in (
        second
    )
    assert "regions: 10 regions (0 new, 0 changed), 249 countries mapped (0 set)" in second


def test_a_changed_row_is_updated_through_the_domain(data_copy):
    _load()
    before = _rows()
    lg = data_copy / LG
    _edit(
        lg,
        "    description: President City since 2010, re-elected for 2023-2026; host of the 6th GA.",
        "    description: President City.",
    )
    _edit(
        lg,
        "      - {name: Jin Man Kim, position: Director General of the Digital Policy Bureau}\n",
        "      - {name: Jin Man Kim, position: Director General of the Digital Policy Bureau}\n"
        "      - {name: Jung Sook Park, position: Secretary General of WeGO}\n",
    )
    summary = _load(data_copy)
    assert "300 organisations (0 new, 1 changed)" in summary
    assert _rows() == before | {
        "contacts": before["contacts"] + 1,
        "audit": before["audit"] + 2,
        "all_audit": before["all_audit"] + 2,
    }
    seoul = Organisation.objects.get(name="Seoul")
    assert seoul.description == "President City."
    update = AuditRecord.objects.get(action="organisation.update")
    assert update.after == {"description": "President City."}
    assert update.actor_label == "system"


def test_a_broken_copy_reports_every_error_and_writes_nothing(data_copy):
    lg, corp = data_copy / LG, data_copy / CORP
    _edit(
        lg,
        "    aliases: [SMG, Seoul City]\n    country: KR\n",
        "    aliases: [SMG]\n    country: XX\n",
    )
    _edit(lg, "  - name: Agra\n", "  - name: Agra\n    category: town\n")
    _edit(lg, "  - name: Shiraz\n", "  - name: Tehran\n")
    _edit(lg, "date: 2023-07-20", "date: 2023-02-30")
    _edit(
        lg,
        "      - kind: withdrawn\n        date: 2022-11-01\n",
        "      - kind: withdrawn\n        date: 2018-11-01\n",
    )
    _edit(lg, "  - name: Wellington\n", "  - name: Wellington\n    mayor: Tory Whanau\n")
    _edit(
        lg,
        "{name: Tory Whanau, position: Mayor, mayoral_level: true}",
        "{name: Tory Whanau, position: Mayor, mayoral_level: 1}",
    )
    _edit(
        corp,
        "  - name: beCloud\n    country: BY\n",
        "  - name: beCloud\n    country: BY\n    population: 5\n",
    )

    with pytest.raises(DataErrors) as caught:
        members_loader.load(LoadContext(data_dir=data_copy))
    errors = [str(e) for e in caught.value.errors]
    expected = [
        f"{LG}:{_line(lg, '  - name: Seoul')}: country: 'XX' is not an ISO 3166-1 alpha-2 "
        "country code",
        f"{LG}:{_line(lg, '  - name: Wellington')}: mayor: unknown field",
        f"{LG}:{_line(lg, 'name: Tory Whanau')}: contacts.mayoral_level: must be true or false, "
        "not 1",
        f"{LG}:{_line(lg, '  - name: Agra')}: category: unknown category 'town' (one of "
        "local_government, institution, corporation, observer, embassy, partner, sponsor, other)",
        f"{LG}:{_line(lg, 'date: 2023-02-30')}: lifecycle.date: '2023-02-30' is not a date "
        "(YYYY-MM-DD, YYYY-MM or YYYY)",
        f"{CORP}:{_line(corp, '  - name: beCloud')}: population: only local governments have a "
        "population (category corporation)",
        f"{LG}:{_line(lg, '- kind: withdrawn')}: lifecycle.kind: 2018-11-01: 'withdrawn' is not "
        "allowed for Ulyanovsk Region in state 'none' (allowed: applied, approved)",
    ]
    tehran, former_shiraz = _lines(lg, "  - name: Tehran")
    expected.append(f"{LG}:{former_shiraz}: name: duplicate name 'Tehran' (also {LG}:{tehran})")
    assert sorted(errors) == sorted(expected)
    assert Organisation.objects.count() == 0

    with pytest.raises(CommandError, match="8 error"):
        _load(data_copy)
    assert _rows() == dict.fromkeys(_rows(), 0)


def test_a_broken_region_file_names_every_problem(data_copy):
    regions = data_copy / "regions.yaml"
    _edit(regions, '  - {country: "NO", region: europe}', "")
    _edit(regions, "  - {country: FR, region: europe}", "  - {country: FX, region: europe}")
    _edit(regions, "  - {country: DE, region: europe}", "  - {country: DE, region: eurasia}")
    _edit(
        regions,
        "  - {code: oceania, name: Oceania, parent: asia-pacific, sort_order: 55}",
        "  - {code: oceania, name: Oceania, parent: pacific, sort_order: 55}",
    )
    with pytest.raises(DataErrors) as caught:
        common_loader.load(LoadContext(data_dir=data_copy))
    countries = _line(regions, "countries:")
    assert [str(e) for e in caught.value.errors] == [
        f"regions.yaml:{_line(regions, 'code: oceania')}: parent: unknown region 'pacific'",
        f"regions.yaml:{_line(regions, 'country: DE')}: region: unknown region 'eurasia'",
        f"regions.yaml:{_line(regions, 'country: FX')}: country: 'FX' is not an ISO 3166-1 "
        "alpha-2 country code",
        f"regions.yaml:{countries}: countries: FR (France) is not mapped to a region",
        f"regions.yaml:{countries}: countries: NO (Norway) is not mapped to a region",
    ]
    assert Region.objects.count() == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2023, 9, 26), (dt.date(2023, 9, 26), "day")),
        ("2012-11", (dt.date(2012, 11, 1), "month")),
        (2014, (dt.date(2014, 7, 1), "year")),
        ("2023-02-30", None),
        ("2012-13", None),
        (True, None),
        (dt.datetime(2023, 1, 1, 12, 0), None),
    ],
)
def test_lifecycle_dates_say_how_much_is_known(value, expected):
    assert parse_date(value) == expected


def test_names_win_over_aliases_and_official_names():
    seoul = OrganisationFactory(name="Seoul", official_name="Seoul Metropolitan Government")
    other = OrganisationFactory(name="Seoul City", aliases=["Seoul"])
    index = organisation_names()
    assert index["Seoul"] == seoul
    assert index["Seoul Metropolitan Government"] == seoul
    assert index["Seoul City"] == other


def test_a_file_that_is_not_yaml_is_reported_with_the_other_files_errors(data_copy):
    synthetic = data_copy / "organisations/synthetic_members.yaml"
    synthetic.write_text("organisations:\n  - {name: Broken\n", encoding="utf-8")
    _edit(data_copy / CORP, "  - name: Woorigangsan\n", "  - name: Woorigangsan\n    slug: 'A B'\n")
    with pytest.raises(DataErrors) as caught:
        members_loader.load(LoadContext(data_dir=data_copy))
    errors = [str(e) for e in caught.value.errors]
    woorigangsan = _line(data_copy / CORP, "  - name: Woorigangsan")
    assert errors == [
        f"{CORP}:{woorigangsan}: slug: 'A B' is not a valid slug",
        "organisations/synthetic_members.yaml:3: file: not valid YAML: expected ',' or '}', "
        "but got '<stream end>'",
    ]


def test_new_events_are_checked_against_the_events_already_loaded(data_copy):
    _load()
    lg = data_copy / LG
    _edit(
        lg,
        "      - kind: withdrawn\n        date: 2022-11-01\n",
        "      - kind: withdrawn\n        date: 2018-11-01\n",
    )
    before = _rows()
    with pytest.raises(CommandError) as caught:
        _load(data_copy)
    assert (
        f"{LG}:{_line(lg, '- kind: withdrawn')}: lifecycle.kind: 2018-11-01: 'withdrawn' is not "
        "allowed for Ulyanovsk Region in state 'none' (allowed: applied, approved)"
    ) in str(caught.value)
    assert _rows() == before
