"""What every programme page shares: the permission, the event and row lookups (404), and
the form cycle (bind, call the domain, show its field errors, redirect) and the delete
confirmation, so that each page is its form and its domain call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.forms import BaseForm, Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme

from urbis.common.actor import Actor, actor_of
from urbis.common.submit import form_submitted
from urbis.events import rules
from urbis.events.models import Event

PERM = "events.change_programme"  # every page of this module (`@actor_required`)
T = TypeVar("T")


def _actor(request: HttpRequest) -> Actor:
    """The actor `@actor_required` resolved."""
    actor = actor_of(request)
    assert actor is not None
    return actor


def _event(request: HttpRequest, slug: str) -> Event:
    return get_object_or_404(Event.objects.select_related("host"), slug=slug)


def _by_pk(qs: Any, pk: int) -> Any:
    obj = qs.filter(pk=pk).first() if rules.id_in_range(pk) else None
    if obj is None:
        raise Http404("No such row.")
    return obj


def _show_errors(form: BaseForm, exc: ValidationError) -> None:
    """Put the domain's errors on the form's fields (above the form for any other name)."""
    for target, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(target if target in form.fields else None, error)


def _next(request: HttpRequest) -> str:
    """Where to go back to after a form, when it is a page of this site."""
    target = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and safe else ""


def _form_page(
    request: HttpRequest,
    form: Form,
    *,
    title: str,
    submit: str,
    cancel: str,
    event: Event | None = None,
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "submit": submit,
        "cancel": cancel,
        "event": event,
    }
    return render(request, "events/manage_form.html", context)


def _form_cycle(
    request: HttpRequest,
    form: Form,
    write: Callable[[dict[str, Any]], T],
    *,
    message: Callable[[T], str],
    to: Callable[[T], str],
    title: str,
    submit: str,
    cancel: str,
    event: Event | None = None,
) -> HttpResponse:
    """A create or edit page: the form, saved by `write` (`common.submit.form_submitted`,
    the domain's errors on the form's fields), or shown again."""
    done = form_submitted(request, form, write, message=message, to=to, errors_on=_show_errors)
    return done or _form_page(request, form, title=title, submit=submit, cancel=cancel, event=event)


def _confirm_page(
    request: HttpRequest,
    *,
    title: str,
    consequences: list[str],
    cancel: str,
    event: Event | None,
) -> HttpResponse:
    context = {
        "title": title,
        "consequences": consequences,
        "cancel": cancel,
        "event": event,
    }
    return render(request, "events/manage_confirm.html", context)
