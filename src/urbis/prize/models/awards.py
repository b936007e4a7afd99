"""The awards an edition gives and who received them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from urbis.prize.models.applications import Application
from urbis.prize.models.editions import Edition, PrizeCategory


class AwardKind(models.Model):
    """An award of an edition: its category, the applicant kinds it goes to and how many."""

    class Tier(models.TextChoices):
        GOLD = "gold", _("Gold")
        SILVER = "silver", _("Silver")
        BRONZE = "bronze", _("Bronze")
        CORPORATION = "corporation", _("Corporation")
        INSTITUTION = "institution", _("Institution")
        LEADERSHIP = "leadership", _("Leadership")
        SPECIAL = "special", _("Special mention")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="award_kinds")
    category = models.ForeignKey(
        PrizeCategory, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=150)
    tier = models.CharField(max_length=12, choices=Tier.choices)
    applicant_kinds = models.JSONField(default=list)
    count = models.PositiveSmallIntegerField(default=1)
    partner = models.CharField(max_length=200, blank=True)
    presenter = models.CharField(max_length=200, blank=True)
    presenter_title = models.CharField(max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["edition", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="unique_prize_award_kind")
        ]

    def __str__(self) -> str:
        return self.name


class Award(models.Model):
    kind = models.ForeignKey(AwardKind, on_delete=models.CASCADE, related_name="awards")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="awards")
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["kind", "position"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "application"], name="unique_prize_award")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.application.applicant_name}"
