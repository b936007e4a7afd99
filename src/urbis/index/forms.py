from django import forms

KINDS = [
    ("cities", "Cities and HDI (name, country, hdi, source)"),
    ("indicators", "Survey items (code, pillar, area, statement)"),
    ("survey", "Survey results (city, indicator, wave, share, respondents)"),
]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(choices=KINDS)
    file = forms.FileField(help_text="CSV (UTF-8) or XLSX, first row = column names.")

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Expected a .csv or .xlsx file.")
        return upload
