"""Messages to members: staff pick a segment (category, region, state as of a date), write
the message, preview the recipients and the message as the first one will read it, then
send. Delivery per recipient is shown on messaging's batch page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from urbis.common.actor import actor_required
from urbis.common.models import Region
from urbis.members.domain.messages import segment_message_personalise, segment_message_send
from urbis.members.models import Category
from urbis.members.queries.segments import (
    Recipient,
    Segment,
    segment_groups,
    segment_recipients,
)
from urbis.members.rules import State
from urbis.messaging.domain import Outgoing

PREVIEW_ROWS = 200


class ComposeForm(forms.Form):
    category = forms.ChoiceField(required=False, choices=[("", "any"), *Category.choices])
    region = forms.ChoiceField(required=False)
    state = forms.ChoiceField(
        required=False, choices=[("", "any")] + [(s.value, s.value) for s in State]
    )
    as_of = forms.DateField(required=False, help_text="The state on this date (default today).")
    group = forms.ChoiceField(
        required=False,
        label="Or a group",
        help_text="Instead of the focal points: the delegates of an event, the evaluators "
        "of a prize edition.",
    )
    subject = forms.CharField(max_length=300)
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Plain text. {name} and {organisation} are replaced for each recipient.",
    )
    statutory = forms.BooleanField(
        required=False,
        help_text="A statutory notice (convocation, invoice) goes even to addresses that "
        "turned off announcements.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region, group = self.fields["region"], self.fields["group"]
        assert isinstance(region, forms.ChoiceField) and isinstance(group, forms.ChoiceField)
        region.choices = [("", "any")] + [
            (r.code, r.name) for r in Region.objects.order_by("sort_order", "name")
        ]
        group.choices = [("", "none: focal points of the segment above")] + [
            (g.code, g.label) for g in segment_groups().values()
        ]

    def clean_subject(self) -> str:
        subject = str(self.cleaned_data["subject"])
        if "\n" in subject or "\r" in subject:
            raise ValidationError("A subject is one line.")
        return subject

    def segment(self) -> Segment:
        d = self.cleaned_data
        return Segment(
            category=d["category"],
            region=d["region"],
            state=d["state"],
            as_of=d["as_of"],
            group=d["group"],
        )


def personalised(form: ComposeForm, recipient: Recipient) -> Outgoing:
    """The message as one recipient reads it (the domain's, for the preview)."""
    d = form.cleaned_data
    return segment_message_personalise(
        subject=str(d["subject"]),
        body=str(d["body"]),
        statutory=bool(d["statutory"]),
        recipient=recipient,
    )


@actor_required("messaging.change_outbox")
def compose(request: HttpRequest) -> HttpResponse:
    form = ComposeForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        segment = form.segment()
        if request.POST.get("action") == "send":  # the send reads its recipients itself
            try:
                batch, count = segment_message_send(
                    segment=segment,
                    subject=str(form.cleaned_data["subject"]),
                    body=str(form.cleaned_data["body"]),
                    statutory=bool(form.cleaned_data["statutory"]),
                    actor=request.actor,  # type: ignore[attr-defined]
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                flash.success(request, f"Queued for {count} recipients.")
                return redirect("messaging:batch", pk=batch.pk)
        recipients = segment_recipients(segment)
        context.update(
            segment=segment.describe(),
            recipients=recipients[:PREVIEW_ROWS],
            total=len(recipients),
            sample=personalised(form, recipients[0]) if recipients else None,
        )
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "members/messages/compose.html", context, status=status)
