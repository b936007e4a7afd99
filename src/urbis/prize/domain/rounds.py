"""Writes for rounds: opening, the exact assignment of evaluators (Rules §5) and closing,
which advances the applications the round's rule keeps."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from urbis.common.actor import Actor
from urbis.common.audit import audit_record
from urbis.prize import bulk, mail, queries, rules
from urbis.prize.models import (
    Application,
    Assignment,
    Bid,
    Conflict,
    Evaluator,
    Round,
)
from urbis.prize.scoring import assignment as assigning
from urbis.prize.scoring import ranking


class RoundClosed(ValidationError):
    """A write to a closed round's scores was refused."""


def round_open(*, actor: Actor, round_: Round) -> Round:
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


def assignments_generate(*, actor: Actor, round_: Round) -> int:
    """Assign evaluators to the round's applications: the edition's reviews per
    application, never a conflicted evaluator (waived conflicts excepted), loads within
    one of each other, and the greatest total fit (expertise and bids; Rules §5) - an
    exact integer program. When no balanced assignment exists the error says which
    constraint prevents it, naming the application or evaluator at fault."""
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
        mail.assignments_queue(round_=r, actor=actor.user)  # messaging records a user
    return count


def round_close(*, actor: Actor, round_: Round, force_reason: str = "") -> dict[str, int]:
    """Close a round: its scores become immutable; the applications that advance by the
    round's rule (top k per category or a threshold) reach the next round. Advancing
    out of the last-but-one round makes an application a finalist.

    Refused while reviews are missing (`queries.round_missing` lists them), unless staff
    force it with a reason, which is kept on the round and in the audit record: an
    application without reviews would otherwise drop out silently."""
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
