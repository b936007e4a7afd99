"""The request toolkit: typed values within bounds, or one error naming the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from urbis.common.inputs import (
    MAX_ID,
    InputError,
    error_text,
    optional,
    or_default,
    parse_bool,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_id,
    parse_int,
    parse_number,
    parse_text,
)


def _reason(call, *args, **kwargs) -> str:
    with pytest.raises(InputError) as exc:
        call(*args, **kwargs)
    assert exc.value.message_dict == {kwargs["field"]: [exc.value.reason]}
    return str(exc.value)


def test_an_input_error_is_a_validation_error_of_one_field():
    error = InputError("as_of", "is required")
    assert isinstance(error, ValidationError)
    assert error.message_dict == {"as_of": ["is required"]}
    assert str(error) == "as_of: is required"


def test_error_text_words_any_validation_error_field_by_field():
    assert error_text(InputError("year", "at least 1900, not 12")) == "year: at least 1900, not 12"
    both = ValidationError({"__all__": ["Closed."], "date": ["Too late.", "A Sunday."]})
    assert error_text(both) == "Closed.; date: Too late.; date: A Sunday."
    assert error_text(ValidationError(["One.", "Two."])) == "One.; Two."


@pytest.mark.parametrize(("raw", "value"), [("1", 1), (" 42 ", 42), (7, 7), (str(MAX_ID), MAX_ID)])
def test_ids(raw, value):
    assert parse_id(raw, field="id") == value


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("0", "id: at least 1, not 0"),
        ("-3", "id: at least 1, not -3"),
        (str(MAX_ID + 1), f"id: at most {MAX_ID}, not {MAX_ID + 1}"),
        ("1e3", "id: a whole number, not '1e3'"),
        ("12.0", "id: a whole number, not '12.0'"),
        (12.0, "id: a whole number, not '12.0'"),
        (True, "id: a whole number, not 'True'"),
        ("", "id: is required"),
        (None, "id: is required"),
        ("1\x00", "id: contains a NUL character"),
        ("9" * 41, "id: a whole number, not '" + "9" * 40 + "…'"),
    ],
)
def test_bad_ids_name_the_field(raw, message):
    assert _reason(parse_id, raw, field="id") == message


def test_int_bounds_are_inclusive():
    assert parse_int("1900", field="year", min=1900, max=2999) == 1900
    assert parse_int("2999", field="year", min=1900, max=2999) == 2999
    assert _reason(parse_int, "1899", field="year", min=1900) == "year: at least 1900, not 1899"
    assert _reason(parse_int, "3000", field="year", max=2999) == "year: at most 2999, not 3000"
    assert parse_int("-5", field="delta") == -5


def test_dates():
    assert parse_date("2026-09-30", field="on") == dt.date(2026, 9, 30)
    assert parse_date(dt.date(2026, 1, 1), field="on") == dt.date(2026, 1, 1)
    low, high = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    assert parse_date("2026-01-01", field="on", min=low, max=high) == low
    assert parse_date("2026-12-31", field="on", min=low, max=high) == high
    assert (
        _reason(parse_date, "2025-12-31", field="on", min=low)
        == "on: on or after 2026-01-01, not 2025-12-31"
    )
    assert (
        _reason(parse_date, "2027-01-01", field="on", max=high)
        == "on: on or before 2026-12-31, not 2027-01-01"
    )
    assert _reason(parse_date, "2026-02-30", field="on") == "on: no such date: 2026-02-30"
    assert (
        _reason(parse_date, "30/09/2026", field="on")
        == "on: a date written YYYY-MM-DD, not '30/09/2026'"
    )
    assert _reason(parse_date, "20260930", field="on").startswith("on: a date written")
    assert _reason(parse_date, "10000-01-01", field="on").startswith("on: a date written")
    assert _reason(parse_date, "1899-12-31", field="on").startswith("on: on or after 1900-01-01")
    stamp = dt.datetime(2026, 1, 1, 12, 0)
    assert _reason(parse_date, stamp, field="on").startswith("on: a date (YYYY-MM-DD), not")


def test_decimals():
    assert parse_decimal("1250.50", field="amount", min=0, places=2) == Decimal("1250.50")
    assert parse_decimal(3, field="amount") == Decimal(3)
    assert parse_decimal("0", field="amount", min=0) == Decimal(0)
    assert _reason(parse_decimal, "-0.01", field="amount", min=0) == (
        "amount: at least 0, not -0.01"
    )
    assert _reason(parse_decimal, "10.001", field="amount", places=2) == (
        "amount: at most 2 decimal places, not 10.001"
    )
    assert _reason(parse_decimal, "NaN", field="amount") == "amount: a finite number, not 'NaN'"
    assert _reason(parse_decimal, "Infinity", field="amount").startswith("amount: a finite")
    assert _reason(parse_decimal, "1,000", field="amount") == "amount: a number, not '1,000'"
    assert _reason(parse_decimal, "1" * 61, field="amount").startswith("amount: a number")


def test_numbers():
    assert parse_number("0.5", field="hdi", min=0, max=1) == 0.5
    assert parse_number(1, field="hdi", min=0, max=1) == 1.0
    assert _reason(parse_number, "1.01", field="hdi", max=1) == "hdi: at most 1, not 1.01"
    assert _reason(parse_number, "nan", field="hdi") == "hdi: a finite number, not 'nan'"
    assert _reason(parse_number, "1e999", field="hdi") == "hdi: a finite number, not '1e999'"
    assert _reason(parse_number, "half", field="hdi") == "hdi: a number, not 'half'"
    assert _reason(parse_number, [1], field="hdi") == "hdi: a number, not '[1]'"


def test_choices_text_and_booleans():
    assert parse_choice("queued", field="state", choices=["queued", "running"]) == "queued"
    assert _reason(parse_choice, "done", field="state", choices=["queued", "running"]) == (
        "state: one of queued, running, not 'done'"
    )
    assert parse_text("  Seoul ", field="name") == "Seoul"
    assert _reason(parse_text, "   ", field="name") == "name: is required"
    assert _reason(parse_text, "abcd", field="name", max_length=3) == (
        "name: at most 3 characters, not 4"
    )
    assert _reason(parse_text, "a\x00b", field="name") == "name: contains a NUL character"
    assert [parse_bool(v, field="dry_run") for v in ("Yes", "off", "1", True, "FALSE")] == [
        True,
        False,
        True,
        True,
        False,
    ]
    assert _reason(parse_bool, "maybe", field="dry_run") == "dry_run: true or false, not 'maybe'"


def test_optional_lets_blank_through_and_parses_the_rest():
    assert optional(parse_date, "", field="on") is None
    assert optional(parse_date, None, field="on") is None
    assert optional(parse_date, "  ", field="on") is None
    assert optional(parse_date, "2026-03-01", field="on") == dt.date(2026, 3, 1)
    with pytest.raises(InputError):
        optional(parse_date, "March", field="on")


def test_or_default_answers_the_default_for_blank_or_bad_input():
    today = dt.date(2026, 3, 1)
    assert or_default(parse_date, "2026-02-28", today, field="on") == dt.date(2026, 2, 28)
    assert or_default(parse_date, "", today, field="on") == today
    assert or_default(parse_date, None, today, field="on") == today
    assert or_default(parse_date, "2026-02-30", today, field="on") == today
    assert or_default(parse_date, "1899-12-31", today, field="on") == today
    assert or_default(parse_id, "0", 0, field="id") == 0
    assert or_default(parse_id, "x1", 0, field="id") == 0
    assert or_default(parse_id, "42", 0, field="id") == 42
    assert or_default(parse_choice, "qr", "typed", field="m", choices=["typed", "qr"]) == "qr"
    assert or_default(parse_choice, "laser", "typed", field="m", choices=["typed", "qr"]) == "typed"
