"""Writes for an edition's own settings: how scores aggregate and how agreement is measured."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from urbis.common.actor import Actor
from urbis.common.audit import audit_record, snapshot
from urbis.prize import rules
from urbis.prize.models import (
    Edition,
)


def edition_set_aggregation(*, actor: Actor, edition: Edition, aggregation: str) -> Edition:
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


def edition_set_agreement_level(*, actor: Actor, edition: Edition, level: str) -> Edition:
    """The level of measurement of the edition's agreement (Krippendorff's alpha)."""
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
