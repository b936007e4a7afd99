"""Writes for applications: drafts during the call, submission after the eligibility checks
(Rules §2-4) and the secretariat's triage."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from urbis.common.actor import Actor
from urbis.common.audit import audit_record, audited_update, snapshot
from urbis.prize import mail, rules
from urbis.prize.models import (
    Application,
    Edition,
    PrizeCategory,
    SupportingDocument,
)

APPLICATION_FIELDS = frozenset(
    {
        "applicant_kind",
        "applicant_name",
        "applicant_title",
        "organisation",
        "city",
        "country",
        "title",
        "summary",
        "contact_email",
    }
)


# What a draft may still lack: the eligibility checks of the submission ask for them.
DRAFT_MAY_LACK = ["summary", "title", "applicant_name"]


def _next_reference(edition: Edition) -> str:
    """The next free reference of the edition. The caller's transaction holds the
    edition's row lock, so concurrent drafts are numbered one after the other instead of
    all reading the same maximum."""
    Edition.objects.select_for_update().filter(pk=edition.pk).values_list("pk").get()
    last = (
        Application.objects.filter(edition=edition, reference__startswith=f"P{edition.year}-")
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"P{edition.year}-{number:05d}"


def application_save_draft(
    *,
    actor: Actor,
    edition: Edition,
    category: PrizeCategory,
    application: Application | None = None,
    documents: list[tuple[str, Any]] | None = None,
    on: dt.date | None = None,
    **fields: Any,
) -> Application:
    """Create or update a draft application (the edge lets only its applicant, or staff,
    change one: `prize.change_application`), only while it is a draft and, for applicants,
    only while the call is open (Rules §3: no draft after the close)."""
    unknown = set(fields) - APPLICATION_FIELDS
    if unknown:
        raise ValidationError({name: "Unknown field." for name in sorted(unknown)})
    if category.edition_id != edition.pk:
        raise ValidationError({"category": f"{category.name} is not a category of {edition}."})
    closed = rules.call_error(
        on=on or timezone.localdate(),
        call_opens=edition.call_opens,
        call_closes=edition.call_closes,
    )
    if closed and not actor.has_perm("prize.manage_edition"):
        raise ValidationError({"edition": closed})
    with transaction.atomic():
        if application is None:
            app = Application(
                edition=edition,
                reference=_next_reference(edition),
                submitted_by=actor.user,
                category=category,
                **fields,
            )
            app.full_clean(exclude=DRAFT_MAY_LACK)
            app.save()
            audit_record(actor=actor, action="application.create", target=app, after=snapshot(app))
            changed = True
        else:
            app = Application.objects.select_for_update().get(pk=application.pk)
            changed = audited_update(
                app,
                actor=actor,
                fields={"category": category, **fields},
                action="application.update",
                exclude=DRAFT_MAY_LACK,
            ).changed
        for title, upload in documents or []:
            doc = SupportingDocument(application=app, title=title or upload.name, file=upload)
            doc.full_clean(exclude=["application"])
            doc.save()
        if documents and not changed:  # the upload alone is an update of the draft
            audit_record(actor=actor, action="application.update", target=app, before={}, after={})
    return app


def _candidate(app: Application) -> rules.Candidate:
    return rules.Candidate(
        applicant_kind=app.applicant_kind,
        applicant_name=app.applicant_name,
        title=app.title,
        summary=app.summary,
        country=str(app.country or ""),
        city=app.city,
        category_code=app.category.code,
        category_name=app.category.name,
        category_kinds=tuple(app.category.applicant_kinds),
    )


def application_submit(
    *, actor: Actor, application: Application, on: dt.datetime | None = None
) -> Application:
    """Submit a draft after the eligibility checks (Rules §2-4); errors name the field."""
    now = on or timezone.now()
    with transaction.atomic():
        app = (
            Application.objects.select_for_update()
            .select_related("edition", "category")
            .get(pk=application.pk)
        )
        if app.status != Application.Status.DRAFT:
            raise ValidationError({"status": f"{app.reference} is already {app.status}."})
        errors = rules.eligibility_errors(
            _candidate(app),
            on=timezone.localdate(now) if timezone.is_aware(now) else now.date(),
            call_opens=app.edition.call_opens,
            call_closes=app.edition.call_closes,
        )
        if errors:
            raise ValidationError(errors)
        audited_update(
            app,
            actor=actor,
            fields={"status": Application.Status.SUBMITTED, "submitted_at": now},
            action="application.submit",
            validate=False,  # a transition the eligibility rules above have checked
        )
        mail.application_received_queue(
            application=app, actor=actor.user
        )  # messaging records a user
    return app


def application_triage(
    *, actor: Actor, application: Application, eligible: bool, note: str = ""
) -> Application:
    """Staff triage of a submitted application: eligible (enters round 1) or not."""
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=application.pk)
        if app.status not in {
            Application.Status.SUBMITTED,
            Application.Status.ELIGIBLE,
            Application.Status.INELIGIBLE,
        }:
            raise ValidationError({"status": f"{app.reference} is {app.status}: not triageable."})
        if not eligible and not note.strip():
            raise ValidationError({"triage_note": "Say why the application is ineligible."})
        audited_update(
            app,
            actor=actor,
            fields={
                "status": (
                    Application.Status.ELIGIBLE if eligible else Application.Status.INELIGIBLE
                ),
                "triage_note": note,
                "reached_round": 1 if eligible else 0,
            },
            action="application.triage",
            validate=False,  # a transition whose values are the domain's own
        )
    return app
