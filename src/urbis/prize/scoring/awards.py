"""Award allocation from a ranking (Rules §9).

Awards of a category are handed out in their order (Gold, Silver, Bronze, then the
corporation and institution awards): each takes the best-ranked applications of the
category whose applicant kind it admits and that hold no award yet. Partner special
mentions are chosen by the partners, not allocated here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Slot:
    code: str
    category: str
    kinds: tuple[str, ...]
    count: int


@dataclass(frozen=True)
class Ranked:
    key: int  # the application's id
    category: str
    kind: str
    rank: int  # 1-based within its category


def allocate(slots: Sequence[Slot], ranked: Sequence[Ranked]) -> dict[str, list[int]]:
    """Award code → application keys, best first. An award with fewer eligible
    applications than its count stays partly unawarded."""
    by_rank = sorted(ranked, key=lambda r: (r.category, r.rank, r.key))
    taken: set[int] = set()
    result: dict[str, list[int]] = {}
    for slot in slots:
        winners: list[int] = []
        for r in by_rank:
            if len(winners) == slot.count:
                break
            if r.category == slot.category and r.kind in slot.kinds and r.key not in taken:
                winners.append(r.key)
                taken.add(r.key)
        result[slot.code] = winners
    return result
