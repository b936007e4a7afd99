"""Forms of the common app: a new personal API token."""

from __future__ import annotations

from django import forms

from urbis.common.models import ApiToken


class ApiTokenForm(forms.Form):
    label = forms.CharField(
        max_length=100, help_text="What will use it, e.g. 'finance spreadsheet sync'."
    )
    scope = forms.ChoiceField(choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ)
    expires_on = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for a token that lasts until you revoke it.",
    )
