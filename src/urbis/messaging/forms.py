"""Forms of messaging: the password reset that sends through the outbox, the invitation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm

from urbis.messaging.domain.accounts import INVITABLE, password_reset_queue


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, whose mail goes through the outbox instead of being sent (and,
    on a failure, only logged) during the request."""

    def send_mail(  # type: ignore[override]
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        password_reset_queue(user=context["user"], context=context)


class InviteForm(forms.Form):
    email = forms.EmailField()
    name = forms.CharField(max_length=200)
    as_ = forms.ChoiceField(label="Invite as", choices=[(k, k) for k in INVITABLE])
    sign_in_link = forms.BooleanField(
        required=False, label="Add a sign-in link (delegates and evaluators)"
    )
