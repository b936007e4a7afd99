"""Writes for an edition's own settings: how scores aggregate and how agreement is measured."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from urbis.common.audit import audit_record, snapshot
from urbis.common.roles import is_secretariat
from urbis.prize import rules
from urbis.prize.models import (
    Edition,
)


def _require_staff(actor: Any) -> None:
    if not is_secretariat(actor):
        raise PermissionDenied("Only the secretariat may do this.")


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
