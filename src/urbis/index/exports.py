"""Exports of the index: the coherence audit of an edition as an XLSX workbook."""

from __future__ import annotations

import tablib

from urbis.index.queries import EditionAudit


def audit_workbook(report: EditionAudit, note: str = "") -> bytes:
    """One sheet per part of the audit; `note` (e.g. the synthetic-data label) heads the
    first sheet."""
    assert report.audit is not None
    a = report.audit
    book = tablib.Databook()
    indicators = tablib.Dataset(
        headers=["indicator", "area", "available", "availability", "mean", "sd", "min", "max",
                 "skew", "kurtosis", "treatment", "points capped"],
        title="Indicators",
    )  # fmt: skip
    if note:
        indicators.append([note] + [""] * 11)
    for s in a.indicators:
        indicators.append(
            [s.code, s.parent, s.available, s.availability, s.mean, s.sd, s.min, s.max,
             s.skew, s.kurtosis, s.treatment, s.points]
        )  # fmt: skip
    pairs = tablib.Dataset(headers=["level", "group", "a", "b", "r", "flag"], title="Correlations")
    for p in a.pairs:
        pairs.append([p.level, p.group, p.a, p.b, p.r, p.flag])
    cross = tablib.Dataset(
        headers=["level", "code", "against", "parent", "r", "flag"], title="Across levels"
    )
    for c in a.cross:
        cross.append([c.level, c.code, c.against, c.parent, c.r, c.flag])
    alphas = tablib.Dataset(
        headers=["level", "group", "children", "complete cities", "alpha"], title="Cronbach alpha"
    )
    for al in a.alphas:
        alphas.append([al.level, al.group, al.children, al.cities, al.alpha])
    pca = tablib.Dataset(headers=["level", "group", "child", "loading PC1", "variance PC"],
                         title="PCA")  # fmt: skip
    for comp in a.components:
        for i, child in enumerate(comp.children):
            explained = comp.variance_explained[i] if i < len(comp.variance_explained) else None
            loading = comp.loadings[i] if comp.loadings else None
            pca.append([comp.level, comp.group, child, loading, explained])
    cities = tablib.Dataset(headers=["city", "data availability"], title="Cities")
    for name, share in zip(report.cities, a.city_availability, strict=True):
        cities.append([name, share])
    for sheet in (indicators, pairs, cross, alphas, pca, cities):
        book.add_sheet(sheet)
    return bytes(book.export("xlsx"))
