"""Writing audit records. Every domain write calls `audit_record` inside its transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from urbis.common.actor import Actor
from urbis.common.models import AuditRecord


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if hasattr(value, "code") and value.__class__.__name__ == "Country":
        return value.code
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of `instance`, JSON-ready (foreign keys as ids)."""
    names = fields or [
        f.attname
        for f in instance._meta.concrete_fields
        if f.attname not in {"id", "created_at", "updated_at", "recorded_at"}
    ]
    return {name: _jsonable(getattr(instance, name)) for name in names}


def _who(actor: Any) -> tuple[int | None, str]:
    """The user id and label an audit record names for `actor`: an `Actor`, a user, or None
    (the system)."""
    if isinstance(actor, Actor):
        return actor.user_id, actor.label
    if getattr(actor, "is_authenticated", False):
        return actor.pk, actor.get_username()
    return None, "system"


def audit_record(
    *,
    actor: Actor | Any,
    action: str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditRecord:
    """Append one record; `actor` may be an `Actor`, a user, None (system) or an anonymous
    user (recorded as the system)."""
    user_id, label = _who(actor)
    if before is not None and after is not None:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        before = {k: before.get(k) for k in sorted(changed)}
        after = {k: after.get(k) for k in sorted(changed)}
    return AuditRecord.objects.create(
        actor_id=user_id,
        actor_label=label[:150],
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:255],
        before=_jsonable(before),
        after=_jsonable(after),
    )
