"""The statutes in force on a date: each article with the version that applied then."""

from __future__ import annotations

import datetime as dt

from urbis.governance.models import Article, ArticleVersion


def article_text_on(number: int, on: dt.date) -> ArticleVersion | None:
    return (
        ArticleVersion.objects.filter(article__number=number, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )


def articles_with_text(on: dt.date) -> list[tuple[Article, ArticleVersion | None]]:
    versions: dict[int, ArticleVersion] = {}
    for v in ArticleVersion.objects.filter(effective_from__lte=on).order_by("effective_from"):
        versions[v.article_id] = v
    return [(a, versions.get(a.pk)) for a in Article.objects.prefetch_related("amendments")]
