"""The one shape of a page whose form saves: bind, call one domain function, put its errors
back on the form or say what was done and go on.

Every app's create and edit pages differ in their form, their domain function, their
message and where they go next; what they do with them is this.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

T = TypeVar("T")


def form_submitted(
    request: HttpRequest,
    form: forms.BaseForm,
    write: Callable[[dict[str, Any]], T],
    *,
    message: Callable[[T], str],
    to: Callable[[T], str],
    errors_on: Callable[[forms.BaseForm, ValidationError], None],
) -> HttpResponse | None:
    """On a valid POST, `write(form.cleaned_data)` (one domain function): its
    ValidationError goes back on the form (`errors_on`) and the answer is None (show the
    form again); else the success `message` and a redirect `to` the page it names. None
    too for a GET or an invalid form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = write(form.cleaned_data)
    except ValidationError as exc:
        errors_on(form, exc)
        return None
    messages.success(request, message(result))
    return redirect(to(result))
