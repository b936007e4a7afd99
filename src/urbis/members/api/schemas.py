"""The request and response schemas of the registry's operations."""

import datetime as dt
from typing import Literal

from ninja import Schema

from urbis.members.models import (
    Organisation,
)

# --- schemas ---------------------------------------------------------------------------------


class OrganisationOut(Schema):
    slug: str
    name: str
    official_name: str
    category: str
    country: str
    city: str
    population: int | None
    population_year: int | None
    founding_member: bool
    institution_type: str
    corporate_category: str
    employees: int | None
    website: str
    description: str
    state: str

    @staticmethod
    def resolve_country(obj: Organisation) -> str:
        return str(obj.country)


class OrganisationPatch(Schema):
    """Only the fields sent are changed; a focal point may send only its allowed fields."""

    name: str = ""
    category: str = ""
    official_name: str = ""
    country: str = ""
    city: str = ""
    population: int | None = None
    population_year: int | None = None
    founding_member: bool = False
    institution_type: str = ""
    corporate_category: str = ""
    employees: int | None = None
    website: str = ""
    description: str = ""


class OrganisationIn(OrganisationPatch):
    """A new organisation: the fields of a change, with its name and category required."""

    name: str
    category: str


class DirectoryFilters(Schema):
    q: str = ""
    category: str = ""
    region: str = ""
    country: str = ""
    state: str = ""
    as_of: dt.date | None = None


class ExportFilters(DirectoryFilters):
    format: Literal["csv", "xlsx"] = "csv"


class CountsOut(Schema):
    as_of: dt.date
    counts: dict[str, dict[str, int]]


class LifecycleEventOut(Schema):
    kind: str
    date: dt.date
    date_precision: str
    reason: str
    decision_ref: str
    letter: str


class LifecycleEventIn(Schema):
    kind: str
    date: dt.date
    date_precision: str = "day"
    reason: str = ""
    decision_ref: str = ""
    letter: str = ""


class ParticipationOut(Schema):
    date: dt.date
    activity: str
    kind: str
    notes: str


class ParticipationIn(Schema):
    date: dt.date
    activity: str
    kind: str = "event"
    notes: str = ""


class ContactOut(Schema):
    id: int
    name: str
    position: str
    email: str
    phone: str
    mayoral_level: bool
    is_focal_point: bool
    language: str
    user_id: int | None


class ContactPatch(Schema):
    """Only the fields sent are changed. Only the secretariat may grant sign-in rights
    (`is_focal_point`, `user_id`); a focal point sending them is refused (403)."""

    name: str = ""
    position: str = ""
    email: str = ""
    phone: str = ""
    mayoral_level: bool = False
    language: str = ""
    is_focal_point: bool = False
    user_id: int | None = None


class ContactIn(ContactPatch):
    """A new contact: the fields of a change, with its name required."""

    name: str


class RowPlanOut(Schema):
    row: int
    name: str
    action: str
    changed: list[str]


class ImportResultOut(Schema):
    dry_run: bool
    created: int
    updated: int
    unchanged: int
    errors: list[str]
    rows: list[RowPlanOut]
