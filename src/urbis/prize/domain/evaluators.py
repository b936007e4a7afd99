"""Writes for evaluators: appointment, expertise and bids, declared, detected and waived
conflicts (Rules §5-6)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from urbis.common import roles
from urbis.common.actor import Actor
from urbis.common.audit import audit_record, snapshot
from urbis.common.roles import has_role
from urbis.prize import bulk
from urbis.prize.models import (
    Application,
    Assignment,
    Bid,
    Conflict,
    Edition,
    Evaluator,
    Round,
    Score,
)
from urbis.prize.scoring import assignment as assigning


def _own_evaluator(actor: Actor, evaluator: Evaluator, refusal: str) -> None:
    """An evaluator acts in their own name only; the secretariat (and the system) may act
    for one. This is the domain's own invariant, not a role check: whose name a declaration
    carries."""
    if evaluator.user_id != actor.user_id and not actor.has_perm("prize.manage_edition"):
        raise PermissionDenied(refusal)


def evaluator_add(
    *,
    actor: Actor,
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
    *, actor: Actor, evaluator: Evaluator, application: Application, reason: str
) -> Conflict:
    """An evaluator declares a conflict; an existing assignment in an open or planned round
    is removed (its scores, if any, go with it)."""
    _own_evaluator(actor, evaluator, "Evaluators declare their own conflicts only.")
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


def conflicts_detect(*, actor: Actor, edition: Edition) -> int:
    """Record the automatic conflicts of an edition (same city, organisation or country;
    Rules §6) for every evaluator x eligible or submitted application. Vectorised."""
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


def bids_save(
    *,
    actor: Actor,
    evaluator: Evaluator,
    expertise: list[str],
    bids: Mapping[int, str],
) -> Evaluator:
    """An evaluator states their expertise areas and bids on applications (application
    id -> 'eager', 'willing', 'not_willing', or '' to withdraw a bid); the assignment
    weighs them (Rules §5). Errors name the application."""
    _own_evaluator(actor, evaluator, "Evaluators state their own expertise and bids only.")
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


def conflict_waive(*, actor: Actor, conflict: Conflict, reason: str) -> Conflict:
    """Staff waive an automatic conflict (same city, organisation or country) with a
    reason: the evaluator may then be assigned the application. A conflict the evaluator
    declared stands."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the conflict is waived."})
    with transaction.atomic():
        c = Conflict.objects.select_for_update().get(pk=conflict.pk)
        if c.source == Conflict.Source.DECLARED:
            raise ValidationError(
                {"conflict": "A conflict the evaluator declared cannot be waived."}
            )
        before = snapshot(c, ["waived", "waiver_reason"])
        c.waived, c.waiver_reason, c.waived_by = True, reason.strip(), actor.user
        c.save(update_fields=["waived", "waiver_reason", "waived_by"])
        audit_record(
            actor=actor,
            action="conflict.waive",
            target=c,
            before=before,
            after=snapshot(c, ["waived", "waiver_reason"]),
        )
    return c
