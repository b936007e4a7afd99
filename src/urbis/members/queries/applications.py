"""Reads of applications for membership."""

from __future__ import annotations

from django.db.models import QuerySet

from urbis.members.models import MembershipApplication


def application_list(*, status: str = "") -> QuerySet[MembershipApplication]:
    """Applications, newest first, optionally of one status (one query)."""
    qs = MembershipApplication.objects.select_related("organisation").order_by(
        "-submitted_at", "-id"
    )
    return qs.filter(status=status) if status else qs
