"""Statutes: articles with versioned text, amendments, and the quorum rule as statute data."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Article(models.Model):
    """An article of the statutes (e.g. Art. 16 "Decisions"); its text lives in versions."""

    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Article {self.number} {self.title}".strip()


class ArticleVersion(models.Model):
    """The text of an article in force from a date (until the next version)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    text = models.TextField()
    effective_from = models.DateField()
    amendment = models.ForeignKey(
        "Amendment", null=True, blank=True, on_delete=models.PROTECT, related_name="versions"
    )

    class Meta:
        ordering = ["article__number", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "effective_from"], name="unique_article_version_date"
            )
        ]

    def __str__(self) -> str:
        return f"Art. {self.article.number} from {self.effective_from}"


class Amendment(models.Model):
    """A proposed change of one article: current text, proposal and rationale.

    It takes effect (a new ArticleVersion) once a General Assembly decision approves it.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="amendments")
    source = models.CharField(max_length=100, help_text="e.g. 'Memorandum Annex 2'.")
    current_text = models.TextField()
    proposal = models.TextField()
    proposed_text = models.TextField(
        blank=True, help_text="The article's full text once amended, when it is known."
    )
    rationale = models.TextField(blank=True)
    effective_from = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    agenda_item = models.ForeignKey(
        "AgendaItem", null=True, blank=True, on_delete=models.PROTECT, related_name="amendments"
    )

    class Meta:
        ordering = ["article__number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "source"], name="unique_amendment_source"),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(agenda_item__isnull=False),
                name="approved_amendment_has_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"Amendment of Art. {self.article.number} ({self.source})"


def default_majorities() -> dict[str, str]:
    """The majority each kind of decision needs where the statutes say nothing else (the
    seed's statutes are silent: `docs/governance.md` states this choice). Kinds: approval,
    appointment, amendment (an approval that amends the statutes), election, selection;
    majorities: `rules.MAJORITIES`."""
    return {
        "approval": "simple",
        "appointment": "simple",
        "amendment": "two_thirds",
        "election": "plurality",
        "selection": "absolute_then_runoff",
    }


class QuorumRule(models.Model):
    """Art. 16(2) as data: which members count and the fraction required, from a date."""

    body = models.CharField(
        max_length=5,
        default="ga",
        help_text="The body whose quorum this is (ga, excom); a body without its own rule "
        "uses the General Assembly's.",
    )
    effective_from = models.DateField()
    article = models.CharField(max_length=20, default="16(2)")
    numerator = models.PositiveSmallIntegerField()
    denominator = models.PositiveSmallIntegerField()
    counted_categories = models.JSONField(
        default=list, help_text="Member categories that count towards the quorum."
    )
    counted_states = models.JSONField(
        default=list, help_text="Membership states that count (good standing)."
    )
    member_categories = models.JSONField(
        default=list,
        blank=True,
        help_text="Categories of members that attend without counting (e.g. corporations); "
        "any other organisation attends as an observer.",
    )
    member_states = models.JSONField(
        default=list,
        blank=True,
        help_text="Membership states in which an organisation is a member.",
    )
    text = models.TextField(blank=True)
    # Art. 16 (decisions) as data beyond the quorum: which majority each kind of decision
    # needs, and whether a present member may carry another's vote on a proxy.
    majorities = models.JSONField(
        default=default_majorities,
        blank=True,
        help_text="Kind of decision → majority (rules.majorities.MAJORITIES).",
    )
    majority_article = models.CharField(max_length=20, default="16")
    proxies_allowed = models.BooleanField(default=False)
    proxy_cap = models.PositiveSmallIntegerField(
        default=1, help_text="How many other members' votes one present member may carry."
    )

    class Meta:
        ordering = ["body", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["body", "effective_from"], name="unique_quorum_rule"),
            models.CheckConstraint(
                condition=Q(denominator__gt=0) & Q(numerator__lte=models.F("denominator")),
                name="quorum_fraction_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Quorum {self.numerator}/{self.denominator} from {self.effective_from}"
