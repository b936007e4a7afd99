"""A small multi-series line chart as server-rendered SVG (no JavaScript, no network).

The bar chart and the world map of the report are the events app's (`urbis.events.charts`);
this adds the one chart shape they do not have: several series over the years.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

COLOURS = ("#0b6e8a", "#d1793b", "#5a9e4b", "#9a3b5e", "#6b6f78")


def line_chart(
    *,
    series: Sequence[tuple[str, Sequence[int]]],
    labels: Sequence[str],
    title: str,
    width: int = 640,
    height: int = 280,
) -> SafeString:
    """One polyline per (name, values), values aligned with `labels`, with a legend."""
    left, right, top, bottom = 44, 180, 30, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    biggest = max((v for _, values in series for v in values), default=0) or 1
    n = max(len(labels), 1)

    def x(i: int) -> float:
        return round(left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2), 1)

    def y(v: int) -> float:
        return round(top + plot_h - plot_h * v / biggest, 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="18" font-size="14" font-weight="600">{escape(title)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#8a939c"/>',
        f'<text x="{left - 6}" y="{top + 4}" font-size="11" text-anchor="end">{biggest}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" font-size="11" text-anchor="end">0</text>',
    ]
    step = max(1, n // 8)
    for i, label in enumerate(labels):
        if i % step == 0 or i == n - 1:
            parts.append(
                f'<text x="{x(i)}" y="{height - 8}" font-size="11" text-anchor="middle">'
                f"{escape(label)}</text>"
            )
    for k, (name, values) in enumerate(series):
        colour = COLOURS[k % len(COLOURS)]
        points = " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values))
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2">'
            f"<title>{escape(name)}</title></polyline>"
        )
        last = values[-1] if values else 0
        ly = top + 14 + k * 18
        parts += [
            f'<rect x="{width - right + 10}" y="{ly - 9}" width="10" height="10" fill="{colour}"/>',
            f'<text x="{width - right + 24}" y="{ly}" font-size="11">{escape(name)}: {last}</text>',
        ]
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text part is escaped above
