"""Exports of the index: the coherence audit of an edition as an XLSX workbook, written by
`urbis.common.exports` (city names and notes are text a user typed: never a live formula)."""

from __future__ import annotations

from typing import Any

from urbis.common.exports import Sheet, xlsx_book_bytes
from urbis.index.queries import EditionAudit

INDICATOR_HEADERS = [
    "indicator", "area", "available", "availability", "mean", "sd", "min", "max", "skew",
    "kurtosis", "treatment", "points capped",
]  # fmt: skip


def audit_workbook(report: EditionAudit, note: str = "") -> bytes:
    """One sheet per part of the audit; `note` (e.g. the synthetic-data label) heads the
    first sheet."""
    assert report.audit is not None
    a = report.audit
    indicators: list[list[Any]] = [[note]] if note else []
    indicators += [
        [s.code, s.parent, s.available, s.availability, s.mean, s.sd, s.min, s.max,
         s.skew, s.kurtosis, s.treatment, s.points]
        for s in a.indicators
    ]  # fmt: skip
    pca: list[list[Any]] = []
    for comp in a.components:
        for i, child in enumerate(comp.children):
            explained = comp.variance_explained[i] if i < len(comp.variance_explained) else None
            loading = comp.loadings[i] if comp.loadings else None
            pca.append([comp.level, comp.group, child, loading, explained])
    return xlsx_book_bytes(
        [
            Sheet("Indicators", INDICATOR_HEADERS, indicators),
            Sheet(
                "Correlations",
                ["level", "group", "a", "b", "r", "flag"],
                [[p.level, p.group, p.a, p.b, p.r, p.flag] for p in a.pairs],
            ),
            Sheet(
                "Across levels",
                ["level", "code", "against", "parent", "r", "flag"],
                [[c.level, c.code, c.against, c.parent, c.r, c.flag] for c in a.cross],
            ),
            Sheet(
                "Cronbach alpha",
                ["level", "group", "children", "complete cities", "alpha"],
                [[al.level, al.group, al.children, al.cities, al.alpha] for al in a.alphas],
            ),
            Sheet("PCA", ["level", "group", "child", "loading PC1", "variance PC"], pca),
            Sheet(
                "Cities",
                ["city", "data availability"],
                [
                    [name, share]
                    for name, share in zip(report.cities, a.city_availability, strict=True)
                ],
            ),
        ]
    )
