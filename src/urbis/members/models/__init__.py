"""Registry models (registry.py): organisations, contacts, the lifecycle log, participation."""

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
    "MEMBER_CATEGORIES",
    "Category",
    "Contact",
    "CorporateCategory",
    "InstitutionType",
    "LifecycleEvent",
    "Organisation",
    "Participation",
]
