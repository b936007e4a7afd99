"""Forms of the meeting workspace: they parse and validate input; the domain writes."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms

from urbis.governance.models import AgendaItem, Body, Meeting

TIME_ZONES = sorted(zoneinfo.available_timezones())


class MeetingForm(forms.ModelForm):
    """A meeting's header: what the memorandum prints. The time zone is one of the IANA
    names; times are the meeting's local times."""

    time_zone = forms.ChoiceField(choices=[(z, z) for z in TIME_ZONES], initial="UTC")
    body = forms.ChoiceField(choices=Body.choices)

    class Meta:
        model = Meeting
        fields = [
            "slug",
            "body",
            "number",
            "title",
            "date",
            "start_time",
            "end_time",
            "time_zone",
            "time_zone_label",
            "convocation_date",
            "venue",
            "online_platform",
            "host",
            "host_label",
            "chair",
            "language",
            "interpretation",
            "summary",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "convocation_date": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "end_time": forms.TimeInput(attrs={"type": "time"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }


class AgendaItemForm(forms.ModelForm):
    """An agenda item with its kind and statute basis (the article it rests on)."""

    class Meta:
        model = AgendaItem
        fields = [
            "number",
            "title",
            "kind",
            "article",
            "method",
            "starts_at",
            "ends_at",
            "office",
            "term_start",
            "term_end",
            "call_for_candidates_on",
            "hosts_meeting",
            "membership_review_ref",
            "membership_review_as_of",
            "summary",
        ]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}),
            "ends_at": forms.TimeInput(attrs={"type": "time"}),
            "term_start": forms.DateInput(attrs={"type": "date"}),
            "term_end": forms.DateInput(attrs={"type": "date"}),
            "call_for_candidates_on": forms.DateInput(attrs={"type": "date"}),
            "membership_review_as_of": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["article"].required = True  # every item rests on an article
        self.fields["membership_review_as_of"].label = "Membership review as of"
        self.fields[
            "membership_review_as_of"
        ].help_text = (
            "Set it to apply the status review computed on this date when the item is adopted."
        )


class ConveneForm(forms.Form):
    convocation_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    notice = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its own ids: the meeting form on the same page has a convocation date too.
        kwargs.setdefault("auto_id", "convene_%s")
        super().__init__(*args, **kwargs)


class ErratumForm(forms.Form):
    on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    subject = forms.CharField(max_length=300)
    correction = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class CandidateForm(forms.Form):
    organisation = forms.IntegerField(min_value=1)
    label = forms.CharField(max_length=300, required=False)
    nominated_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    nominated_by = forms.CharField(max_length=200, required=False)
