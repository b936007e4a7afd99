"""Statutes: article texts, amendments and the quorum rule, each version kept."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from urbis.common.actor import ActorArg
from urbis.common.audit import audit_record
from urbis.governance.domain.snapshots import snapshot
from urbis.governance.models import (
    AgendaItem,
    Amendment,
    Article,
    ArticleVersion,
    QuorumRule,
)


def article_save(
    *, actor: ActorArg, number: int, title: str, text: str, effective_from: dt.date
) -> ArticleVersion:
    """Create or retitle an article and record its text in force from a date (idempotent)."""
    with transaction.atomic():
        article, created = Article.objects.get_or_create(number=number, defaults={"title": title})
        if not created and article.title != title:
            before = snapshot(article)
            article.title = title
            article.save(update_fields=["title"])
            audit_record(
                actor=actor,
                action="article.update",
                target=article,
                before=before,
                after=snapshot(article),
            )
        version, v_created = ArticleVersion.objects.get_or_create(
            article=article, effective_from=effective_from, defaults={"text": text}
        )
        if v_created or version.text != text:
            prior = None if v_created else snapshot(version)
            version.text = text
            version.save()
            audit_record(
                actor=actor,
                action="article.text",
                target=version,
                before=prior,
                after=snapshot(version),
            )
    return version


def amendment_propose(
    *,
    actor: ActorArg,
    article_number: int,
    source: str,
    current_text: str,
    proposal: str,
    rationale: str = "",
    proposed_text: str = "",
    effective_from: dt.date | None = None,
    agenda_item: AgendaItem | None = None,
) -> Amendment:
    """Record a proposed amendment of an article (upsert by article and source)."""
    try:
        article = Article.objects.get(number=article_number)
    except Article.DoesNotExist as exc:
        raise ValidationError({"article": f"Article {article_number} is not loaded."}) from exc
    fields = {
        "current_text": current_text,
        "proposal": proposal,
        "rationale": rationale,
        "proposed_text": proposed_text,
        "effective_from": effective_from,
        "agenda_item": agenda_item,
    }
    with transaction.atomic():
        amendment, created = Amendment.objects.get_or_create(
            article=article, source=source, defaults=fields
        )
        before = None if created else snapshot(amendment)
        if not created:
            for name, value in fields.items():
                setattr(amendment, name, value)
            amendment.save()
        after = snapshot(amendment)
        if created or before != after:
            audit_record(
                actor=actor,
                action="amendment.propose",
                target=amendment,
                before=before,
                after=after,
            )
    return amendment


def quorum_rule_set(
    *,
    actor: ActorArg,
    effective_from: dt.date,
    numerator: int,
    denominator: int,
    counted_categories: list[str],
    counted_states: list[str],
    member_categories: list[str] | None = None,
    member_states: list[str] | None = None,
    body: str = "ga",
    text: str = "",
) -> QuorumRule:
    """Art. 16(2) as statute data for a body, in force from a date (upsert by body and
    date): who counts and votes, who else attends as a member, the fraction."""
    if body not in {"ga", "excom"}:
        raise ValidationError({"body": f"Unknown body '{body}'."})
    if denominator <= 0 or numerator > denominator or numerator < 1:
        raise ValidationError({"fraction": f"{numerator}/{denominator} is not a valid quorum."})
    fields = {
        "numerator": numerator,
        "denominator": denominator,
        "counted_categories": sorted(counted_categories),
        "counted_states": sorted(counted_states),
        "member_categories": sorted(member_categories or []),
        "member_states": sorted(member_states or []),
        "text": text,
    }
    with transaction.atomic():
        rule = QuorumRule.objects.filter(body=body, effective_from=effective_from).first()
        before = snapshot(rule) if rule else None
        rule = rule or QuorumRule(body=body, effective_from=effective_from)
        for name, value in fields.items():
            setattr(rule, name, value)
        rule.save()
        after = snapshot(rule)
        if before != after:
            audit_record(
                actor=actor, action="quorum_rule.set", target=rule, before=before, after=after
            )
    return rule
