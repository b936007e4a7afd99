"""REST endpoint of reports: the highlights of an assembly with the definition of each count."""

from __future__ import annotations

from ninja import Router, Schema
from ninja.errors import HttpError

from urbis.reports.assembly import ReportError, highlights_of

router = Router(tags=["reports"])


class FigureOut(Schema):
    key: str
    label: str
    value: int | str
    definition: str


@router.get("/assemblies/{number}/highlights", response=list[FigureOut])
def highlights(request, number: int):  # type: ignore[no-untyped-def]
    """The highlights of the activity report of the `number`th General Assembly."""
    try:
        return highlights_of(number)
    except ReportError as exc:
        raise HttpError(404, str(exc)) from exc
