"""Registry models (registry.py); dues models join as sibling modules."""

from urbis.members.models.dues import (
    CreditNote,
    FeeSchedule,
    Invoice,
    Payment,
    ReviewFlag,
    StatusReview,
)
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
    "CreditNote",
    "FeeSchedule",
    "InstitutionType",
    "Invoice",
    "LifecycleEvent",
    "Organisation",
    "Participation",
    "Payment",
    "ReviewFlag",
    "StatusReview",
]
