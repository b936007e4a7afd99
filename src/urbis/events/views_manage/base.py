"""What every programme page shares: the permission, the event and row lookups (404), and
the form cycle (bind, call the domain, show its field errors, redirect) and the delete
confirmation, so that each page is its form and its domain call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from urbis.common.actor import Actor, actor_of
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


def _show_errors(form: Form, exc: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Put the domain's errors on the form's fields (`aliases`: domain name → form name)."""
    for name, errors in exc.message_dict.items():
        target = (aliases or {}).get(name, name)
        for error in errors:
            form.add_error(target if target in form.fields else None, error)


def _submitted(
    request: HttpRequest,
    form: Form,
    write: Callable[[dict[str, Any]], T],
    *,
    message: Callable[[T], str],
    to: Callable[[T], str],
) -> HttpResponse | None:
    """The one shape of a create or edit form: on a valid POST, `write(cleaned_data)` (a
    domain function); its field errors go back on the form (None: show the form again),
    else the success `message` and a redirect `to` the page it names."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = write(form.cleaned_data)
    except ValidationError as exc:
        _show_errors(form, exc)
        return None
    messages.success(request, message(result))
    return redirect(to(result))


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
    """A create or edit page: the form, saved by `write` (`_submitted`), or shown again."""
    done = _submitted(request, form, write, message=message, to=to)
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
