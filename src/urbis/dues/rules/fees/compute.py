"""A member's fee for a fiscal year from the schedule in force (Annex 3, Art. 19), and its
explanation in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from urbis.dues.rules.fees.schedules import (
    EN_DASH,
    EXAMPLE_NOTE,
    Criterion,
    FeeError,
    Schedule,
    band_for,
    schedule_in_force,
)


@dataclass(frozen=True)
class Fee:
    amount: Decimal
    currency: str
    fiscal_year: int
    schedule_code: str
    schedule_title: str
    effective_from: dt.date
    table: str
    criterion: Criterion
    value: int | None
    band: int
    band_label: str
    example: bool
    value_note: str = ""
    value_year: int | None = None  # the year of the GDP figure, when the criterion is GDP
    value_source: str = ""  # where the GDP figure comes from

    @property
    def explanation(self) -> str:
        """The member-facing explanation plus, for an example schedule, the note that it is
        not statute text (what staff, the API and the stored invoice keep)."""
        if self.example:
            return f"{self.member_explanation} {EXAMPLE_NOTE}"
        return self.member_explanation

    @property
    def member_explanation(self) -> str:
        """E.g. 'corporation/sme, 300-499 employees → USD 2,500: schedule ... band 3'; what a
        member reads, without the staff-only note on example schedules."""
        if self.criterion == Criterion.FLAT:
            what = f"{self.table}, flat fee"
        elif self.criterion == Criterion.EMPLOYEES:
            what = f"{self.table}, {self.value:,} employees (band {self.band_label})"
        else:
            what = f"{self.table}, GDP per capita (PPP) USD {self.value:,} (band {self.band_label})"
        text = (
            f"{what} → {self.currency} {self.amount:,.0f}: schedule '{self.schedule_title}' "
            f"in force on 1 Jan {self.fiscal_year} (effective {self.effective_from:%d %b %Y}), "
            f"band {self.band}"
        )
        if self.value_note:
            text += f"; {self.value_note}"
        return text


def compute_fee(
    schedules: Iterable[Schedule],
    *,
    fiscal_year: int,
    category: str,
    subtype: str = "",
    employees: int | None = None,
    gdp_ppp: int | None = None,
    gdp_note: str = "",
    gdp_year: int | None = None,
    gdp_source: str = "",
) -> Fee:
    """The fee of a member for a fiscal year, with what decided it (Annex 3, Art. 19)."""
    found = schedule_in_force(
        schedules, fiscal_year=fiscal_year, category=category, subtype=subtype
    )
    kind = f"{category}/{subtype}" if subtype else category
    if found is None:
        raise FeeError(f"no fee schedule in force on 1 Jan {fiscal_year} covers {kind}")
    schedule, table = found
    value: int | None
    note = ""
    if table.criterion == Criterion.EMPLOYEES:
        if employees is None:
            raise FeeError(f"{kind}: the number of employees is not recorded")
        value = employees
    elif table.criterion == Criterion.GDP_PPP:
        if gdp_ppp is None:
            raise FeeError(f"{kind}: no GDP per capita (PPP) for the member's country")
        value, note = gdp_ppp, gdp_note
    else:
        value = None
    number, band = band_for(table, table.covers_from if value is None else value)
    return Fee(
        amount=band.amount,
        currency=schedule.currency,
        fiscal_year=fiscal_year,
        schedule_code=schedule.code,
        schedule_title=schedule.title,
        effective_from=schedule.effective_from,
        table=table.key,
        criterion=table.criterion,
        value=value,
        band=number,
        band_label=band.label,
        example=schedule.example,
        value_note=note,
        value_year=gdp_year if table.criterion == Criterion.GDP_PPP else None,
        value_source=gdp_source if table.criterion == Criterion.GDP_PPP else "",
    )


def _band_words(fee: Fee, unit: str) -> str:
    """'300 to 499', '2,000 or more' from a band label such as '300-499' or '2,000+'."""
    label = fee.band_label.replace(",", "")
    if label.endswith("+"):
        return f"{unit}{int(label[:-1]):,} or more"
    low, _, high = label.partition(EN_DASH)
    return f"{unit}{int(low):,} to {unit}{int(high):,}"


def fee_in_words(fee: Fee, *, member_kind: str, country_name: str = "") -> str:
    """The fee explained in a member's words, without internal codes (Annex 3, Art. 19):
    what kind of member, the figure that decides the band, the band, the schedule and the
    date it is in force, and the amount. `member_kind` is e.g. 'Corporation (Start-up)'."""
    amount = f"{fee.currency} {fee.amount:,.2f}"
    schedule = (
        f"the fee schedule \u201c{fee.schedule_title}\u201d in force on 1 January {fee.fiscal_year}"
    )
    if fee.criterion == Criterion.EMPLOYEES:
        decides = (
            f"with {fee.value:,} employees, it falls in the band of "
            f"{_band_words(fee, '')} employees"
        )
    elif fee.criterion == Criterion.GDP_PPP:
        where = f"of {country_name}" if country_name else "of its country"
        year = f" in {fee.value_year}" if fee.value_year else ""
        source = f" (source: {fee.value_source})" if fee.value_source else ""
        decides = (
            f"the GDP per capita (PPP) {where} was USD {fee.value:,}{year}{source}, "
            f"in the band of {_band_words(fee, 'USD ')}"
        )
    else:
        decides = "the fee is the same for every member of this kind"
    text = f"{member_kind}: {decides}. Under {schedule}, the annual fee is {amount}."
    if fee.example:
        text += (
            " The statutes do not yet print this table; the fee follows a provisional table "
            "adopted by the secretariat."
        )
    return text
