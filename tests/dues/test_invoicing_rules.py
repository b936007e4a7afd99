"""The invoicing policy (data), money formatting and the fee in a member's words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from urbis.dues.queries.invoicing import invoicing_policy
from urbis.dues.rules import fees
from urbis.dues.rules.invoicing import PolicyError, policy_from_data
from urbis.dues.rules.money import format_money

D = dt.date

POLICY = {
    "issuer": {"name": "Network Secretariat", "address": ["1 Main Street", "Seoul"]},
    "bank": {"account_holder": "Network", "bank_name": "Bank", "iban": "KR00", "bic": "BANKKRSE"},
    "payment_instructions": "Quote the invoice number.",
    "due": {"days_after_issue": 30, "not_before": "03-31"},
    "numbering": {"invoice": "{year}-{n:04d}", "credit_note": "CN-{year}-{n:04d}",
                  "receipt": "R-{year}-{n:04d}"},
}  # fmt: skip


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (Decimal("1500"), "USD", "USD 1,500.00"),
        (Decimal("0"), "USD", "USD 0.00"),
        (None, "EUR", "EUR 0.00"),
        (Decimal("1234567.005"), "USD", "USD 1,234,567.01"),
        (Decimal("-20"), "USD", "USD -20.00"),
        (2500, "", "2,500.00"),
    ],
)
def test_money_is_written_one_way(amount, currency, text):
    assert format_money(amount, currency) == text


@pytest.mark.parametrize(
    ("issued", "due"),
    [
        (D(2026, 1, 10), D(2026, 3, 31)),  # early in the year: the policy's day of the year
        (D(2026, 3, 1), D(2026, 3, 31)),  # 30 days later is the same day
        (D(2026, 3, 2), D(2026, 4, 1)),  # one day later: 30 days after issue
        (D(2026, 11, 20), D(2026, 12, 20)),
        (D(2025, 12, 15), D(2026, 3, 31)),  # issued the year before its fiscal year
    ],
)
def test_due_date_follows_the_policy(issued, due):
    policy = policy_from_data(POLICY)
    assert policy.due_on(fiscal_year=2026, issued_on=issued) == due


def test_numbers_follow_the_pattern_of_their_kind():
    policy = policy_from_data(POLICY)
    assert policy.number("invoice", year=2026, n=7) == "2026-0007"
    assert policy.number("credit_note", year=2026, n=12) == "CN-2026-0012"
    assert policy.number("receipt", year=2027, n=1) == "R-2027-0001"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"issuer": {"address": []}}, "issuer.name: a text is required"),
        ({"due": {"days_after_issue": -1}}, "due.days_after_issue"),
        ({"due": {"days_after_issue": 30, "not_before": "02-30"}}, "due.not_before"),
        ({"numbering": {"invoice": "INV", "credit_note": "c{year}{n}", "receipt": "r{year}{n}"}},
         "numbering.invoice"),
        ({"bank": {"account_holder": "x", "bank_name": "y", "iban": ""}}, "bank.iban"),
    ],
)  # fmt: skip
def test_a_malformed_policy_names_its_key(change, message):
    with pytest.raises(PolicyError, match=message):
        policy_from_data({**POLICY, **change})


def test_the_shipped_policy_is_valid_and_says_its_bank_is_an_example():
    policy = invoicing_policy()
    assert policy.issuer.name.startswith("World Smart Sustainable Cities Organization")
    assert policy.bank.example is True


def _fee(**kwargs) -> fees.Fee:
    values = {
        "amount": Decimal(2500),
        "currency": "USD",
        "fiscal_year": 2026,
        "schedule_code": "annex3-2024",
        "schedule_title": "Annex 3, amendment of 2024",
        "effective_from": D(2024, 1, 1),
        "table": "corporation/sme",
        "criterion": fees.Criterion.EMPLOYEES,
        "value": 400,
        "band": 2,
        "band_label": "300\u2013499",
        "example": False,
    }
    return fees.Fee(**{**values, **kwargs})


def test_the_fee_in_words_names_band_schedule_and_amount_without_codes():
    text = fees.fee_in_words(_fee(), member_kind="Corporation (Small and medium-sized enterprise)")
    assert text == (
        "Corporation (Small and medium-sized enterprise): with 400 employees, it falls in the "
        "band of 300 to 499 employees. Under the fee schedule \u201cAnnex 3, amendment of "
        "2024\u201d in force on 1 January 2026, the annual fee is USD 2,500.00."
    )


def test_the_gdp_fee_in_words_names_the_country_the_year_and_the_source():
    fee = _fee(
        criterion=fees.Criterion.GDP_PPP,
        value=5900,
        band_label="0\u20139,999",
        example=True,
        value_year=2025,
        value_source="World Bank, World Development Indicators",
        amount=Decimal(1500),
        table="local_government",
    )
    text = fees.fee_in_words(fee, member_kind="Local government", country_name="Nigeria")
    assert text.startswith(
        "Local government: the GDP per capita (PPP) of Nigeria was USD 5,900 in 2025 (source: "
        "World Bank, World Development Indicators), in the band of USD 0 to USD 9,999."
    )
    assert "USD 1,500.00" in text
    assert "provisional table" in text
    for code in ("local_government", "/", "[example", "annex3"):
        assert code not in text


def test_a_top_band_reads_or_more():
    fee = _fee(band_label="2,000+", value=2500)
    assert "band of 2,000 or more employees" in fees.fee_in_words(fee, member_kind="Corporation")
