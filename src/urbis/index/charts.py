"""Geometry for the small inline SVG charts of the index pages (presentation only)."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 220


@dataclass(frozen=True)
class Interval:
    """A rank interval on a 1…N axis, in pixels (rank 1 on the left)."""

    x_low: float
    x_high: float
    x_point: float
    x_median: float
    width: int = WIDTH

    @property
    def bar_width(self) -> float:
        return round(max(self.x_high - self.x_low, 2.0), 1)


def interval(low: int, high: int, point: int, median: int, total: int) -> Interval:
    span = max(total - 1, 1)

    def x(rank: int) -> float:
        return round(4 + (WIDTH - 8) * (rank - 1) / span, 1)

    return Interval(x(low), x(high), x(point), x(median))


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    width: float  # pixels
    reference: float | None = None  # pixels, e.g. the tier average


def bars(
    rows: list[tuple[str, float | None, float | None]], scale: float = 100, width: int = 260
) -> list[Bar]:
    """Horizontal bars for (label, value, reference) on a 0…scale axis."""
    out = []
    for label, value, ref in rows:
        w = 0.0 if value is None else round(width * max(0.0, min(value, scale)) / scale, 1)
        r = None if ref is None else round(width * max(0.0, min(ref, scale)) / scale, 1)
        out.append(Bar(label, value, w, r))
    return out
