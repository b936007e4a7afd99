"""The groups the prize offers to messages to members (`members.queries.segments`): the
active evaluators (with an account and an address) of each edition."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from urbis.members.queries.segments import Group, Recipient, group_provider
from urbis.prize.models import Edition, Evaluator


def evaluators(edition_id: int) -> list[Recipient]:
    rows = (
        Evaluator.objects.filter(edition_id=edition_id, active=True, user__isnull=False)
        .exclude(user__email="")
        .select_related("user")
        .order_by("name")
    )
    return [Recipient(e.affiliation, e.name, e.user.email) for e in rows if e.user]


@group_provider
def evaluator_groups() -> Iterable[Group]:
    for edition in Edition.objects.order_by("-year"):
        yield Group(
            code=f"prize:{edition.year}",
            label=f"evaluators of {edition.name}",
            recipients=partial(evaluators, edition.pk),
        )
