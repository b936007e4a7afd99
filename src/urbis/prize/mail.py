"""The prize's mail, queued in the outbox inside the transaction of the change
(`domain`): the application received, each evaluator's assignments with the round's
deadline, the results to every applicant; the deadline reminder to evaluators with reviews
pending is a reminder kind (`prize.reminders`). Transactional mail: it goes even to an
address that turned announcements off. The call for applications, sent when staff publish
it, is an announcement to the focal points of the members in good standing: it respects
the opt-out.

Templates: `prize/messages/<name>.subject.txt`, `.txt`, `.html`."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.urls import reverse

from urbis.members.queries.segments import Recipient, Segment, segment_recipients
from urbis.members.rules import State
from urbis.messaging.domain import messages_queue
from urbis.messaging.render import message_render, notices_render
from urbis.messaging.unsubscribe import absolute
from urbis.prize.models import Application, Assignment, Award, Edition, Round


def applicant_addresses(application: Application) -> list[tuple[str, str]]:
    """(address, name): the application's contact and the account that submitted it."""
    out: dict[str, str] = {}
    by = application.submitted_by
    for address, name in (
        (application.contact_email, application.applicant_name),
        (getattr(by, "email", "") or "", by.get_full_name() if by else ""),
    ):
        address = address.strip().lower()
        if address:
            out.setdefault(address, name)
    return list(out.items())


def application_received_queue(*, application: Application, actor: Any) -> int:
    addresses = applicant_addresses(application)
    context = {
        "application": application,
        "edition": application.edition,
        "my_url": absolute(reverse("prize:my_applications")),
    }
    messages_queue(
        kind="prize.application_received",
        messages=[
            message_render("prize/messages/application_received", context, to_address=a, to_name=n)
            for a, n in addresses
        ],
        statutory=True,
        reference=f"application:{application.reference}",
        actor=actor,
    )
    return len(addresses)


def assignments_queue(*, round_: Round, actor: Any) -> int:
    """One message per evaluator (with an account and an address) of the round: how many
    applications to review, by when. Reads only the columns the message prints: a round of
    a large edition has tens of thousands of assignments, and whole model instances for
    each cost more than the rest of the assignment."""
    per_evaluator: dict[int, list[dict[str, dict[str, str]]]] = defaultdict(list)
    evaluators: dict[int, tuple[str, str]] = {}
    rows = (
        Assignment.objects.filter(round=round_, evaluator__user__isnull=False)
        .exclude(evaluator__user__email="")
        .order_by("evaluator__name", "evaluator_id", "application__reference")
        .values_list(
            "evaluator_id",
            "evaluator__name",
            "evaluator__user__email",
            "application__reference",
            "application__title",
        )
    )
    for evaluator_id, name, email, reference, title in rows.iterator(chunk_size=5000):
        evaluators.setdefault(evaluator_id, (name, email))
        per_evaluator[evaluator_id].append(
            {"application": {"reference": reference, "title": title}}
        )
    reviews_url = absolute(reverse("prize:my_reviews"))
    messages = [
        message_render(
            "prize/messages/assignment",
            {
                "evaluator": {"name": evaluators[evaluator_id][0]},
                "round": round_,
                "edition": round_.edition,
                "assignments": assignments,
                "reviews_url": reviews_url,
            },
            to_address=evaluators[evaluator_id][1],
            to_name=evaluators[evaluator_id][0],
        )
        for evaluator_id, assignments in per_evaluator.items()
    ]
    messages_queue(
        kind="prize.assignment",
        messages=messages,
        statutory=True,
        reference=f"round:{round_.pk}",
        actor=actor,
    )
    return len(messages)


def results_queue(*, edition: Edition, actor: Any) -> int:
    """The results to every applicant whose application was submitted: its award, or the
    thanks of the jury."""
    awards: dict[int, list[Award]] = defaultdict(list)
    for award in Award.objects.filter(kind__edition=edition).select_related("kind"):
        awards[award.application_id].append(award)
    applications = (
        Application.objects.filter(edition=edition, submitted_at__isnull=False)
        .exclude(status__in=[Application.Status.DRAFT, Application.Status.WITHDRAWN])
        .select_related("submitted_by")
        .order_by("reference")
    )
    results_url = absolute(reverse("prize:results", args=[edition.year]))
    messages = [
        message_render(
            "prize/messages/results",
            {
                "application": app,
                "edition": edition,
                "awards": awards.get(app.pk, []),
                "award_names": ", ".join(a.kind.name for a in awards.get(app.pk, [])),
                "results_url": results_url,
            },
            to_address=address,
            to_name=name,
        )
        for app in applications
        for address, name in applicant_addresses(app)
    ]
    messages_queue(
        kind="prize.results",
        messages=messages,
        statutory=True,
        reference=f"edition:{edition.year}",
        actor=actor,
    )
    return len(messages)


CALL_KIND = "prize.call_for_applications"


def call_recipients(edition: Edition) -> list[Recipient]:
    """The focal points (with an address, one per address) of the organisations that are
    members in good standing on the day the call opens, or today when it opened before:
    suspended members are not invited."""
    from django.utils import timezone

    on = max(edition.call_opens, timezone.localdate())
    return segment_recipients(Segment(state=State.MEMBER.value, as_of=on))


def call_for_applications_queue(*, edition: Edition, actor: Any) -> int:
    """Queue the call for applications of `edition` (an announcement: the deadline, how to
    apply, the link), each in its recipient's language; in the caller's transaction."""
    recipients = call_recipients(edition)
    context = {
        "edition": edition,
        "categories": list(edition.categories.order_by("sort_order", "name")),
        "apply_url": absolute(reverse("prize:apply", args=[edition.year])),
    }
    messages_queue(
        kind=CALL_KIND,
        messages=notices_render(
            "prize/messages/call_for_applications", context, recipients, announcement=True
        ),
        statutory=False,
        reference=f"edition:{edition.year}:call",
        actor=actor,
    )
    return len(recipients)
