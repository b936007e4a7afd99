"""Writes for awards: allocation from the final ranking (Rules §9), awards by decision, and
publishing or withdrawing the results."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from urbis.common.actor import Actor
from urbis.common.audit import audit_record, snapshot
from urbis.prize import mail, queries
from urbis.prize.models import (
    Application,
    Award,
    AwardKind,
    Edition,
    Round,
)


def awards_allocate(*, actor: Actor, edition: Edition) -> dict[str, list[int]]:
    """Allocate the ranked awards (all but partner special mentions) from the final
    round's ranking (Rules §9); replaces an earlier allocation."""
    with transaction.atomic():
        ed = Edition.objects.select_for_update().get(pk=edition.pk)
        if ed.results_published:
            raise ValidationError({"edition": "The results are published: awards are final."})
        final = Round.objects.filter(edition=ed).order_by("-number").first()
        if final is None or final.status != Round.Status.CLOSED:
            raise ValidationError({"round": "Close the final round before allocating awards."})
        allocation = queries.award_allocation(ed)
        kinds = list(AwardKind.objects.filter(edition=ed).exclude(tier=AwardKind.Tier.SPECIAL))
        Award.objects.filter(kind__in=kinds).delete()
        by_code = {k.code: k for k in kinds}
        Award.objects.bulk_create(
            Award(kind=by_code[code], application_id=app_id, position=pos)
            for code, ids in allocation.items()
            for pos, app_id in enumerate(ids, start=1)
        )
        audit_record(actor=actor, action="awards.allocate", target=ed, after=allocation)
    return allocation


def award_grant(*, actor: Actor, kind: AwardKind, application: Application) -> Award:
    """Grant an award by decision (a partner's special mention)."""
    with transaction.atomic():
        if kind.edition.results_published:
            raise ValidationError({"edition": "The results are published: awards are final."})
        if application.edition_id != kind.edition_id:
            raise ValidationError({"application": "The application is of another edition."})
        if kind.applicant_kinds and application.applicant_kind not in kind.applicant_kinds:
            raise ValidationError(
                {"application": f"{kind.name} does not go to a {application.applicant_kind}."}
            )
        taken = kind.awards.count()
        if taken >= kind.count:
            raise ValidationError({"kind": f"{kind.name} has all its {kind.count} award(s)."})
        award, _ = Award.objects.get_or_create(
            kind=kind, application=application, defaults={"position": taken + 1}
        )
        audit_record(actor=actor, action="award.grant", target=award, after=snapshot(award))
    return award


def results_publish(*, actor: Actor, edition: Edition, confirm: bool = False) -> Edition:
    """Publish the results: only with every award allocated (`queries.awards_missing`)
    and an explicit confirmation, since the public page shows them at once."""
    with transaction.atomic():
        ed = Edition.objects.select_for_update().get(pk=edition.pk)
        if ed.results_published:
            raise ValidationError({"edition": "The results are already published."})
        if missing := queries.awards_missing(ed):
            raise ValidationError(
                {"awards": "Not every award is allocated: " + "; ".join(missing) + "."}
            )
        if not confirm:
            raise ValidationError({"confirm": "Confirm that the results go public now."})
        ed.results_published = True
        ed.save(update_fields=["results_published"])
        audit_record(
            actor=actor,
            action="results.publish",
            target=ed,
            before={"results_published": False},
            after={"results_published": True},
        )
        mail.results_queue(edition=ed, actor=actor.user)  # messaging records a user
    return ed


def call_publish(*, actor: Actor, edition: Edition) -> tuple[Edition, int]:
    """Publish the call for applications: the focal points of the members in good standing
    receive it (an announcement, `mail.call_for_applications_queue`). Publishing it again
    sends nothing (the row is locked and the first publication recorded); a call whose
    deadline has passed is refused. Returns the edition and the number of mails queued."""
    with transaction.atomic():
        ed = Edition.objects.select_for_update().get(pk=edition.pk)
        if ed.call_published_at is not None:
            return ed, 0
        if ed.call_closes < timezone.localdate():
            closed = ed.call_closes.isoformat()
            raise ValidationError({"edition": f"The call closed on {closed}: too late to open it."})
        ed.call_published_at = timezone.now()
        ed.save(update_fields=["call_published_at"])
        # messaging records a user, not an actor
        queued = mail.call_for_applications_queue(edition=ed, actor=actor.user)
        audit_record(
            actor=actor,
            action="edition.call_publish",
            target=ed,
            before={"call_published_at": None},
            after={"call_published_at": ed.call_published_at.isoformat(), "queued": queued},
        )
    return ed, queued


def results_withdraw(*, actor: Actor, edition: Edition, reason: str) -> Edition:
    """Take published results off the public pages again (e.g. an error found after
    publication), with a reason kept in the audit record."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the results are withdrawn."})
    with transaction.atomic():
        ed = Edition.objects.select_for_update().get(pk=edition.pk)
        if not ed.results_published:
            raise ValidationError({"edition": "The results are not published."})
        ed.results_published = False
        ed.save(update_fields=["results_published"])
        audit_record(
            actor=actor,
            action="results.withdraw",
            target=ed,
            before={"results_published": True},
            after={"results_published": False, "reason": reason.strip()},
        )
    return ed
