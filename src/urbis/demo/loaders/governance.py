"""Governance of the 6th General Assembly data set: statutes, offices, meetings, decisions.

Reads `governance.yaml`; organisations are found by registry name or alias. Every write
goes through `urbis.governance.domain`, so decisions carry the quorum computed from the
registry as of each meeting's convocation date, and Art. 11(4) appoints the next host.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError

from urbis.demo.loaders.context import LoadContext
from urbis.demo.yamlio import LINE_KEY, DataError, DataErrors, read_yaml
from urbis.governance import domain
from urbis.governance.models import AgendaItem, Decision, Meeting
from urbis.members.models import Organisation

FILE = "governance.yaml"


def _line(row: Any) -> int:
    return row.get(LINE_KEY, 0) if isinstance(row, dict) else 0


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != LINE_KEY}


def _time(value: Any) -> dt.time | None:
    if value in (None, ""):
        return None
    return dt.time.fromisoformat(str(value))


class _Names:
    """Organisations by name or alias (case-insensitive), read in one query."""

    def __init__(self) -> None:
        self.by_key: dict[str, Organisation] = {}
        for org in Organisation.objects.all():
            for key in [org.name, *(org.aliases or [])]:
                self.by_key.setdefault(str(key).casefold(), org)

    def get(self, name: str) -> Organisation | None:
        return self.by_key.get(str(name).casefold())


def _check_refs(doc: dict[str, Any], names: _Names) -> list[DataError]:
    """Every organisation named anywhere in the file must be in the registry."""
    errors: list[DataError] = []

    def need(row: dict[str, Any], key: str = "organisation") -> None:
        value = row.get(key)
        if value and names.get(value) is None:
            errors.append(DataError(FILE, _line(row), key, f"no organisation named '{value}'"))

    for row in doc.get("offices") or []:
        need(row)
    for row in doc.get("regional_offices") or []:
        need(row)
    for m in doc.get("meetings") or []:
        need(m, "host")
        for item in m.get("items") or []:
            for c in item.get("candidates") or []:
                need(c)
        for a in m.get("attendance") or []:
            need(a)
    return errors


def _error(row: Any, exc: ValidationError) -> DataError:
    if hasattr(exc, "message_dict"):
        field, messages = next(iter(exc.message_dict.items()))
        return DataError(FILE, _line(row), field, "; ".join(messages))
    return DataError(FILE, _line(row), "row", "; ".join(exc.messages))


def load(ctx: LoadContext) -> str:
    doc = read_yaml(ctx.data_dir / FILE) or {}
    names = _Names()
    errors = _check_refs(doc, names)
    if errors:
        raise DataErrors(errors)
    actor = ctx.actor
    counts = {"articles": 0, "amendments": 0, "terms": 0, "meetings": 0, "decisions": 0}
    try:
        row: Any = None
        for row in doc.get("quorum_rules") or []:
            domain.quorum_rule_set(
                actor=actor,
                effective_from=row["effective_from"],
                numerator=row["numerator"],
                denominator=row["denominator"],
                counted_categories=list(row["counted_categories"]),
                counted_states=list(row["counted_states"]),
                member_categories=list(row.get("member_categories") or []),
                member_states=list(row.get("member_states") or []),
                body=row.get("body", "ga"),
                text=row.get("text", ""),
            )
        for row in doc.get("articles") or []:
            domain.article_save(
                actor=actor,
                number=row["number"],
                title=row["title"],
                text=row["text"],
                effective_from=row["effective_from"],
            )
            counts["articles"] += 1
        for row in doc.get("offices") or []:
            org = names.get(row["organisation"]) if row.get("organisation") else None
            domain.office_term_record(
                actor=actor,
                kind=row["kind"],
                organisation=org,
                person_name=row.get("person_name", ""),
                start=row["start"],
                end=row.get("end"),
                basis=row.get("basis", ""),
                note=row.get("note", "") or row.get("label", ""),
            )
            counts["terms"] += 1
        items: dict[tuple[str, int], tuple[AgendaItem, dict[str, Any]]] = {}
        for m in doc.get("meetings") or []:
            ctx.progress(f"Loading {m.get('title', 'meeting')}")
            row = m
            meeting = _meeting(m, names, actor)
            counts["meetings"] += 1
            for item_row in m.get("items") or []:
                row = item_row
                items[(meeting.slug, item_row["number"])] = (
                    _item(meeting, item_row, names, actor),
                    item_row,
                )
            start = dt.datetime.combine(
                meeting.date, meeting.start_time or dt.time(9), ZoneInfo(meeting.time_zone)
            )
            for a in m.get("attendance") or []:
                row = a
                delegate = domain.delegate_accredit(
                    actor=actor,
                    meeting=meeting,
                    organisation=names.get(a["organisation"]),  # type: ignore[arg-type]
                    name=a.get("name", ""),
                    position=a.get("position", ""),
                    mode=a.get("mode", "on_site"),
                    mayoral_level=a.get("mayoral_level"),
                    note=a.get("note", "") or a.get("label", ""),
                )
                domain.attendance_check_in(actor=actor, delegate=delegate, at=start)
        for row in doc.get("amendments") or []:
            found = items.get((row["meeting"], row["agenda"]))
            if found is None:
                raise ValidationError(
                    {"agenda": f"no agenda item {row['meeting']} #{row['agenda']}"}
                )
            domain.amendment_propose(
                actor=actor,
                article_number=row["article"],
                source=row["source"],
                current_text=row["current"],
                proposal=row["proposal"],
                rationale=row.get("rationale", ""),
                proposed_text=row.get("proposed_text", ""),
                effective_from=row.get("effective_from"),
                agenda_item=found[0],
            )
            counts["amendments"] += 1
        for row in doc.get("regional_offices") or []:
            found = items.get((row.get("meeting", ""), row.get("agenda", 0)))
            domain.office_term_record(
                actor=actor,
                kind="regional_office",
                organisation=names.get(row["organisation"]),
                region=row["region"],
                title=row.get("title", ""),
                start=row["start"],
                end=row.get("end"),
                basis=f"{found[0].meeting.title}, agenda {found[0].number}" if found else "",
                note=row.get("note", ""),
                agenda_item=found[0] if found else None,
            )
            counts["terms"] += 1
        for item, item_row in items.values():
            row = item_row
            if Decision.objects.filter(agenda_item=item).exists():
                continue
            if item.kind != "report" and not item_row.get("outcome"):
                continue
            meeting = item.meeting
            at = dt.datetime.combine(
                meeting.date,
                item.ends_at or meeting.end_time or dt.time(12),
                ZoneInfo(meeting.time_zone),
            )
            domain.decision_record(
                actor=actor, agenda_item=item, outcome=item_row.get("outcome", ""), at=at
            )
            counts["decisions"] += 1
        for m in doc.get("meetings") or []:
            row = m
            if m.get("status") == "published":
                domain.meeting_record_published(
                    actor=actor, meeting=Meeting.objects.get(slug=m["slug"])
                )
    except ValidationError as exc:
        raise DataErrors([_error(row, exc)]) from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise DataErrors(
            [DataError(FILE, _line(row), "row", f"missing or bad value: {exc}")]
        ) from exc
    return (
        f"governance: {counts['articles']} articles, {counts['amendments']} amendments, "
        f"{counts['terms']} office terms, {counts['meetings']} meetings, "
        f"{counts['decisions']} new decisions"
    )


MEETING_KEYS = {
    "body",
    "title",
    "number",
    "date",
    "start_time",
    "end_time",
    "time_zone",
    "time_zone_label",
    "convocation_date",
    "changes_since",
    "venue",
    "online_platform",
    "host_label",
    "chair",
    "moderators",
    "representatives",
    "language",
    "interpretation",
    "summary",
    "closing",
    "notes",
}
ITEM_KEYS = {
    "title",
    "kind",
    "starts_at",
    "ends_at",
    "article",
    "method",
    "summary",
    "office",
    "term_start",
    "term_end",
    "call_for_candidates_on",
    "hosts_meeting",
    "membership_review_ref",
}


def _meeting(m: dict[str, Any], names: _Names, actor: Any) -> Meeting:
    fields = {k: v for k, v in _clean(m).items() if k in MEETING_KEYS}
    for key in ("start_time", "end_time"):
        if key in fields:
            fields[key] = _time(fields[key])
    if m.get("host"):
        fields["host"] = names.get(m["host"])
    return domain.meeting_save(actor=actor, slug=m["slug"], **fields)


def _item(meeting: Meeting, row: dict[str, Any], names: _Names, actor: Any) -> AgendaItem:
    fields = {k: v for k, v in _clean(row).items() if k in ITEM_KEYS}
    for key in ("starts_at", "ends_at"):
        if key in fields:
            fields[key] = _time(fields[key])
    item = domain.agenda_item_save(actor=actor, meeting=meeting, number=row["number"], **fields)
    for order, c in enumerate(row.get("candidates") or [], start=1):
        domain.candidate_add(
            actor=actor,
            agenda_item=item,
            organisation=names.get(c["organisation"]),  # type: ignore[arg-type]
            label=c.get("label", ""),
            nominated_by=c.get("nominated_by", ""),
            appointed_by=c.get("appointed_by", ""),
            order=order,
        )
    return item
