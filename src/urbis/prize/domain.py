"""Writes for the prize. Each function runs in one transaction and leaves an audit record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from rules import has_perm as permission_granted

from urbis.common import roles
from urbis.common.audit import audit_record, snapshot
from urbis.common.roles import has_role, is_secretariat
from urbis.prize import bulk, mail, queries, rules
from urbis.prize.models import (
    Application,
    Assignment,
    Award,
    AwardKind,
    Bid,
    Conflict,
    Edition,
    Evaluator,
    PrizeCategory,
    Round,
    Score,
    SupportingDocument,
)
from urbis.prize.scoring import assignment as assigning
from urbis.prize.scoring import ranking

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


class RoundClosed(ValidationError):
    """A write to a closed round's scores was refused."""


def _require_staff(actor: Any) -> None:
    if not is_secretariat(actor):
        raise PermissionDenied("Only the secretariat may do this.")


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
    actor: Any,
    edition: Edition,
    category: PrizeCategory,
    application: Application | None = None,
    documents: list[tuple[str, Any]] | None = None,
    on: dt.date | None = None,
    **fields: Any,
) -> Application:
    """Create or update a draft application. Only its applicant (or staff) may edit it,
    only while it is a draft and, for applicants, only while the call is open (Rules §3:
    no draft after the close)."""
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
    if closed and not is_secretariat(actor):
        raise ValidationError({"edition": closed})
    with transaction.atomic():
        if application is None:
            app = Application(
                edition=edition,
                reference=_next_reference(edition),
                submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            before = None
        else:
            app = Application.objects.select_for_update().get(pk=application.pk)
            if not actor.has_perm("prize.change_application", app):
                raise PermissionDenied("Only the applicant may change a draft application.")
            before = snapshot(app)
        app.category = category
        for name, value in fields.items():
            setattr(app, name, value)
        app.full_clean(exclude=["summary", "title", "applicant_name"])
        app.save()
        for title, upload in documents or []:
            doc = SupportingDocument(application=app, title=title or upload.name, file=upload)
            doc.full_clean(exclude=["application"])
            doc.save()
        audit_record(
            actor=actor,
            action="application.create" if before is None else "application.update",
            target=app,
            before=before,
            after=snapshot(app),
        )
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
    *, actor: Any, application: Application, on: dt.datetime | None = None
) -> Application:
    """Submit a draft after the eligibility checks (Rules §2-4); errors name the field."""
    now = on or timezone.now()
    with transaction.atomic():
        app = (
            Application.objects.select_for_update()
            .select_related("edition", "category")
            .get(pk=application.pk)
        )
        if not actor.has_perm("prize.change_application", app):
            raise PermissionDenied("Only the applicant may submit this application.")
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
        before = snapshot(app)
        app.status = Application.Status.SUBMITTED
        app.submitted_at = now
        app.save(update_fields=["status", "submitted_at"])
        audit_record(
            actor=actor,
            action="application.submit",
            target=app,
            before=before,
            after=snapshot(app),
        )
        mail.application_received_queue(application=app, actor=actor)
    return app


def application_triage(
    *, actor: Any, application: Application, eligible: bool, note: str = ""
) -> Application:
    """Staff triage of a submitted application: eligible (enters round 1) or not."""
    _require_staff(actor)
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
        before = snapshot(app)
        app.status = Application.Status.ELIGIBLE if eligible else Application.Status.INELIGIBLE
        app.triage_note = note
        app.reached_round = 1 if eligible else 0
        app.save(update_fields=["status", "triage_note", "reached_round"])
        audit_record(
            actor=actor,
            action="application.triage",
            target=app,
            before=before,
            after=snapshot(app),
        )
    return app


def evaluator_add(
    *,
    actor: Any,
    edition: Edition,
    user: Any,
    name: str,
    affiliation: str = "",
    organisation: Any = None,
    city: str = "",
    country: str = "",
) -> Evaluator:
    """Appoint an evaluator: a user of the evaluator group, with the ties (city,
    organisation, country) that automatic conflict detection compares."""
    _require_staff(actor)
    if user is not None and not has_role(user, roles.EVALUATOR):
        raise ValidationError({"user": f"{user} is not in the '{roles.EVALUATOR}' group."})
    with transaction.atomic():
        ev = Evaluator(
            edition=edition,
            user=user,
            name=name,
            affiliation=affiliation,
            organisation=organisation,
            city=city,
            country=country,
        )
        ev.full_clean()
        ev.save()
        audit_record(actor=actor, action="evaluator.add", target=ev, after=snapshot(ev))
    return ev


def conflict_declare(
    *, actor: Any, evaluator: Evaluator, application: Application, reason: str
) -> Conflict:
    """An evaluator declares a conflict; an existing assignment in an open or planned round
    is removed (its scores, if any, go with it)."""
    if evaluator.user_id != getattr(actor, "pk", None) and not is_secretariat(actor):
        raise PermissionDenied("Evaluators declare their own conflicts only.")
    if not reason.strip():
        raise ValidationError({"reason": "Say what the conflict is."})
    with transaction.atomic():
        conflict, created = Conflict.objects.get_or_create(
            evaluator=evaluator,
            application=application,
            defaults={"source": Conflict.Source.DECLARED, "reason": reason},
        )
        open_assignments = Assignment.objects.filter(
            evaluator=evaluator, application=application
        ).exclude(round__status=Round.Status.CLOSED)
        Score.objects.filter(assignment__in=open_assignments).delete()
        open_assignments.delete()
        if created:
            audit_record(
                actor=actor, action="conflict.declare", target=conflict, after=snapshot(conflict)
            )
    return conflict


def _ties(values: list[str]) -> list[str]:
    return [" ".join(v.casefold().split()) for v in values]


def conflicts_detect(*, actor: Any, edition: Edition) -> int:
    """Record the automatic conflicts of an edition (same city, organisation or country;
    Rules §6) for every evaluator x eligible or submitted application. Vectorised."""
    _require_staff(actor)
    with transaction.atomic():
        apps = list(
            Application.objects.filter(edition=edition)
            .exclude(status__in=[Application.Status.DRAFT, Application.Status.WITHDRAWN])
            .values_list("pk", "city", "organisation_id", "applicant_name", "country")
        )
        evs = list(
            Evaluator.objects.filter(edition=edition, active=True).values_list(
                "pk", "city", "organisation_id", "affiliation", "country"
            )
        )
        if not apps or not evs:
            return 0
        sources = {
            "city": ([a[1] for a in apps], [e[1] for e in evs]),
            "organisation": (
                [f"#{a[2]}" if a[2] else a[3] for a in apps],
                [f"#{e[2]}" if e[2] else e[3] for e in evs],
            ),
            "country": ([str(a[4] or "") for a in apps], [str(e[4] or "") for e in evs]),
        }
        existing = set(
            Conflict.objects.filter(evaluator__edition=edition).values_list(
                "evaluator_id", "application_id"
            )
        )
        app_pk = np.array([a[0] for a in apps], dtype=np.int64)
        ev_pk = np.array([e[0] for e in evs], dtype=np.int64)
        taken = np.zeros((len(apps), len(evs)), dtype=bool)
        if existing:
            a_index = {pk: i for i, pk in enumerate(app_pk.tolist())}
            e_index = {pk: j for j, pk in enumerate(ev_pk.tolist())}
            for ev_id, app_id in existing:
                if ev_id in e_index and app_id in a_index:
                    taken[a_index[app_id], e_index[ev_id]] = True
        new: list[tuple[int, int, str, str]] = []
        for source, (app_vals, ev_vals) in sources.items():
            mask = assigning.conflict_mask({source: _ties(app_vals)}, {source: _ties(ev_vals)})
            mask &= ~taken
            taken |= mask
            ii, jj = np.nonzero(mask)
            reason = f"Same {source}"
            new.extend(
                zip(
                    ev_pk[jj].tolist(),
                    app_pk[ii].tolist(),
                    [source] * ii.size,
                    [reason] * ii.size,
                    strict=True,
                )
            )
        bulk.insert_rows(
            Conflict._meta.db_table,
            ["evaluator_id", "application_id", "source", "reason"],
            new,
        )
        audit_record(
            actor=actor,
            action="conflict.detect",
            target=edition,
            after={"created": len(new)},
        )
    return len(new)


def round_open(*, actor: Any, round_: Round) -> Round:
    _require_staff(actor)
    with transaction.atomic():
        r = Round.objects.select_for_update().get(pk=round_.pk)
        if r.status != Round.Status.PLANNED:
            raise ValidationError({"status": f"Round {r.number} is {r.status}, not planned."})
        earlier_open = Round.objects.filter(edition_id=r.edition_id, number__lt=r.number).exclude(
            status=Round.Status.CLOSED
        )
        if earlier_open.exists():
            raise ValidationError({"status": "Close the earlier rounds first."})
        r.status = Round.Status.OPEN
        r.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="round.open",
            target=r,
            before={"status": "planned"},
            after={"status": "open"},
        )
    return r


def _fit_matrix(app_ids: list[int], ev_ids: list[int]) -> np.ndarray:
    """Rules §5, vectorised: (applications x evaluators) fit from shared expertise areas
    (an application's areas and its category's code) and the evaluators' bids."""
    apps = {
        pk: (code, areas)
        for pk, code, areas in Application.objects.filter(pk__in=app_ids).values_list(
            "pk", "category__code", "areas"
        )
    }
    evs = dict(Evaluator.objects.filter(pk__in=ev_ids).values_list("pk", "expertise"))
    vocab: dict[str, int] = {}

    def codes(areas: list[str]) -> list[int]:
        return [vocab.setdefault(" ".join(a.casefold().split()), len(vocab)) for a in areas]

    app_codes = [codes([apps[pk][0], *(apps[pk][1] or [])]) for pk in app_ids]
    ev_codes = [codes(list(evs[pk] or [])) for pk in ev_ids]
    a_mat = np.zeros((len(app_ids), max(len(vocab), 1)))
    e_mat = np.zeros((len(ev_ids), max(len(vocab), 1)))
    for i, cs in enumerate(app_codes):
        a_mat[i, cs] = 1.0
    for j, cs in enumerate(ev_codes):
        e_mat[j, cs] = 1.0
    fit = np.where(a_mat @ e_mat.T > 0, rules.EXPERTISE_FIT, 0.0)
    a_index = {pk: i for i, pk in enumerate(app_ids)}
    e_index = {pk: j for j, pk in enumerate(ev_ids)}
    for ev_id, app_id, level in Bid.objects.filter(
        evaluator_id__in=ev_ids, application_id__in=app_ids
    ).values_list("evaluator_id", "application_id", "level"):
        fit[a_index[app_id], e_index[ev_id]] += rules.BID_FIT[level]
    return fit


def assignments_generate(*, actor: Any, round_: Round) -> int:
    """Assign evaluators to the round's applications: the edition's reviews per
    application, never a conflicted evaluator (waived conflicts excepted), loads within
    one of each other, and the greatest total fit (expertise and bids; Rules §5) - an
    exact integer program. When no balanced assignment exists the error says which
    constraint prevents it, naming the application or evaluator at fault."""
    _require_staff(actor)
    with transaction.atomic():
        r = Round.objects.select_for_update().select_related("edition").get(pk=round_.pk)
        if error := rules.round_write_error(round_number=r.number, status=r.status):
            raise RoundClosed({"round": error})
        if Assignment.objects.filter(round=r).exists():
            raise ValidationError({"round": f"Round {r.number} already has assignments."})
        app_ids = list(
            queries.round_applications(r).order_by("reference").values_list("pk", flat=True)
        )
        ev_ids = list(
            Evaluator.objects.filter(edition=r.edition, active=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not app_ids:
            return 0
        app_arr = np.array(app_ids, dtype=np.int64)  # ascending by reference, not by id
        ev_arr = np.array(ev_ids, dtype=np.int64)  # ascending ids
        conflicts = np.zeros((app_arr.size, ev_arr.size), dtype=bool)
        pairs = bulk.fetch_ints(
            ["c.application_id", "c.evaluator_id"],
            f"FROM {Conflict._meta.db_table} c "
            f"JOIN {Evaluator._meta.db_table} e ON e.id = c.evaluator_id "
            f"WHERE e.edition_id = {int(r.edition_id)} AND NOT c.waived",
        )
        if pairs.size and ev_arr.size:
            app_sorter = np.argsort(app_arr)
            ai = np.searchsorted(app_arr, pairs[:, 0], sorter=app_sorter)
            ai = app_sorter[np.minimum(ai, app_arr.size - 1)]
            ej = np.minimum(np.searchsorted(ev_arr, pairs[:, 1]), ev_arr.size - 1)
            ok = (app_arr[ai] == pairs[:, 0]) & (ev_arr[ej] == pairs[:, 1])
            conflicts[ai[ok], ej[ok]] = True
        if not ev_ids:
            raise ValidationError({"evaluators": "The edition has no active evaluator."})
        try:
            solution = assigning.assign_optimal(
                conflicts, r.edition.reviews_per_application, _fit_matrix(app_ids, ev_ids)
            )
        except assigning.AssignmentError as exc:
            message = str(exc)
            if exc.row is not None:
                ref = Application.objects.get(pk=app_ids[exc.row]).reference
                message = message.replace(f"Application row {exc.row}", f"Application {ref}")
            if exc.evaluator is not None:
                name = Evaluator.objects.get(pk=ev_ids[exc.evaluator]).name
                message = message.replace(f"Evaluator column {exc.evaluator}", name)
            raise ValidationError({"evaluators": message}) from exc
        grid = solution.grid
        evs = ev_arr[grid]
        apps = np.repeat(app_arr, grid.shape[1])
        count = bulk.insert_rows(
            Assignment._meta.db_table,
            ["round_id", "application_id", "evaluator_id"],
            zip([r.pk] * apps.size, apps.tolist(), evs.ravel().tolist(), strict=True),
        )
        used = solution.loads[(~conflicts).any(axis=0)]
        audit_record(
            actor=actor,
            action="assignment.generate",
            target=r,
            after={
                "count": count,
                "fit": solution.fit,
                "load_min": int(used.min()),
                "load_max": int(used.max()),
            },
        )
        mail.assignments_queue(round_=r, actor=actor)
    return count


def _review_target(actor: Any, assignment: Assignment) -> tuple[Assignment, Round]:
    """The assignment locked for a write by its evaluator, in an open round."""
    a = Assignment.objects.select_related("round", "round__edition", "evaluator").get(
        pk=assignment.pk
    )
    r = Round.objects.select_for_update().get(pk=a.round_id)
    # The rule itself, not `actor.has_perm`: a superuser passes every has_perm, but
    # scores only through an assignment of their own, as the API does.
    if not permission_granted("prize.review_assignment", actor, a):
        raise PermissionDenied("This assignment is not yours to score.")
    if error := rules.round_write_error(round_number=r.number, status=r.status):
        raise RoundClosed({"round": error})
    return a, r


def _parse_scores(
    edition: Edition, scores: Mapping[str, Any], *, complete: bool
) -> tuple[dict[Any, int], dict[str, str]]:
    """Leaf criterion -> whole-number score on the edition's scale, and the errors by
    criterion code. `complete`: every leaf needs a score (a submission; a draft may
    leave some empty)."""
    leaves = queries.leaf_criteria(edition)
    errors: dict[str, str] = {}
    values: dict[Any, int] = {}
    for criterion, _ in leaves:
        raw = scores.get(criterion.code)
        empty = raw is None or str(raw).strip() == ""
        try:
            value = None if empty else int(str(raw))
        except (TypeError, ValueError):
            errors[criterion.code] = "A whole-number score is required."
            continue
        if value is None:
            if complete:
                errors[criterion.code] = "A whole-number score is required."
        elif not edition.scale_min <= value <= edition.scale_max:
            errors[criterion.code] = f"Scores run from {edition.scale_min} to {edition.scale_max}."
        else:
            values[criterion] = value
    for code in sorted(set(scores) - {c.code for c, _ in leaves}):
        errors[code] = "Unknown criterion."
    return values, errors


def review_save_draft(
    *,
    actor: Any,
    assignment: Assignment,
    scores: Mapping[str, Any],
    comments: Mapping[str, str] | None = None,
    comment: str = "",
) -> Assignment:
    """Save a review without submitting it: scores may be partial; nothing counts as a
    review (no score rows) until `review_submit`."""
    with transaction.atomic():
        a, _r = _review_target(actor, assignment)
        values, errors = _parse_scores(a.round.edition, scores, complete=False)
        codes = {c.code for c in values} | {c for c in scores if c not in errors}
        for code in sorted(set(comments or {}) - codes - set(scores)):
            errors[code] = "Unknown criterion."
        if errors:
            raise ValidationError(errors)
        before = a.draft
        a.draft = {
            "scores": {c.code: v for c, v in values.items()},
            "comments": {k: v for k, v in (comments or {}).items() if v.strip()},
            "comment": comment,
        }
        a.save(update_fields=["draft"])
        audit_record(actor=actor, action="review.draft", target=a, before=before, after=a.draft)
    return a


def review_submit(
    *,
    actor: Any,
    assignment: Assignment,
    scores: Mapping[str, Any],
    comments: Mapping[str, str] | None = None,
    comment: str | None = None,
) -> Assignment:
    """An evaluator scores an assignment on every leaf criterion, with an optional
    comment per criterion and overall. Refused in a closed round: a later round never
    edits an earlier round's scores (Rules §7)."""
    comments = comments or {}
    with transaction.atomic():
        a, _r = _review_target(actor, assignment)
        values, errors = _parse_scores(a.round.edition, scores, complete=True)
        for code in sorted(set(comments) - {c.code for c in values} - set(errors)):
            errors[code] = "Unknown criterion."
        if errors:
            raise ValidationError(errors)
        before = {str(s.criterion_id): s.value for s in a.scores.all()}
        existing = {s.criterion_id: s for s in a.scores.all()}
        for criterion, value in values.items():
            text = comments.get(criterion.code, "").strip()
            if criterion.pk in existing:
                score = existing[criterion.pk]
                if (score.value, score.comment) != (value, text):
                    score.value, score.comment = value, text
                    score.save(update_fields=["value", "comment"])
            else:
                Score.objects.create(
                    assignment=a, criterion_id=criterion.pk, value=value, comment=text
                )
        a.submitted_at = timezone.now()
        if comment is not None:
            a.comment = comment.strip()
        a.draft = None
        a.save(update_fields=["submitted_at", "comment", "draft"])
        audit_record(
            actor=actor,
            action="review.submit",
            target=a,
            before=before or None,
            after={str(c.pk): v for c, v in values.items()},
        )
    return a


def bids_save(
    *,
    actor: Any,
    evaluator: Evaluator,
    expertise: list[str],
    bids: Mapping[int, str],
) -> Evaluator:
    """An evaluator states their expertise areas and bids on applications (application
    id -> 'eager', 'willing', 'not_willing', or '' to withdraw a bid); the assignment
    weighs them (Rules §5). Errors name the application."""
    if evaluator.user_id != getattr(actor, "pk", None) and not is_secretariat(actor):
        raise PermissionDenied("Evaluators state their own expertise and bids only.")
    levels = {v.value for v in Bid.Level}
    errors: dict[str, str] = {}
    for app_id, level in bids.items():
        if level and level not in levels:
            errors[str(app_id)] = f"Unknown bid '{level}'; choose one of {sorted(levels)}."
    known = dict(
        Application.objects.filter(edition_id=evaluator.edition_id, pk__in=list(bids)).values_list(
            "pk", "reference"
        )
    )
    for app_id in bids:
        if app_id not in known:
            errors[str(app_id)] = "No such application in this edition."
    if errors:
        raise ValidationError(errors)
    areas = sorted({" ".join(a.split()) for a in expertise if a.strip()}, key=str.casefold)
    with transaction.atomic():
        ev = Evaluator.objects.select_for_update().get(pk=evaluator.pk)
        before = {
            "expertise": ev.expertise,
            "bids": dict(
                Bid.objects.filter(evaluator=ev).values_list("application__reference", "level")
            ),
        }
        ev.expertise = areas
        ev.save(update_fields=["expertise"])
        for app_id, level in bids.items():
            if level:
                Bid.objects.update_or_create(
                    evaluator=ev, application_id=app_id, defaults={"level": level}
                )
            else:
                Bid.objects.filter(evaluator=ev, application_id=app_id).delete()
        after = {
            "expertise": areas,
            "bids": dict(
                Bid.objects.filter(evaluator=ev).values_list("application__reference", "level")
            ),
        }
        audit_record(actor=actor, action="evaluator.bids", target=ev, before=before, after=after)
    return ev


def conflict_waive(*, actor: Any, conflict: Conflict, reason: str) -> Conflict:
    """Staff waive an automatic conflict (same city, organisation or country) with a
    reason: the evaluator may then be assigned the application. A conflict the evaluator
    declared stands."""
    _require_staff(actor)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the conflict is waived."})
    with transaction.atomic():
        c = Conflict.objects.select_for_update().get(pk=conflict.pk)
        if c.source == Conflict.Source.DECLARED:
            raise ValidationError(
                {"conflict": "A conflict the evaluator declared cannot be waived."}
            )
        before = snapshot(c, ["waived", "waiver_reason"])
        c.waived, c.waiver_reason, c.waived_by = True, reason.strip(), actor
        c.save(update_fields=["waived", "waiver_reason", "waived_by"])
        audit_record(
            actor=actor,
            action="conflict.waive",
            target=c,
            before=before,
            after=snapshot(c, ["waived", "waiver_reason"]),
        )
    return c


def round_close(*, actor: Any, round_: Round, force_reason: str = "") -> dict[str, int]:
    """Close a round: its scores become immutable; the applications that advance by the
    round's rule (top k per category or a threshold) reach the next round. Advancing
    out of the last-but-one round makes an application a finalist.

    Refused while reviews are missing (`queries.round_missing` lists them), unless staff
    force it with a reason, which is kept on the round and in the audit record: an
    application without reviews would otherwise drop out silently."""
    _require_staff(actor)
    with transaction.atomic():
        r = Round.objects.select_for_update().select_related("edition").get(pk=round_.pk)
        if r.status != Round.Status.OPEN:
            raise ValidationError({"status": f"Round {r.number} is {r.status}, not open."})
        missing = queries.round_missing(r)
        if missing and not force_reason.strip():
            raise ValidationError(
                {
                    "force_reason": (
                        f"{len(missing)} review(s) are missing in round {r.number} "
                        f"({queries.describe_missing(missing)}); close anyway only with a "
                        "reason."
                    )
                }
            )
        r.status = Round.Status.CLOSED
        r.closed_at = timezone.now()
        r.close_reason = force_reason.strip() if missing else ""
        r.save(update_fields=["status", "closed_at", "close_reason"])
        advanced = 0
        if r.advance != Round.Advance.FINAL:
            data = queries.round_data(r)
            result = queries.rank(data)
            keep = ranking.advance(
                result.scores,
                result.ranks,
                data.categories,
                mode=r.advance,
                k=r.advance_k,
                k_by_group=r.advance_k_by_category or None,
                threshold=r.advance_threshold,
            )
            last = Round.objects.filter(edition_id=r.edition_id).order_by("-number").first()
            becomes_finalist = last is not None and last.number == r.number + 1
            # Name the smaller of the two sets in the UPDATE.
            advancing = queries.round_applications(r)
            if keep.sum() * 2 > keep.size:
                advancing = advancing.exclude(pk__in=data.app_ids[~keep].tolist())
            else:
                advancing = advancing.filter(pk__in=data.app_ids[keep].tolist())
            advancing.update(reached_round=r.number + 1, finalist=becomes_finalist)
            advanced = int(keep.sum())
        after: dict[str, Any] = {"status": "closed", "advanced": advanced}
        if missing:
            after |= {"forced": True, "reason": r.close_reason, "missing": len(missing)}
        audit_record(
            actor=actor,
            action="round.close",
            target=r,
            before={"status": "open"},
            after=after,
        )
    return {"advanced": advanced, "missing": len(missing)}


def awards_allocate(*, actor: Any, edition: Edition) -> dict[str, list[int]]:
    """Allocate the ranked awards (all but partner special mentions) from the final
    round's ranking (Rules §9); replaces an earlier allocation."""
    _require_staff(actor)
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


def award_grant(*, actor: Any, kind: AwardKind, application: Application) -> Award:
    """Grant an award by decision (a partner's special mention)."""
    _require_staff(actor)
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


def results_publish(*, actor: Any, edition: Edition, confirm: bool = False) -> Edition:
    """Publish the results: only with every award allocated (`queries.awards_missing`)
    and an explicit confirmation, since the public page shows them at once."""
    _require_staff(actor)
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
        mail.results_queue(edition=ed, actor=actor)
    return ed


def call_publish(*, actor: Any, edition: Edition) -> tuple[Edition, int]:
    """Publish the call for applications: the focal points of the members in good standing
    receive it (an announcement, `mail.call_for_applications_queue`). Publishing it again
    sends nothing (the row is locked and the first publication recorded); a call whose
    deadline has passed is refused. Returns the edition and the number of mails queued."""
    _require_staff(actor)
    with transaction.atomic():
        ed = Edition.objects.select_for_update().get(pk=edition.pk)
        if ed.call_published_at is not None:
            return ed, 0
        if ed.call_closes < timezone.localdate():
            closed = ed.call_closes.isoformat()
            raise ValidationError({"edition": f"The call closed on {closed}: too late to open it."})
        ed.call_published_at = timezone.now()
        ed.save(update_fields=["call_published_at"])
        queued = mail.call_for_applications_queue(edition=ed, actor=actor)
        audit_record(
            actor=actor,
            action="edition.call_publish",
            target=ed,
            before={"call_published_at": None},
            after={"call_published_at": ed.call_published_at.isoformat(), "queued": queued},
        )
    return ed, queued


def results_withdraw(*, actor: Any, edition: Edition, reason: str) -> Edition:
    """Take published results off the public pages again (e.g. an error found after
    publication), with a reason kept in the audit record."""
    _require_staff(actor)
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


def edition_set_aggregation(*, actor: Any, edition: Edition, aggregation: str) -> Edition:
    _require_staff(actor)
    if aggregation not in {a.value for a in rules.Aggregation}:
        raise ValidationError({"aggregation": f"Unknown aggregation '{aggregation}'."})
    with transaction.atomic():
        ed = Edition.objects.select_for_update().get(pk=edition.pk)
        before = snapshot(ed, ["aggregation"])
        ed.aggregation = aggregation
        ed.save(update_fields=["aggregation"])
        audit_record(
            actor=actor,
            action="edition.aggregation",
            target=ed,
            before=before,
            after=snapshot(ed, ["aggregation"]),
        )
    return ed


def edition_set_agreement_level(*, actor: Any, edition: Edition, level: str) -> Edition:
    """The level of measurement of the edition's agreement (Krippendorff's alpha)."""
    _require_staff(actor)
    if level not in rules.AGREEMENT_LEVELS:
        raise ValidationError(
            {"agreement_level": f"Unknown level '{level}'; choose one of {rules.AGREEMENT_LEVELS}."}
        )
    with transaction.atomic():
        ed = Edition.objects.select_for_update().get(pk=edition.pk)
        before = snapshot(ed, ["agreement_level"])
        ed.agreement_level = level
        ed.save(update_fields=["agreement_level"])
        audit_record(
            actor=actor,
            action="edition.agreement_level",
            target=ed,
            before=before,
            after=snapshot(ed, ["agreement_level"]),
        )
    return ed
