"""Creating or updating an index edition, with its cut-points validated."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from urbis.common.actor import Actor
from urbis.common.audit import audit_record, snapshot
from urbis.index import rules
from urbis.index.models import (
    Edition,
)


def edition_create(
    *,
    year: int,
    title: str,
    cutpoints: Mapping[str, Any],
    actor: Actor,
    synthetic: bool = False,
    respondents: int = 120,
    config: Mapping[str, Any] | None = None,
    notes: str = "",
) -> Edition:
    """Create (or update, by year) an edition; the cut-points are validated. `config`
    (method choices per level) is kept as it is when None."""
    errors = rules.validate_cutpoints(cutpoints)
    if errors:
        raise ValidationError({"cutpoints": errors})
    with transaction.atomic():
        edition = Edition.objects.filter(year=year).first()
        before = snapshot(edition) if edition else None
        edition = edition or Edition(year=year)
        edition.title = title
        edition.cutpoints = {str(k): dict(v) for k, v in cutpoints.items()}
        if config is not None:  # None keeps the methods already configured
            edition.config = dict(config)
        edition.synthetic = synthetic
        edition.respondents = respondents
        edition.notes = notes
        edition.full_clean()
        edition.save()
        after = snapshot(edition)
        if before != after:
            action = "index.edition_update" if before else "index.edition_create"
            audit_record(actor=actor, action=action, target=edition, before=before, after=after)
    return edition
