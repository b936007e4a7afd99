"""Forms of the prize pages: they parse input; the rules live in `rules.py` and `domain`."""

from __future__ import annotations

from typing import Any

from django import forms
from django_countries.fields import CountryField

from urbis.prize.models import ApplicantKind, Edition, PrizeCategory


class ApplicationForm(forms.Form):
    category = forms.ModelChoiceField(queryset=PrizeCategory.objects.none())
    applicant_kind = forms.ChoiceField(choices=ApplicantKind.choices)
    applicant_name = forms.CharField(max_length=200, label="Applicant")
    applicant_title = forms.CharField(
        max_length=200, required=False, label="Position (individuals)"
    )
    city = forms.CharField(max_length=120, required=False)
    country = CountryField(blank=True).formfield()
    title = forms.CharField(max_length=300, label="Project title")
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}))
    contact_email = forms.EmailField(required=False)
    document = forms.FileField(required=False, label="Supporting document")
    document_title = forms.CharField(max_length=200, required=False)

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = edition.categories.order_by("sort_order")  # type: ignore[attr-defined]

    def domain_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("category", "document", "document_title"):
            data.pop(name, None)
        return data


class TriageForm(forms.Form):
    eligible = forms.TypedChoiceField(
        choices=[("1", "Eligible"), ("0", "Ineligible")], coerce=lambda v: v == "1"
    )
    note = forms.CharField(required=False, max_length=1000)


class ConflictForm(forms.Form):
    reason = forms.CharField(max_length=300)
