"""Writes for an edition's own settings: how scores aggregate and how agreement is measured."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from urbis.common.actor import Actor
from urbis.common.audit import audited_update
from urbis.prize import rules
from urbis.prize.models import (
    Edition,
)


def edition_set_aggregation(*, actor: Actor, edition: Edition, aggregation: str) -> Edition:
    """How the edition's scores aggregate (`rules.Aggregation`)."""
    if aggregation not in {a.value for a in rules.Aggregation}:
        raise ValidationError({"aggregation": f"Unknown aggregation '{aggregation}'."})
    return _edition_set(actor, edition, "edition.aggregation", aggregation=aggregation)


def edition_set_agreement_level(*, actor: Actor, edition: Edition, level: str) -> Edition:
    """The level of measurement of the edition's agreement (Krippendorff's alpha)."""
    if level not in rules.AGREEMENT_LEVELS:
        raise ValidationError(
            {"agreement_level": f"Unknown level '{level}'; choose one of {rules.AGREEMENT_LEVELS}."}
        )
    return _edition_set(actor, edition, "edition.agreement_level", agreement_level=level)


def edition_settings_set(
    *,
    actor: Actor,
    edition: Edition,
    aggregation: str | None = None,
    agreement_level: str | None = None,
) -> Edition:
    """Change the settings given (None leaves one as it is) in one transaction, so a bad
    value leaves the other unchanged too: the round page changes one, the API either or
    both. Each change keeps its own audit record."""
    if aggregation is None and agreement_level is None:
        raise ValidationError(
            {"__all__": "Give the aggregation, the agreement level or both to change."}
        )
    with transaction.atomic():
        if aggregation is not None:
            edition = edition_set_aggregation(actor=actor, edition=edition, aggregation=aggregation)
        if agreement_level is not None:
            edition = edition_set_agreement_level(
                actor=actor, edition=edition, level=agreement_level
            )
    return edition


def _edition_set(actor: Actor, edition: Edition, action: str, **fields: str) -> Edition:
    """Set one of the edition's own settings, audited (nothing is written when it is
    already so)."""
    with transaction.atomic():
        ed = Edition.objects.select_for_update().get(pk=edition.pk)
        return audited_update(ed, actor=actor, fields=fields, action=action).obj
