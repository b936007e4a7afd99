"""The registration form: parses input; the domain function validates and writes."""

from __future__ import annotations

from typing import Any

from django import forms

from urbis.events import queries
from urbis.events.models import AirportTransfer, Attendance, Event, Session


class SessionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Session) -> str:  # type: ignore[override]
        left = None if obj.capacity is None else max(obj.capacity - obj.taken, 0)  # type: ignore[attr-defined]
        places = "" if left is None else f" — {left} of {obj.capacity} places left"
        return f"{obj.day:%a %d %b}: {obj.title}{places}"


class RegistrationForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, empty_label="Choose…")  # type: ignore[arg-type]
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
