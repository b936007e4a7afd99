"""Public reads: a published event's programme by day and its statistics."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from urbis.events import queries
from urbis.events.api.base import router
from urbis.events.api.schemas import ProgrammeOut, StatisticsOut
from urbis.events.models import Event, Session


def _session_out(s: Session) -> dict[str, object]:
    return {
        "id": s.pk,
        "day": s.day,
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "time_note": s.time_note,
        "title": s.title,
        "kind": s.kind,
        "venue": s.venue.name if s.venue else "",
        "address": s.venue.address if s.venue else "",
        "room": s.room,
        "official_language": s.official_language,
        "interpretation": s.interpretation,
        "online": s.online,
        "capacity": s.capacity,
        "taken": s.taken,  # type: ignore[attr-defined]
        "is_assembly": s.is_assembly,
        "people": [
            {"role": p.role, "name": p.name, "position": p.position} for p in s.people.all()
        ],
        "pickup_places": [{"name": p.name, "address": p.address} for p in s.pickup_places.all()],
    }


def _public_event(slug: str) -> Event:
    return get_object_or_404(Event, slug=slug, is_public=True)


@router.get(
    "/{slug}/programme",
    response=ProgrammeOut,
    operation_id="urbis_events_api_programme",
)
def programme(request: HttpRequest, slug: str) -> dict[str, object]:
    event = _public_event(slug)
    return {
        "event": event,
        "days": [
            {
                "number": d.number,
                "day": d.day,
                "sessions": [_session_out(s) for s in d.sessions],
            }
            for d in queries.programme_days(event)
        ],
        "sponsors": list(event.sponsors.all()),
    }


@router.get(
    "/{slug}/statistics",
    response=StatisticsOut,
    operation_id="urbis_events_api_statistics",
)
def statistics(request: HttpRequest, slug: str) -> dict[str, object]:
    stats = queries.statistics(_public_event(slug))
    return {
        "cities": stats.city_count,
        "cities_by_region": stats.cities_by_region,
        "countries": stats.countries,
        "mayoral_level": stats.mayoral_level,
        "organisations": [o.name for o in stats.organisations],
        "embassies": [o.name for o in stats.embassies],
        "delegates": stats.delegates,
        "on_site": stats.on_site,
        "online": stats.online,
        "checked_in": stats.checked_in,
        "definitions": stats.definitions,
    }
