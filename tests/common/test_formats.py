"""The shared formats of official outputs: money, labels of codes, counted nouns."""

from __future__ import annotations

from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from urbis.common import formats
from urbis.governance.models import MeetingStatus
from urbis.members.models import Category


def test_money_has_separators_two_decimals_and_the_code_first():
    assert formats.format_money(Decimal("1500"), "USD") == "USD 1,500.00"
    assert formats.format_money(Decimal("1000.005"), "EUR") == "EUR 1,000.01"
    assert formats.format_money(-20, "USD") == "USD -20.00"
    assert formats.format_money(None, "USD") == "USD 0.00"
    assert formats.format_money(Decimal("5000")) == "5,000.00"


def test_labels_of_registered_codes_and_words_for_unknown_ones():
    assert formats.label("category", "local_government") == "Local government"
    assert formats.label("institution_type", "public_agency") == (
        "National or subnational public agency"
    )
    assert formats.label("fee_criterion", "gdp_ppp") == "GDP per capita (PPP, USD)"
    assert formats.label("corporate_category", "sme") == "Small and medium-sized enterprise"
    assert formats.label("nobody_registered", "non_profit") == "Non profit"
    assert formats.label("category", "") == ""
    assert formats.label("category", None) == ""


def test_counted_nouns_agree_with_their_number():
    assert formats.plural(1, "embassy") == "1 embassy"
    assert formats.plural(13, "embassy") == "13 embassies"
    assert formats.plural(1, "member") == "1 member"
    assert formats.plural(45, "local government") == "45 local governments"
    assert formats.plural(2, "day") == "2 days"
    assert formats.plural(1200, "member") == "1,200 members"
    assert formats.plural(2, "person", "people") == "2 people"


def test_the_template_filters():
    html = Template(
        "{% load urbis_format %}{{ a|money:'USD' }}|{{ c|label:'institution_type' }}|"
        "{{ n|counted:'embassy' }}|{{ m|counted:'person,people' }}|{{ none|or_blank }}|"
        "{{ 'KR'|country_name }}|{{ ''|country_name }}"
    ).render(Context({"a": Decimal("1000"), "c": "academic", "n": 1, "m": 3, "none": None}))
    assert html == ("USD 1,000.00|Academic institution|1 embassy|3 people||South Korea|")


def test_labels_of_stored_codes_follow_the_active_language():
    label = formats.label
    assert label("category", "local_government") == "Local government"
    with translation.override("ko"):
        assert label("category", "local_government") == "지방정부"
        assert label("fee_criterion", "employees") == "직원 수"
        assert str(MeetingStatus.PUBLISHED.label) == "회의록 공개됨"
    with translation.override("fr"):
        assert str(Category.INSTITUTION.label) == "Institution"
        assert label("institution_type", "public_agency") == (
            "Organisme public national ou infranational"
        )
