import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from urbis.dues.queries.ledger import schedules_from_file
from urbis.dues.rules import fees
from urbis.dues.rules.fees import Band, Criterion, Schedule, ScheduleError, Table

SEED = schedules_from_file()


def _table(bands, *, covers_from=0, criterion=Criterion.EMPLOYEES, key=("corporation", "sme")):
    return Table(key[0], key[1], criterion, tuple(bands), covers_from=covers_from)


@st.composite
def valid_tables(draw):
    """Contiguous bands from covers_from upwards, the last one open, in any order."""
    start = draw(st.integers(0, 100))
    widths = draw(st.lists(st.integers(1, 5000), min_size=0, max_size=8))
    bands, lower = [], start
    for w in widths:
        bands.append(Band(lower, lower + w - 1, Decimal(draw(st.integers(1, 9000)))))
        lower += w
    bands.append(Band(lower, None, Decimal(draw(st.integers(1, 9000)))))
    order = draw(st.permutations(bands))
    criterion = draw(st.sampled_from([Criterion.EMPLOYEES, Criterion.GDP_PPP]))
    return _table(order, covers_from=start, criterion=criterion)


@settings(deadline=None)  # no timing in tests: a loaded machine must not fail them
@given(valid_tables(), st.integers(0, 200_000))
def test_every_value_of_a_valid_table_maps_to_exactly_one_band(table, offset):
    assert fees.table_errors(table) == []
    value = table.covers_from + offset
    hits = [b for b in table.bands if b.contains(value)]
    assert len(hits) == 1
    assert fees.band_for(table, value)[1] == hits[0]


@settings(deadline=None)  # no timing in tests: a loaded machine must not fail them
@given(valid_tables(), st.data())
def test_a_gap_is_rejected_and_named(table, data):
    closed = [b for b in table.bands if b.upper is not None]
    if not closed:
        return
    victim = data.draw(st.sampled_from(closed))
    shrink = data.draw(st.integers(1, victim.upper - victim.lower + 1))
    if shrink == victim.upper - victim.lower + 1:
        bands = [b for b in table.bands if b != victim]
        gap = (victim.lower, victim.upper)
    else:
        bands = [
            Band(b.lower, b.upper - shrink, b.amount) if b == victim else b for b in table.bands
        ]
        gap = (victim.upper - shrink + 1, victim.upper)
    bad = _table(bands, covers_from=table.covers_from, criterion=table.criterion)
    errors = fees.table_errors(bad)
    label = fees.CRITERION_LABEL[table.criterion]
    span = f"{gap[0]:,}" if gap[0] == gap[1] else f"{gap[0]:,}\u2013{gap[1]:,}"
    assert f"corporation/sme: {label} {span} not covered" in errors
    with pytest.raises(ScheduleError):
        fees.validate_schedule(Schedule("s", "s", dt.date(2020, 1, 1), (bad,)))


@settings(deadline=None)  # no timing in tests: a loaded machine must not fail them
@given(valid_tables(), st.data())
def test_an_overlap_is_rejected(table, data):
    closed = [b for b in table.bands if b.upper is not None]
    if not closed:
        return
    victim = data.draw(st.sampled_from(closed))
    grow = data.draw(st.integers(1, 50))
    bands = [Band(b.lower, b.upper + grow, b.amount) if b == victim else b for b in table.bands]
    errors = fees.table_errors(_table(bands, covers_from=table.covers_from))
    assert errors and all("covered twice" in e for e in errors)


@settings(deadline=None)  # no timing in tests: a loaded machine must not fail them
@given(st.integers(1, 10_000_000))
def test_every_head_count_has_exactly_one_fee_in_the_seed_schedules(employees):
    schedules = SEED
    for year in (2023, 2024):
        for sub in ("mnc", "sme", "startup"):
            fee = fees.compute_fee(
                schedules,
                fiscal_year=year,
                category="corporation",
                subtype=sub,
                employees=employees,
            )
            assert fee.amount > 0
    fee = fees.compute_fee(
        schedules,
        fiscal_year=2023,
        category="institution",
        subtype="non_profit",
        employees=employees,
    )
    assert fee.amount > 0


@settings(deadline=None)  # no timing in tests: a loaded machine must not fail them
@given(st.integers(0, 500_000))
def test_every_gdp_value_has_exactly_one_fee_in_the_seed_schedules(gdp):
    schedules = SEED
    for sub in ("association", "public_agency", "academic"):
        fee = fees.compute_fee(
            schedules, fiscal_year=2023, category="institution", subtype=sub, gdp_ppp=gdp
        )
        assert fee.criterion == Criterion.GDP_PPP


def test_the_printed_sme_bands_are_rejected_naming_the_gap():
    printed = _table(
        [
            Band(1, 229, Decimal(2000)),
            Band(300, 499, Decimal(2500)),
            Band(500, 1999, Decimal(5000)),
        ],
        covers_from=1,
    )
    assert fees.table_errors(printed) == [
        "corporation/sme: employees 230\u2013299 not covered",
        "corporation/sme: employees 2,000 and above not covered",
    ]


def test_seed_schedules_load_and_document_their_choices():
    schedules = {s.code: s for s in schedules_from_file()}
    assert set(schedules) == {"annex3-current", "annex3-2024", "example-local-government"}
    assert any("230-299" in c for c in schedules["annex3-current"].choices)
    assert any("exactly 50" in c for c in schedules["annex3-2024"].choices)
    assert schedules["example-local-government"].example is True


@pytest.mark.parametrize(
    ("year", "sub", "employees", "amount", "band"),
    [
        (2023, "sme", 400, 2500, 2),
        (2023, "sme", 250, 2000, 1),  # the closed gap
        (2023, "mnc", 5000, 8000, 1),
        (2023, "startup", 15, 1500, 2),
        (2024, "sme", 50, 1000, 1),  # exactly 50: the documented choice
        (2024, "mnc", 51, 2000, 2),
    ],
)
def test_corporate_fees(year, sub, employees, amount, band):
    fee = fees.compute_fee(
        schedules_from_file(),
        fiscal_year=year,
        category="corporation",
        subtype=sub,
        employees=employees,
    )
    assert (fee.amount, fee.band) == (Decimal(amount), band)


def test_explanation_names_schedule_criterion_and_band():
    fee = fees.compute_fee(
        schedules_from_file(),
        fiscal_year=2023,
        category="corporation",
        subtype="sme",
        employees=400,
    )
    assert fee.explanation == (
        "corporation/sme, 400 employees (band 300\u2013499) → USD 2,500: schedule 'Annex 3, "
        "current statutes' in force on 1 Jan 2023 (effective 01 Jan 2010), band 2"
    )


def test_schedule_in_force_is_the_one_of_1_january():
    schedules = schedules_from_file()
    inst = {"category": "institution", "subtype": "association", "gdp_ppp": 12_000, "employees": 10}
    assert fees.compute_fee(schedules, fiscal_year=2023, **inst).amount == Decimal(3000)
    assert fees.compute_fee(schedules, fiscal_year=2024, **inst).amount == Decimal(1000)
    # local governments are not in the amendment: the example schedule stays in force
    lg = fees.compute_fee(schedules, fiscal_year=2024, category="local_government", gdp_ppp=40_000)
    assert (lg.schedule_code, lg.amount, lg.example) == (
        "example-local-government",
        Decimal(5000),
        True,
    )


def test_missing_attribute_is_a_clear_error():
    with pytest.raises(fees.FeeError, match="number of employees is not recorded"):
        fees.compute_fee(
            schedules_from_file(), fiscal_year=2023, category="corporation", subtype="sme"
        )


def test_fiscal_year_is_the_calendar_year():
    assert fees.fiscal_year_bounds(2023) == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
