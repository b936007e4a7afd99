"""Governance models: statutes, offices, meetings (one module per concern)."""

from urbis.governance.models.meetings import (
    AgendaItem,
    Ballot,
    Body,
    Candidate,
    CheckIn,
    Choice,
    Decision,
    Delegate,
    ItemKind,
    Meeting,
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
    "Choice",
    "Decision",
    "Delegate",
    "ItemKind",
    "Meeting",
    "Method",
    "Mode",
    "OfficeKind",
    "OfficeTerm",
    "QuorumRule",
    "Vote",
]
