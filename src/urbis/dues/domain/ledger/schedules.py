"""Fee schedules: storing the validated schedules of Annex 3."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from urbis.common.actor import Actor
from urbis.common.audit import audit_record, snapshot
from urbis.dues.models import FeeSchedule
from urbis.dues.rules import fees


def fee_schedules_load(*, schedules: Iterable[fees.Schedule], actor: Actor) -> list[FeeSchedule]:
    """Store validated schedules, upserting by code (loading twice changes nothing)."""
    saved = []
    with transaction.atomic():
        for schedule in schedules:
            fees.validate_schedule(schedule)
            values = {
                "title": schedule.title,
                "effective_from": schedule.effective_from,
                "currency": schedule.currency,
                "source": schedule.source,
                "example": schedule.example,
                "choices": list(schedule.choices),
                "tables": fees.schedule_to_data(schedule),
            }
            row = FeeSchedule.objects.filter(code=schedule.code).first()
            before = snapshot(row) if row else None
            if row is None:
                row = FeeSchedule(code=schedule.code, **values)
            else:
                for name, value in values.items():
                    setattr(row, name, value)
            after = snapshot(row)
            if before != after:
                row.save()
                audit_record(
                    actor=actor, action="fee_schedule.save", target=row, before=before, after=after
                )
            saved.append(row)
    return saved
