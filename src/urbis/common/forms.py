"""Forms of the common app: a new personal API token, your language."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

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


def _language_choices() -> list[tuple[str, str]]:
    """Each language in its own name, as its readers look for it."""
    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=_language_choices,
        help_text=_("The language of the mail you receive and of the pages in this browser."),
    )
