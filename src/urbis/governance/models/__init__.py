"""Governance models: statutes, offices, meetings (one module per concern)."""

from urbis.governance.models.meetings import (
    AgendaItem,
    Ballot,
    Body,
    Candidate,
    CheckIn,
    CheckOut,
    Choice,
    Decision,
    Delegate,
    Erratum,
    ItemKind,
    Meeting,
    MeetingStatus,
    Method,
    Mode,
    Vote,
)
from urbis.governance.models.offices import OfficeKind, OfficeTerm
from urbis.governance.models.statutes import Amendment, Article, ArticleVersion, QuorumRule

__all__ = [
    "AgendaItem",
    "Amendment",
    "Article",
    "ArticleVersion",
    "Ballot",
    "Body",
    "Candidate",
    "CheckIn",
    "CheckOut",
    "Choice",
    "Decision",
    "Delegate",
    "Erratum",
    "ItemKind",
    "Meeting",
    "MeetingStatus",
    "Method",
    "Mode",
    "OfficeKind",
    "OfficeTerm",
    "QuorumRule",
    "Vote",
]
