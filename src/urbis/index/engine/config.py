"""The configuration of an index: its hierarchy and the methods used at each level.

The hierarchy is indicators → areas → pillars → index. Each aggregation step is a
*level* named after what it produces ("areas", "pillars", "index") and carries the
methods applied to its inputs: imputation, outlier treatment, normalisation, weights and
aggregation. A configuration is plain data (`from_dict` / `as_dict`), so it can be stored
with an edition and every result can say which choices made it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from urbis.index.engine.aggregate import AGGREGATIONS
from urbis.index.engine.impute import IMPUTATIONS
from urbis.index.engine.normalise import NORMALISATIONS
from urbis.index.engine.weights import WEIGHTINGS

LEVELS = ("areas", "pillars", "index")


@dataclass(frozen=True)
class Indicator:
    code: str
    area: str
    label: str = ""
    polarity: int = 1  # +1: more is better; -1: less is better
    low: float = 0.0  # goalposts
    high: float = 1.0
    target: float | None = None  # for distance to a target


@dataclass(frozen=True)
class Node:
    code: str
    parent: str  # an area's pillar; a pillar's parent is "index"
    label: str = ""


@dataclass(frozen=True)
class Level:
    imputation: str = "none"
    outliers: bool = False
    normalisation: str = "none"
    weights: str = "equal"
    aggregation: str = "arithmetic"
    manual_weights: Mapping[str, float] = field(default_factory=dict)
    # the normalisation's own parameters, e.g. {"lower": 1, "upper": 100} for minmax,
    # {"mean": 100, "sd": 10, "ddof": 1} for zscore, {"ties": "min"} for rank
    normalisation_params: Mapping[str, Any] = field(default_factory=dict)
    p: float | None = None  # order of the generalised mean
    threshold: float | None = None  # least share of available children, else missing
    # outlier treatment: max_points, bias_corrected, transform, boxcox_lambda, keep_range
    outlier_params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for value, allowed, what in (
            (self.imputation, IMPUTATIONS, "imputation"),
            (self.normalisation, NORMALISATIONS, "normalisation"),
            (self.weights, WEIGHTINGS, "weights"),
            (self.aggregation, AGGREGATIONS, "aggregation"),
        ):
            if value not in allowed:
                raise ValueError(f"{what}: {value!r} is not one of {', '.join(allowed)}.")
        if self.aggregation == "generalised" and self.p is None:
            raise ValueError("aggregation: the generalised mean needs its order p.")
        if self.threshold is not None and not 0 <= self.threshold <= 1:
            raise ValueError("threshold: must lie between 0 and 1.")


DEFAULT_LEVELS = {
    "areas": Level(imputation="none", outliers=True, normalisation="minmax"),
    "pillars": Level(),
    "index": Level(),
}


@dataclass(frozen=True)
class IndexConfig:
    indicators: tuple[Indicator, ...]
    areas: tuple[Node, ...]
    pillars: tuple[Node, ...]
    levels: Mapping[str, Level] = field(default_factory=lambda: dict(DEFAULT_LEVELS))

    def __post_init__(self) -> None:
        errors: list[str] = []
        area_codes = [a.code for a in self.areas]
        pillar_codes = [p.code for p in self.pillars]
        codes = [i.code for i in self.indicators]
        for what, seq in (("indicator", codes), ("area", area_codes), ("pillar", pillar_codes)):
            dupes = sorted({c for c in seq if seq.count(c) > 1})
            if dupes:
                errors.append(f"duplicate {what} code(s): {', '.join(dupes)}")
        for ind in self.indicators:
            if ind.area not in area_codes:
                errors.append(f"indicator {ind.code}: unknown area {ind.area!r}")
            if ind.polarity not in (1, -1):
                errors.append(f"indicator {ind.code}: polarity must be 1 or -1")
        for area in self.areas:
            if area.parent not in pillar_codes:
                errors.append(f"area {area.code}: unknown pillar {area.parent!r}")
            if not any(i.area == area.code for i in self.indicators):
                errors.append(f"area {area.code}: has no indicator")
        for pillar in self.pillars:
            if not any(a.parent == pillar.code for a in self.areas):
                errors.append(f"pillar {pillar.code}: has no area")
        if set(self.levels) != set(LEVELS):
            errors.append(f"levels must be exactly {', '.join(LEVELS)}")
        if errors:
            raise ValueError("Invalid index configuration: " + "; ".join(errors))

    def level(self, name: str) -> Level:
        return self.levels[name]

    def with_level(self, name: str, **changes: Any) -> IndexConfig:
        levels = dict(self.levels)
        levels[name] = replace(levels[name], **changes)
        return replace(self, levels=levels)

    def methods(self) -> dict[str, dict[str, Any]]:
        """The method choices, level by level (what every result carries)."""
        return {
            name: {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in asdict(lvl).items()}
            for name, lvl in self.levels.items()
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "indicators": [asdict(i) for i in self.indicators],
            "areas": [asdict(a) for a in self.areas],
            "pillars": [asdict(p) for p in self.pillars],
            "levels": self.methods(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> IndexConfig:
        levels = dict(DEFAULT_LEVELS)
        for name, spec in (data.get("levels") or {}).items():
            if name not in LEVELS:
                raise ValueError(f"Unknown level {name!r}; levels are {', '.join(LEVELS)}.")
            levels[name] = Level(**spec)
        return cls(
            indicators=tuple(Indicator(**i) for i in data["indicators"]),
            areas=tuple(Node(**a) for a in data["areas"]),
            pillars=tuple(Node(**p) for p in data["pillars"]),
            levels=levels,
        )


# The published structure: two pillars, five areas each (Smart City Index, 2023 edition).
PILLARS = (("structures", "Structures"), ("technology", "Technology"))
AREAS = (
    ("health_safety", "Health & safety"),
    ("mobility", "Mobility"),
    ("activities", "Activities"),
    ("opportunities", "Opportunities"),
    ("governance", "Governance"),
)


def area_code(pillar: str, area: str) -> str:
    return f"{pillar}.{area}"


def published_structure(items: list[tuple[str, str, str, str]]) -> IndexConfig:
    """The published configuration from survey items (code, pillar, area, label).

    Each item is an indicator: the share of residents agreeing with a statement, more is
    better, goalposts 0 and 1. An area node is one pillar x area cell.
    """
    pillars = tuple(Node(code, "index", label) for code, label in PILLARS)
    areas = tuple(
        Node(area_code(p, a), p, f"{plabel}: {alabel}")
        for p, plabel in PILLARS
        for a, alabel in AREAS
    )
    indicators = tuple(
        Indicator(code=code, area=area_code(pillar, area), label=label)
        for code, pillar, area, label in items
    )
    return IndexConfig(indicators=indicators, areas=areas, pillars=pillars)
