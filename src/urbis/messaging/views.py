"""Staff pages of the outbox: the list with filters, a message, resend, cancel; what the
development sink received; and the public unsubscribe page a non-statutory message links to."""

from __future__ import annotations

import uuid
from email import policy
from email.parser import BytesParser

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required
from sesame.views import LoginView

from urbis.messaging import domain, queries
from urbis.messaging.domain.accounts import SIGN_IN_SCOPE
from urbis.messaging.forms import InviteForm
from urbis.messaging.models import Message, ReceivedMail
from urbis.messaging.unsubscribe import unsubscribe_address

PAGE_SIZE = 50


@login_required
@permission_required("messaging.view_outbox", raise_exception=True)
def outbox(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    state = state if state in Message.State.values else ""
    kind = request.GET.get("kind", "")[:60]
    recipient = request.GET.get("recipient", "")[:200]
    qs = queries.outbox(state=state, kind=kind, recipient=recipient).select_related("batch")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "state": state,
        "kind": kind,
        "recipient": recipient,
        "states": Message.State.choices,
        "kinds": queries.kinds(),
        "counts": queries.state_counts(),
    }
    return render(request, "messaging/outbox.html", context)


@login_required
@permission_required("messaging.view_outbox", raise_exception=True)
def message_detail(request: HttpRequest, message_id: uuid.UUID) -> HttpResponse:
    message = get_object_or_404(Message.objects.prefetch_related("attachments"), pk=message_id)
    return render(request, "messaging/message.html", {"message": message})


@login_required
@permission_required("messaging.change_outbox", raise_exception=True)
@require_POST
def message_resend(request: HttpRequest, message_id: uuid.UUID) -> HttpResponse:
    message = get_object_or_404(Message, pk=message_id)
    try:
        copy = domain.message_resend(message=message, actor=request.user)
    except ValidationError as exc:
        flash.error(request, "; ".join(exc.messages))
        return redirect("messaging:message", message_id=message.pk)
    flash.success(request, f"Queued again for {copy.to_address}.")
    return redirect("messaging:message", message_id=copy.pk)


@login_required
@permission_required("messaging.change_outbox", raise_exception=True)
@require_POST
def message_cancel(request: HttpRequest, message_id: uuid.UUID) -> HttpResponse:
    message = get_object_or_404(Message, pk=message_id)
    try:
        domain.message_cancel(message=message, actor=request.user)
        flash.success(request, "Cancelled: it will not be sent.")
    except ValidationError as exc:
        flash.error(request, "; ".join(exc.messages))
    return redirect("messaging:message", message_id=message.pk)


@login_required
@permission_required("messaging.view_outbox", raise_exception=True)
def sink(request: HttpRequest) -> HttpResponse:
    """What the development SMTP sink received (empty in production, where no sink runs)."""
    page = Paginator(queries.received(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "messaging/sink.html", {"page": page})


@login_required
@permission_required("messaging.view_outbox", raise_exception=True)
def sink_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mail = get_object_or_404(ReceivedMail, pk=pk)
    parsed = BytesParser(policy=policy.default).parsebytes(bytes(mail.raw))
    parts = []
    for part in parsed.walk():
        if part.is_multipart():
            continue
        name = part.get_filename()
        kind = part.get_content_type()
        text = part.get_content() if kind.startswith("text/") and not name else ""
        parts.append({"type": kind, "filename": name or "", "text": text})
    headers = list(parsed.items())
    return render(
        request,
        "messaging/sink_detail.html",
        {"mail": mail, "headers": headers, "parts": parts},
    )


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Turn off non-statutory mail for the address the signed link names. GET shows a
    button (mail scanners follow links); POST (the button, or a one-click client) acts."""
    address = unsubscribe_address(token)
    if address is None:
        return render(request, "messaging/unsubscribe.html", {"invalid": True}, status=400)
    done = False
    if request.method == "POST":
        if request.POST.get("action") == "resubscribe":
            domain.optout_clear(address=address, actor=None)
        else:
            domain.optout_set(address=address, actor=None)
            done = True
    return render(request, "messaging/unsubscribe.html", {"address": address, "done": done})


@login_required
@permission_required("messaging.invite_user", raise_exception=True)
def invite(request: HttpRequest) -> HttpResponse:
    """Invite a focal point, an evaluator, a delegate or a colleague: the account is made
    and the invitation, with its set-password link, goes through the outbox."""
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, message = domain.user_invite(**form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            flash.success(request, f"Invitation queued for {user.email} ({user.username}).")
            return redirect("messaging:message", message_id=message.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "messaging/invite.html", {"form": form}, status=status)


class SignInView(LoginView):
    """A sign-in link (django-sesame) of an invitation: valid once, for a week."""

    scope = SIGN_IN_SCOPE


@login_required
@permission_required("messaging.view_outbox", raise_exception=True)
def reminders(request: HttpRequest) -> HttpResponse:
    """The registered reminder kinds, their last and next runs; staff may run one now."""
    if request.method == "POST":
        if not request.user.has_perm("messaging.change_outbox"):
            raise PermissionDenied
        try:
            outcome = domain.reminder_run(
                kind=request.POST.get("kind", ""), today=timezone.localdate(), actor=request.user
            )
        except ValidationError as exc:
            flash.error(request, "; ".join(exc.messages))
        else:
            flash.success(
                request, f"{outcome.kind}: {outcome.sent} queued, {outcome.skipped} sent before."
            )
        return redirect("messaging:reminders")
    return render(request, "messaging/reminders.html", {"rows": queries.reminders_overview()})


@login_required
@permission_required("messaging.view_outbox", raise_exception=True)
def batch_list(request: HttpRequest) -> HttpResponse:
    """Messages staff sent to segments of members, newest first, with delivery counts."""
    page = Paginator(queries.batches(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "messaging/batch_list.html", {"page": page})


@login_required
@permission_required("messaging.view_outbox", raise_exception=True)
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One composed message: its delivery to each recipient."""
    batch = get_object_or_404(queries.batches(), pk=pk)
    rows = queries.outbox(batch=batch.pk).order_by("to_address")
    page = Paginator(rows, 200).get_page(request.GET.get("page"))
    counts = queries.state_counts(rows)
    return render(
        request, "messaging/batch_detail.html", {"batch": batch, "page": page, "counts": counts}
    )
