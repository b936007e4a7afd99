"""Office holders on a date: the terms in force, in the statutes' order of offices."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from urbis.governance.models import OfficeKind, OfficeTerm


def terms_on(on: dt.date, *, kind: str = "") -> QuerySet[OfficeTerm]:
    """Who held which office on a date (terms are inclusive; an open end runs on)."""
    qs = OfficeTerm.objects.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))
    if kind:
        qs = qs.filter(kind=kind)
    rank = Case(
        *(When(kind=kind, then=Value(i)) for i, kind in enumerate(OfficeKind.values)),
        output_field=IntegerField(),
    )
    return qs.select_related("organisation").order_by(
        rank, "region", "organisation__name", "person_name"
    )


def holder_on(kind: str, on: dt.date) -> OfficeTerm | None:
    """The single holder of a single-holder office on a date, if any."""
    return terms_on(on, kind=kind).order_by("-start").first()
