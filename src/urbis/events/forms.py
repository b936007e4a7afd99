"""Forms of the events pages: they parse input; the domain functions validate and write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django_countries import countries

from urbis.events import queries, rules
from urbis.events.models import (
    AirportTransfer,
    Attendance,
    Event,
    Session,
    SessionKind,
    SessionPerson,
    Venue,
)
from urbis.members.models import Organisation


class SessionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Session) -> str:  # type: ignore[override]
        left = None if obj.capacity is None else max(obj.capacity - obj.taken, 0)  # type: ignore[attr-defined]
        places = "" if left is None else f" — {left} of {obj.capacity} places left"
        return f"{obj.day:%a %d %b}: {obj.title}{places}"


class RegistrationForm(forms.Form):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), empty_label="Choose…"
    )
    person_name = forms.CharField(label="Delegate's name", max_length=200)
    position = forms.CharField(max_length=300, required=False)
    email = forms.EmailField(required=False)
    attendance = forms.ChoiceField(choices=Attendance.choices, initial=Attendance.ON_SITE)
    mayoral_level = forms.BooleanField(
        required=False, label="Mayoral level (governor, mayor, vice or deputy mayor)"
    )
    head_of_delegation = forms.BooleanField(required=False)
    hotel = forms.CharField(max_length=200, required=False)
    dietary_needs = forms.CharField(max_length=300, required=False)
    airport_transfer = forms.ChoiceField(
        choices=AirportTransfer.choices, initial=AirportTransfer.NONE
    )
    sessions = SessionChoiceField(
        queryset=None,  # type: ignore[arg-type]
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Sessions and tours",
    )

    def __init__(self, *args: Any, event: Event, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = queries.organisations_for_registration(user)
        self.fields["organisation"].queryset = orgs  # type: ignore[attr-defined]
        self.fields["sessions"].queryset = queries.signup_sessions(event)  # type: ignore[attr-defined]
        if orgs.count() == 1:
            self.fields["organisation"].initial = orgs.first()


# --- the programme: staff forms (parse only; the domain's editing functions validate) -----

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _country_choices() -> list[tuple[str, str]]:
    return [("", "—"), *((code, str(name)) for code, name in countries)]


class EventForm(forms.Form):
    name = forms.CharField(max_length=200)
    slug = forms.SlugField(
        max_length=80, required=False, help_text="In the address; made from the name if empty."
    )
    theme = forms.CharField(max_length=200, required=False)
    starts_on = forms.DateField(widget=DATE, label="First day")
    ends_on = forms.DateField(widget=DATE, label="Last day")
    time_zone = forms.ChoiceField(
        choices=[],
        help_text="Session times are entered and shown in this IANA time zone.",
    )
    city = forms.CharField(max_length=120, required=False, label="Host city")
    country = forms.ChoiceField(choices=_country_choices, required=False)
    host = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label="—",
        label="Host organisation",
    )
    official_language = forms.CharField(max_length=100, required=False)
    interpretation = forms.CharField(max_length=200, required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    is_public = forms.BooleanField(required=False, initial=True, label="Programme is public")
    registration_open = forms.BooleanField(
        required=False, initial=True, label="Registration switched on"
    )
    registration_opens_at = forms.DateTimeField(
        widget=LOCAL_DATETIME,
        required=False,
        label="Registration opens",
        help_text="In the event's time zone; empty: open now.",
    )
    registration_closes_at = forms.DateTimeField(
        widget=LOCAL_DATETIME,
        required=False,
        label="Registration closes",
        help_text="In the event's time zone; empty: no end.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(z, z) for z in rules.time_zone_names()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        """The window's wall-clock times become instants of the chosen zone."""
        data = super().clean() or {}
        zone = data.get("time_zone")
        for name in ("registration_opens_at", "registration_closes_at"):
            value = data.get(name)
            if value is None or not zone:
                continue
            try:
                data[name] = rules.local_to_utc(value.date(), value.time(), zone)
            except ValueError as exc:
                self.add_error(name, str(exc))
        return data

    @staticmethod
    def initial_for(event: Event) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(event, name)
            for name in [
                "name",
                "slug",
                "theme",
                "starts_on",
                "ends_on",
                "time_zone",
                "city",
                "official_language",
                "interpretation",
                "description",
                "is_public",
                "registration_open",
            ]
        }
        initial["country"] = str(event.country)
        initial["host"] = event.host_id
        for name in ("registration_opens_at", "registration_closes_at"):
            at = getattr(event, name)
            initial[name] = (
                rules.utc_to_local(at, event.time_zone).replace(tzinfo=None) if at else None
            )
        return initial


class VenueForm(forms.Form):
    name = forms.CharField(max_length=200)
    address = forms.CharField(max_length=300, required=False)
    city = forms.CharField(max_length=120, required=False)
    country = forms.ChoiceField(choices=_country_choices, required=False)


def _lines(text: str, columns: int, field: str) -> list[list[str]]:
    """Non-empty lines split at "|" into at most `columns` trimmed parts."""
    rows = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) > columns:
            raise forms.ValidationError(f"Line {n}: at most {columns} parts separated by “|”.")
        rows.append(parts + [""] * (columns - len(parts)))
    return rows


class SessionForm(forms.Form):
    title = forms.CharField(max_length=300)
    kind = forms.ChoiceField(choices=SessionKind.choices, initial=SessionKind.SESSION)
    day = forms.TypedChoiceField(choices=[], coerce=dt.date.fromisoformat)
    start_time = forms.TimeField(widget=TIME, required=False, label="Starts")
    end_time = forms.TimeField(widget=TIME, required=False, label="Ends")
    time_note = forms.CharField(
        max_length=60, required=False, help_text="Shown when there is no time, e.g. “Flexible”."
    )
    venue = forms.ModelChoiceField(queryset=Venue.objects.order_by("name"), required=False)
    room = forms.CharField(max_length=120, required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    people = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Speakers, moderators, chairs",
        help_text="One a line: role | name | position. Roles: "
        + ", ".join(SessionPerson.Role.values)
        + ".",
    )
    pickup_places = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Meeting points",
        help_text="One a line: place | address (pick-up places, in order).",
    )
    official_language = forms.CharField(max_length=100, required=False)
    interpretation = forms.CharField(max_length=200, required=False)
    online = forms.BooleanField(required=False, label="Also online")
    capacity = forms.IntegerField(
        min_value=0, max_value=1_000_000, required=False, help_text="Empty: no limit."
    )
    requires_signup = forms.BooleanField(required=False, label="Delegates sign up")
    is_assembly = forms.BooleanField(
        required=False, label="Statutory session (its check-ins are the attendance)"
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["day"].choices = [  # type: ignore[attr-defined]
            (d.isoformat(), f"Day {n}: {d:%a %d %b %Y}")
            for n, d in enumerate(queries.event_days(event), start=1)
        ]
        zone = event.time_zone
        self.fields["start_time"].label = f"Starts ({zone})"
        self.fields["end_time"].label = f"Ends ({zone})"

    def clean_people(self) -> list[dict[str, str]]:
        rows = _lines(self.cleaned_data.get("people", ""), 3, "people")
        return [{"role": r[0].lower(), "name": r[1], "position": r[2]} for r in rows]

    def clean_pickup_places(self) -> list[dict[str, str]]:
        rows = _lines(self.cleaned_data.get("pickup_places", ""), 2, "pickup_places")
        return [{"name": r[0], "address": r[1]} for r in rows]

    @staticmethod
    def initial_for(session: Session) -> dict[str, Any]:
        zone = session.event.time_zone
        initial: dict[str, Any] = {
            name: getattr(session, name)
            for name in [
                "title",
                "kind",
                "time_note",
                "room",
                "description",
                "official_language",
                "interpretation",
                "online",
                "capacity",
                "requires_signup",
                "is_assembly",
            ]
        }
        initial["day"] = session.day.isoformat()
        initial["venue"] = session.venue_id
        for name, attr in (("start_time", "starts_at"), ("end_time", "ends_at")):
            at = getattr(session, attr)
            initial[name] = rules.utc_to_local(at, zone).time() if at else None
        initial["people"] = "\n".join(
            " | ".join(filter(None, (p.role, p.name, p.position))) for p in session.people.all()
        )
        initial["pickup_places"] = "\n".join(
            " | ".join(filter(None, (p.name, p.address))) for p in session.pickup_places.all()
        )
        return initial


class SponsorForm(forms.Form):
    name = forms.CharField(max_length=200)
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("name"), required=False, empty_label="—"
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    website = forms.URLField(required=False, assume_scheme="https")
    order = forms.IntegerField(min_value=0, max_value=32767, initial=0)
