"""Forms of the registry pages: they parse fields and nothing else.

Validation that is a rule of the registry (an impossible lifecycle transition, a field that
only applies to one category, a duplicate) happens in `domain`; views copy its errors back
onto these forms with `add_domain_errors`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.forms.models import fields_for_model, model_to_dict

from urbis.members.domain.applications import APPLICATION_FIELDS
from urbis.members.models import (
    MEMBER_CATEGORIES,
    Category,
    Contact,
    LifecycleEvent,
    MembershipApplication,
    Organisation,
    Participation,
)
from urbis.members.rules import State


class LinesField(forms.CharField):
    """A list of strings edited as one line each (e.g. an organisation's aliases)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


def _formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    if isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


class _ModelFieldsForm(forms.Form):
    """A plain form whose fields are the model's form fields named in `fields`."""

    model: type = Organisation

    def __init__(
        self, *args: Any, fields: Iterable[str], instance: Any = None, **kwargs: Any
    ) -> None:
        names = list(fields)
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = model_to_dict(instance, fields=names)
        super().__init__(*args, **kwargs)
        parsed = fields_for_model(self.model, fields=names, formfield_callback=_formfield)
        for name, field in parsed.items():
            self.fields[name] = field


class OrganisationForm(_ModelFieldsForm):
    model = Organisation

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "aliases" in self.fields:
            self.fields["aliases"] = LinesField(
                required=False, help_text="Other names the organisation appears under, one a line."
            )


class LifecycleForm(_ModelFieldsForm):
    model = LifecycleEvent
    FIELDS = ("kind", "date", "date_precision", "reason", "decision_ref", "letter")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, fields=self.FIELDS, **kwargs)
        self.fields["kind"].label = "Event"
        self.fields["date"].widget = forms.DateInput(attrs={"type": "date"})
        self.fields["reason"].widget.attrs["rows"] = 3
        self.fields["decision_ref"].label = "Decision reference"
        self.fields["letter"].label = "Formal letter"


class ParticipationForm(_ModelFieldsForm):
    model = Participation
    FIELDS = ("date", "activity", "kind", "notes")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, fields=self.FIELDS, **kwargs)
        self.fields["date"].widget = forms.DateInput(attrs={"type": "date"})
        self.fields["notes"].widget.attrs["rows"] = 3


class ContactForm(_ModelFieldsForm):
    model = Contact

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "language" in self.fields:
            # A form posted without it (an older client) keeps the site's language.
            self.fields["language"].required = False

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or str(settings.LANGUAGE_CODE)


class DirectoryFilterForm(forms.Form):
    """The directory's query string; a value that does not parse is reported, then ignored."""

    q = forms.CharField(required=False, max_length=200, label="Search")
    category = forms.ChoiceField(required=False, choices=[("", "All"), *Category.choices])
    region = forms.SlugField(required=False, max_length=40)
    country = forms.RegexField(
        required=False,
        regex=r"^[A-Za-z]{2}$",
        error_messages={"invalid": "Enter a two-letter country code, e.g. KR."},
    )
    state = forms.ChoiceField(
        required=False,
        label="Status",
        choices=[("", "All"), *((s.value, s.value.capitalize()) for s in State)],
    )
    as_of = forms.DateField(
        required=False,
        label="As of",
        error_messages={"invalid": "Enter a date as YYYY-MM-DD."},
    )

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for `queries.organisation_list`, leaving out what did not parse."""
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        return {
            "search": (data["q"] or "").strip(),
            "category": data["category"] or "",
            "region": data["region"] or "",
            "country": (data["country"] or "").upper(),
            "state": data["state"] or "",
            "as_of": data["as_of"],
        }


def add_domain_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a domain ValidationError on the form: next to its field, or above the form."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            target = name if name in form.fields else None
            if name != NON_FIELD_ERRORS and target is None:
                messages = [f"{name}: {m}" for m in messages]
            form.add_error(target, messages)
    else:
        form.add_error(None, error.messages)


class ApplicationForm(forms.ModelForm):
    """The public application for membership."""

    category = forms.ChoiceField(
        choices=[(c.value, c.label) for c in Category if c.value in MEMBER_CATEGORIES]
    )
    consent_statutes = forms.BooleanField(
        required=True,
        label="We have read the statutes of the network and accept them.",
    )
    document = forms.FileField(required=False, label="Letter of application (PDF, at most 5 MB)")

    class Meta:
        model = MembershipApplication
        fields = list(APPLICATION_FIELDS)
        labels = {
            "name": "Organisation",
            "contact_name": "Contact (becomes the focal point)",
            "contact_email": "Contact's e-mail",
            "other_contact_name": "Second contact (optional)",
            "other_contact_email": "Second contact's e-mail",
        }
        widgets = {"motivation": forms.Textarea(attrs={"rows": 4})}
        formfield_callback = _formfield
