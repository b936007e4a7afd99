"""The Seoul Smart City Prize 2023 (data/ga6/prize.yaml): edition, categories, rubric,
rounds, committees, award kinds and presenters, the 21 finalists with their awards as in
the seed, and SYNTHETIC final-round scores (the seed publishes none).

Applicants keep their own name; the registry organisation is linked when one of that name
(or alias) exists, so the loader never fails on a missing organisation. Loading twice
changes nothing: rows are upserted by natural keys and a closed round's scores are left
as they are.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.utils import timezone
from django_countries import countries

from urbis.common.audit import audit_record
from urbis.demo.loaders.context import LoadContext
from urbis.demo.yamlio import LINE_KEY, DataError, DataErrors, read_yaml
from urbis.members.models import Organisation
from urbis.prize import rules
from urbis.prize.models import (
    Application,
    Assignment,
    Award,
    AwardKind,
    Committee,
    CommitteeMember,
    Criterion,
    Edition,
    Evaluator,
    PrizeCategory,
    Round,
    Score,
)

FILE = "prize.yaml"
# Small per-criterion offsets so that the synthetic reviews are not flat.
CRITERION_OFFSETS = (0.2, -0.2, 0.1, -0.1, 0.0, 0.0)


def _line(item: Any) -> int:
    return item.get(LINE_KEY, 0) if isinstance(item, dict) else 0


def _strip(value: Any) -> Any:
    """The document without the line numbers the reader added to every mapping."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k != LINE_KEY}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _validate(doc: dict[str, Any]) -> list[DataError]:
    errors: list[DataError] = []

    def err(item: Any, field: str, reason: str) -> None:
        errors.append(DataError(FILE, _line(item), field, reason))

    edition = doc.get("edition") or {}
    for name in ("year", "name", "call_opens", "call_closes"):
        if not edition.get(name):
            err(edition, f"edition.{name}", "required")
    categories = {c.get("code"): c for c in doc.get("categories") or []}
    for code, cat in categories.items():
        for reason in rules.category_kinds_errors(
            cat.get("applicant_kinds") or [], leadership=code == "leadership"
        ):
            err(cat, "applicant_kinds", reason)
    criteria_codes = {c.get("code") for c in doc.get("criteria") or []}
    for c in doc.get("criteria") or []:
        if c.get("parent") and c["parent"] not in criteria_codes:
            err(c, "parent", f"unknown criterion '{c['parent']}'")
    awards = {a.get("code"): a for a in doc.get("awards") or []}
    for a in awards.values():
        if a.get("category") and a["category"] not in categories:
            err(a, "category", f"unknown category '{a['category']}'")
    scale = (edition.get("scale_min", 1), edition.get("scale_max", 5))
    seen: set[str] = set()
    for f in doc.get("finalists") or []:
        ref = f.get("reference", "")
        if not ref or ref in seen:
            err(f, "reference", "missing or repeated")
        seen.add(ref)
        cat = categories.get(f.get("category"))
        if cat is None:
            err(f, "category", f"unknown category '{f.get('category')}'")
        elif f.get("kind") not in (cat.get("applicant_kinds") or []):
            err(f, "kind", f"{cat['name']} does not admit a {f.get('kind')}")
        for name in ("applicant", "title", "summary"):
            if not str(f.get(name) or "").strip():
                err(f, name, "required")
        if f.get("country") and f["country"] not in countries:
            err(f, "country", f"unknown country code '{f['country']}'")
        if f.get("award") and f["award"] not in awards:
            err(f, "award", f"unknown award '{f['award']}'")
        score = f.get("synthetic_score")
        if score is not None and not scale[0] <= float(score) <= scale[1]:
            err(f, "synthetic_score", f"outside the scale {scale[0]}-{scale[1]}")
    return errors


def _organisation(name: str) -> Organisation | None:
    if not name:
        return None
    found = Organisation.objects.filter(name=name).first()
    if found:
        return found
    folded = name.casefold()
    for org in Organisation.objects.exclude(aliases=[]).only("pk", "aliases", "name"):
        if any(str(a).casefold() == folded for a in org.aliases or []):
            return org
    return None


def load(ctx: LoadContext) -> str:
    path = ctx.data_dir / FILE
    doc = read_yaml(path) or {}
    errors = _validate(doc)
    if errors:
        raise DataErrors(errors)
    doc = _strip(doc)
    e = dict(doc["edition"])
    edition, created = Edition.objects.update_or_create(
        year=e.pop("year"), defaults={k: v for k, v in e.items()}
    )
    if created:
        audit_record(actor=ctx.actor, action="edition.load", target=edition)

    categories = {}
    for order, c in enumerate(doc["categories"]):
        categories[c["code"]], _ = PrizeCategory.objects.update_or_create(
            edition=edition,
            code=c["code"],
            defaults={
                "name": c["name"],
                "description": c.get("description", ""),
                "applicant_kinds": c["applicant_kinds"],
                "sort_order": order,
            },
        )

    nodes: dict[str, Criterion] = {}
    for order, c in enumerate(doc["criteria"]):
        nodes[c["code"]], _ = Criterion.objects.update_or_create(
            edition=edition,
            code=c["code"],
            defaults={
                "name": c["name"],
                "weight": c.get("weight", 1),
                "parent": nodes.get(c.get("parent", "")),
                "sort_order": order,
            },
        )

    rounds = {}
    for r in doc["rounds"]:
        existing = Round.objects.filter(edition=edition, number=r["number"]).first()
        rounds[r["number"]], _ = Round.objects.update_or_create(
            edition=edition,
            number=r["number"],
            defaults={
                "name": r["name"],
                "opens": r["opens"],
                "closes": r["closes"],
                "advance": r["advance"],
                "advance_k": r.get("advance_k"),
                "advance_k_by_category": r.get("advance_k_by_category") or {},
                # a new round is opened to receive its scores, then closed below
                "status": existing.status if existing else Round.Status.OPEN,
            },
        )

    for kind, people in (doc.get("committees") or {}).items():
        committee, _ = Committee.objects.get_or_create(edition=edition, kind=kind)
        for order, p in enumerate(people):
            CommitteeMember.objects.update_or_create(
                committee=committee,
                name=p["name"],
                defaults={
                    "position": p.get("position", ""),
                    "role": p.get("role", "member"),
                    "sort_order": order,
                },
            )

    award_kinds = {}
    for order, a in enumerate(doc["awards"]):
        award_kinds[a["code"]], _ = AwardKind.objects.update_or_create(
            edition=edition,
            code=a["code"],
            defaults={
                "category": categories.get(a.get("category", "")),
                "name": a["name"],
                "tier": a["tier"],
                "applicant_kinds": a.get("kinds") or [],
                "count": a.get("count", 1),
                "partner": a.get("partner", ""),
                "presenter": a.get("presenter", ""),
                "presenter_title": a.get("presenter_title", ""),
                "sort_order": order,
            },
        )

    submitted = timezone.make_aware(dt.datetime.combine(edition.call_closes, dt.time(12)))
    apps: dict[str, tuple[Application, float | None]] = {}
    linked = 0
    for f in doc["finalists"]:
        org = _organisation(f.get("organisation") or f["applicant"])
        linked += org is not None
        app, _ = Application.objects.update_or_create(
            reference=f["reference"],
            defaults={
                "edition": edition,
                "category": categories[f["category"]],
                "status": Application.Status.ELIGIBLE,
                "applicant_kind": f["kind"],
                "applicant_name": f["applicant"],
                "applicant_title": f.get("applicant_title", ""),
                "organisation": org,
                "city": f.get("city", ""),
                "country": f.get("country", ""),
                "title": " ".join(str(f["title"]).split()),
                "summary": " ".join(str(f["summary"]).split()),
                "submitted_at": submitted,
                "reached_round": 3,
                "finalist": True,
            },
        )
        apps[f["reference"]] = (app, f.get("synthetic_score"))

    # Awards as in the seed.
    positions: dict[str, int] = {}
    for f in doc["finalists"]:
        if not f.get("award"):
            continue
        kind = award_kinds[f["award"]]
        positions[kind.code] = positions.get(kind.code, 0) + 1
        Award.objects.update_or_create(
            kind=kind,
            application=apps[f["reference"]][0],
            defaults={"position": positions[kind.code]},
        )

    scores_written = _synthetic_scores(edition, rounds, doc, apps)
    for r in rounds.values():
        if r.status != Round.Status.CLOSED:
            r.status = Round.Status.CLOSED
            r.closed_at = timezone.make_aware(dt.datetime.combine(r.closes, dt.time(18)))
            r.save(update_fields=["status", "closed_at"])
    if not edition.results_published:
        edition.results_published = True
        edition.save(update_fields=["results_published"])
    return (
        f"prize: edition {edition.year}, {len(apps)} finalists ({linked} linked to the "
        f"registry), {Award.objects.filter(kind__edition=edition).count()} awards, "
        f"{scores_written} synthetic scores written"
    )


def _synthetic_scores(
    edition: Edition,
    rounds: dict[int, Round],
    doc: dict[str, Any],
    apps: dict[str, tuple[Application, float | None]],
) -> int:
    """SYNTHETIC final-round scores: target + evaluator bias + a criterion offset, rounded
    and clipped to the scale. Each score rises with the target, so the ranking (and the
    award allocation) follows the targets, ties falling to the reference."""
    final = rounds[max(rounds)]
    if final.status == Round.Status.CLOSED:
        return 0  # immutable: loaded before
    evaluators = []
    for e in doc.get("synthetic_evaluators") or []:
        ev, _ = Evaluator.objects.update_or_create(
            edition=edition,
            name=e["name"],
            defaults={"country": e.get("country", ""), "synthetic": True},
        )
        evaluators.append((ev, float(e.get("bias", 0.0))))
    leaves = [c for c in Criterion.objects.filter(edition=edition) if not c.children.exists()]
    leaves.sort(key=lambda c: (c.sort_order, c.code))
    lo, hi = edition.scale_min, edition.scale_max
    written = 0
    for app, target in apps.values():
        if target is None:
            continue
        for ev, bias in evaluators:
            assignment, _ = Assignment.objects.get_or_create(
                round=final, evaluator=ev, application=app
            )
            for i, criterion in enumerate(leaves):
                raw = float(target) + bias + CRITERION_OFFSETS[i % len(CRITERION_OFFSETS)]
                value = int(np.clip(np.floor(raw + 0.5), lo, hi))
                Score.objects.update_or_create(
                    assignment=assignment, criterion=criterion, defaults={"value": value}
                )
                written += 1
    return written
