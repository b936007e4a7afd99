"""Writing audit records, and the one audited save.

Every domain write calls `audit_record` inside its transaction. A write that creates or
updates a row's fields goes through `audited_save` (create or update by a natural key) or
`audited_update` (an instance already read): snapshot, set the fields, `full_clean`, save,
and an audit record of what changed, only if something did.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.db import models

from urbis.common.actor import Actor
from urbis.common.models import AuditRecord

M = TypeVar("M", bound=models.Model)


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


def audit_actor(actor: Actor | Any) -> tuple[int | None, str]:
    """The user id and label `audit_record` writes for `actor`: for a write that records
    its audit row in the same statement (`governance.statements`)."""
    return _who(actor)


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


# --- the audited save ---------------------------------------------------------------------


def _normalise(value: Any) -> Any:
    """Aware datetimes in UTC, as the database returns them, so that saving the same moment
    again compares equal and writes nothing."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC)
    return value


@dataclass(frozen=True)
class Saved(Generic[M]):
    """What `audited_save` / `audited_update` did: the row, and whether it was created or
    changed (neither: the values were already there, nothing was written)."""

    obj: M
    created: bool
    changed: bool


def audited_update(
    instance: M,
    *,
    actor: Actor | Any,
    fields: dict[str, Any],
    action: str | None = None,
    validate: bool = True,
    exclude: Collection[str] = (),
) -> Saved[M]:
    """Set `fields` on `instance`, validate it, and save it with an audit record of what
    changed, or write nothing when nothing changed.

    The caller holds the transaction and, where two writers may race, has read `instance`
    with `select_for_update()`. `full_clean` runs on the whole row but the fields in
    `exclude` (a ValidationError names the field) and leaves uniqueness and constraints to
    the database, which settles them under concurrency; `validate=False` skips it, for a
    transition whose values the domain function computed itself. `action` defaults to
    "<model>.update".
    """
    unknown = sorted(
        set(fields)
        - {f.name for f in instance._meta.concrete_fields}
        - {f.attname for f in instance._meta.concrete_fields}
    )
    if unknown:
        raise TypeError(f"{instance._meta.label} has no field {', '.join(unknown)}")
    before = snapshot(instance)
    for name, value in fields.items():
        setattr(instance, name, _normalise(value))
    if validate:
        instance.full_clean(
            exclude=list(exclude) or None, validate_unique=False, validate_constraints=False
        )
    after = snapshot(instance)
    if before == after:
        return Saved(instance, created=False, changed=False)
    instance.save()
    audit_record(
        actor=actor,
        action=action or f"{instance._meta.model_name}.update",
        target=instance,
        before=before,
        after=after,
    )
    return Saved(instance, created=False, changed=True)


def audited_save(
    model: type[M],
    *,
    actor: Actor | Any,
    keys: dict[str, Any],
    fields: dict[str, Any],
    action_prefix: str | None = None,
    actions: tuple[str, str] | None = None,
) -> Saved[M]:
    """Create or update the row of `model` named by its natural key `keys`: the upsert of
    every loader and every "save" endpoint. Loading the same values twice writes nothing.

    The row is read with `select_for_update()`, so the call must run inside
    `transaction.atomic()` (a domain function's). A new row leaves "<model>.create" with
    its values, a changed one "<model>.update" with the fields before and after (or the
    names `actions` gives: (create, update)).
    """
    prefix = action_prefix or model._meta.model_name
    create, update = actions or (f"{prefix}.create", f"{prefix}.update")
    fields = {name: _normalise(value) for name, value in fields.items()}
    obj = model._default_manager.select_for_update().filter(**keys).first()
    if obj is not None:
        return audited_update(obj, actor=actor, fields=fields, action=update)
    obj = model(**keys, **fields)
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save()
    audit_record(actor=actor, action=create, target=obj, after=snapshot(obj))
    return Saved(obj, created=True, changed=True)
