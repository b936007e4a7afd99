"""Registry models (registry.py): organisations, contacts, the lifecycle log, participation;
applications for membership (applications.py)."""

from urbis.members.models.applications import AGENDA_PREFIX, MembershipApplication
from urbis.members.models.registry import (
    MEMBER_CATEGORIES,
    Category,
    Contact,
    CorporateCategory,
    InstitutionType,
    LifecycleEvent,
    Organisation,
    Participation,
)

__all__ = [
    "AGENDA_PREFIX",
    "MEMBER_CATEGORIES",
    "Category",
    "Contact",
    "CorporateCategory",
    "InstitutionType",
    "LifecycleEvent",
    "MembershipApplication",
    "Organisation",
    "Participation",
]
