from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile

KINDS = [
    ("cities", "Cities and HDI (name, country, hdi, source)"),
    ("indicators", "Survey items (code, pillar, area, statement)"),
    ("survey", "Survey results (city, indicator, wave, share, respondents)"),
]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(choices=KINDS)
    file = forms.FileField(help_text="CSV (UTF-8) or XLSX, first row = column names.")

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Expected a .csv or .xlsx file.")
        return upload


class ComputeForm(forms.Form):
    """The parameters of a computation from the web; their bounds are checked by
    `jobs.index_compute_enqueue`, which the API uses too."""

    runs = forms.IntegerField(initial=1000, help_text="Monte Carlo runs")
    seed = forms.IntegerField(initial=2023)
    sobol_samples = forms.IntegerField(initial=256, help_text="0: no Sobol indices")
