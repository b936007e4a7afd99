"""Creating or updating an index edition, with its cut-points validated."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from urbis.common.actor import Actor
from urbis.common.audit import audited_save
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
    fields: dict[str, Any] = {
        "title": title,
        "cutpoints": {str(k): dict(v) for k, v in cutpoints.items()},
        "synthetic": synthetic,
        "respondents": respondents,
        "notes": notes,
    }
    if config is not None:  # None keeps the methods already configured
        fields["config"] = dict(config)
    with transaction.atomic():
        saved = audited_save(
            Edition,
            actor=actor,
            keys={"year": year},
            fields=fields,
            actions=("index.edition_create", "index.edition_update"),
        )
    return saved.obj
