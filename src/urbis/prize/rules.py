"""The prize's rules as pure functions (no ORM): eligibility and conflicts of interest.

Citations refer to the prize rules of the edition ("Rules" below), as summarised in the
design: categories and the applicant kinds they admit (Rules §2), the call period (§3),
the required content of an application (§4) and conflicts of interest (§6).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

APPLICANT_KINDS = ("city", "corporation", "institution", "individual")
INDIVIDUAL = "individual"


class Aggregation(StrEnum):
    MEAN = "mean"
    MEDIAN = "median"
    TRIMMED = "trimmed"
    CALIBRATED = "calibrated"


# Krippendorff's levels of measurement (Rules §8: agreement is reported per criterion).
AGREEMENT_LEVELS = ("nominal", "ordinal", "interval", "ratio")

REQUIRED_FIELDS = ("title", "summary", "applicant_name", "country")


@dataclass(frozen=True)
class Candidate:
    """What eligibility looks at, whatever stores it."""

    applicant_kind: str
    applicant_name: str
    title: str
    summary: str
    country: str
    city: str
    category_code: str
    category_name: str
    category_kinds: Sequence[str]


def eligibility_errors(
    candidate: Candidate, *, on: dt.date, call_opens: dt.date, call_closes: dt.date
) -> dict[str, str]:
    """Why an application cannot be submitted, by field (empty: it can).

    Rules §2: each category admits some applicant kinds; individuals are admitted only
    in Leadership. Rules §3: applications are submitted within the call period.
    Rules §4: a title, a summary, the applicant's name and country are required; a city
    applies with its city named.
    """
    errors: dict[str, str] = {}
    for name in REQUIRED_FIELDS:
        if not str(getattr(candidate, name) or "").strip():
            errors[name] = "This field is required."
    kind = candidate.applicant_kind
    if kind not in APPLICANT_KINDS:
        errors["applicant_kind"] = f"Unknown applicant kind '{kind}'."
    elif kind not in candidate.category_kinds:
        if kind == INDIVIDUAL:
            errors["applicant_kind"] = (
                f"Individuals may apply only in Leadership, not in {candidate.category_name}."
            )
        else:
            allowed = ", ".join(candidate.category_kinds) or "nobody"
            errors["applicant_kind"] = f"{candidate.category_name} admits {allowed}; not a {kind}."
    if kind == "city" and not candidate.city.strip():
        errors["city"] = "A city applies with its city named."
    if closed := call_error(on=on, call_opens=call_opens, call_closes=call_closes):
        errors["submitted_at"] = closed
    return errors


def call_error(*, on: dt.date, call_opens: dt.date, call_closes: dt.date) -> str | None:
    """Rules §3: applications are drafted and submitted within the call period only.
    Returns the refusal, or None while the call is open."""
    if on < call_opens:
        return f"The call opens on {call_opens.isoformat()}."
    if on > call_closes:
        return f"The call closed on {call_closes.isoformat()}."
    return None


def category_kinds_errors(kinds: Iterable[str], *, leadership: bool) -> list[str]:
    """Rules §2: the kinds a category admits; individuals only in Leadership."""
    errors = [f"Unknown applicant kind '{k}'." for k in kinds if k not in APPLICANT_KINDS]
    if INDIVIDUAL in kinds and not leadership:
        errors.append("Individuals may be admitted only in Leadership.")
    return errors


@dataclass(frozen=True)
class Party:
    """The ties that make a conflict: city, organisation (id or name) and country."""

    city: str = ""
    organisation: str = ""
    country: str = ""


def _norm(value: str) -> str:
    return " ".join(value.casefold().split())


def conflict_reasons(evaluator: Party, applicant: Party) -> list[tuple[str, str]]:
    """Rules §6: an evaluator never reviews an applicant of the same city, organisation
    or country. Returns (source, reason) pairs; empty when there is no conflict."""
    found: list[tuple[str, str]] = []
    if evaluator.city and _norm(evaluator.city) == _norm(applicant.city):
        found.append(("city", f"Same city: {applicant.city}"))
    if evaluator.organisation and _norm(evaluator.organisation) == _norm(applicant.organisation):
        found.append(("organisation", f"Same organisation: {applicant.organisation}"))
    if evaluator.country and evaluator.country == applicant.country:
        found.append(("country", f"Same country: {applicant.country}"))
    return found


# Rules §5: the fit of an evaluator to an application, which the assignment maximises. An
# expertise area shared with the application (its category or one of its areas) counts
# once; a bid adds its weight (a "not willing" bid is a strong wish, not a conflict).
EXPERTISE_FIT = 2.0
BID_FIT = {"eager": 3.0, "willing": 1.0, "not_willing": -3.0}


def fit(*, expertise: Iterable[str], areas: Iterable[str], bid: str | None) -> float:
    """Rules §5: how well an evaluator fits an application."""
    shared = {_norm(a) for a in expertise} & {_norm(a) for a in areas}
    return (EXPERTISE_FIT if shared else 0.0) + (BID_FIT[bid] if bid else 0.0)


def round_write_error(*, round_number: int, status: str) -> str | None:
    """Rules §7: a round's scores are final when it closes; a later round never edits an
    earlier round's score. Returns the refusal, or None when writing is allowed."""
    if status == "closed":
        return f"Round {round_number} is closed: its scores can no longer change."
    if status != "open":
        return f"Round {round_number} is not open for scoring."
    return None


def tie_break_keys(configured: Sequence[str], criteria: Mapping[str, object]) -> list[str]:
    """Rules §8: the explicit tie-break chain. The aggregate score comes first, then the
    configured keys in order, and the application reference always comes last, so that
    the order is total and deterministic."""
    keys = ["score"]
    for key in configured:
        if key.startswith("criterion:"):
            if key.split(":", 1)[1] not in criteria:
                raise ValueError(f"Unknown criterion in tie-break: {key}")
        elif key not in {"median", "reviews", "submitted_at"}:
            raise ValueError(f"Unknown tie-break key: {key}")
        if key not in keys:
            keys.append(key)
    keys.append("reference")
    return keys
