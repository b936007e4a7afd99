"""Evaluation: evaluators, their conflicts and bids, their assignments and the scores they give."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from urbis.prize.models.applications import Application
from urbis.prize.models.editions import Criterion, Edition, Round


class Evaluator(models.Model):
    """A judge of an edition: a user in the evaluator group, with the ties that conflict."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="evaluators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="prize_evaluations",
    )
    name = models.CharField(max_length=200)
    affiliation = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        "members.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    city = models.CharField(max_length=120, blank=True)
    country = CountryField(blank=True)
    active = models.BooleanField(default=True)
    synthetic = models.BooleanField(default=False)
    expertise = models.JSONField(
        default=list, blank=True, help_text="Expertise areas (category codes or topics)."
    )

    class Meta:
        ordering = ["edition", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "user"],
                condition=Q(user__isnull=False),
                name="unique_prize_evaluator_user",
            ),
            models.UniqueConstraint(fields=["edition", "name"], name="unique_prize_evaluator"),
        ]

    def __str__(self) -> str:
        return self.name


class Conflict(models.Model):
    class Source(models.TextChoices):
        DECLARED = "declared", _("Declared by the evaluator")
        CITY = "city", _("Same city")
        ORGANISATION = "organisation", _("Same organisation")
        COUNTRY = "country", _("Same country")

    evaluator = models.ForeignKey(
        Evaluator, on_delete=models.CASCADE, related_name="conflicts", db_index=False
    )  # served by the unique (evaluator, application) index
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    source = models.CharField(max_length=12, choices=Source.choices)
    reason = models.CharField(max_length=300, blank=True)
    # Staff may waive an automatic conflict (e.g. a large country) with a reason; a waived
    # conflict no longer keeps the evaluator from the application. Defaults are in the
    # database too: conflicts are inserted in bulk.
    waived = models.BooleanField(default=False, db_default=False)
    waiver_reason = models.CharField(max_length=300, blank=True, db_default="")
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["evaluator", "application"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluator", "application"], name="unique_prize_conflict"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} x {self.application.reference} ({self.source})"


class Assignment(models.Model):
    # The unique (round, evaluator, application) index serves lookups by round and by
    # round and evaluator: no separate index, fewer to maintain on bulk inserts.
    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="assignments", db_index=False
    )
    evaluator = models.ForeignKey(Evaluator, on_delete=models.PROTECT, related_name="assignments")
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="assignments"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True, db_default="", help_text="Overall comment.")
    # A review saved but not submitted: {"scores": {code: value}, "comments": {code: text},
    # "comment": text}. Scores rows are written on submission only, so a draft never
    # counts as a review.
    draft = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["round", "application", "evaluator"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "evaluator", "application"], name="unique_prize_assignment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.evaluator} → {self.application.reference}"


class Score(models.Model):
    """One evaluator's score on one leaf criterion in one round. Immutable once the round
    closes: the domain refuses it, and a database trigger refuses it too."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="scores", db_index=False
    )  # served by the unique (assignment, criterion) index
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, db_default="")

    class Meta:
        ordering = ["assignment", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="unique_prize_score")
        ]

    def __str__(self) -> str:
        return f"{self.assignment} {self.criterion.code}={self.value}"


class Bid(models.Model):
    """How much an evaluator wants to review an application; the assignment weighs it."""

    class Level(models.TextChoices):
        EAGER = "eager", _("Eager")
        WILLING = "willing", _("Willing")
        NOT_WILLING = "not_willing", _("Not willing")

    evaluator = models.ForeignKey(Evaluator, on_delete=models.CASCADE, related_name="bids")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="bids")
    level = models.CharField(max_length=12, choices=Level.choices)

    class Meta:
        ordering = ["evaluator", "application"]
        constraints = [
            models.UniqueConstraint(fields=["evaluator", "application"], name="unique_prize_bid")
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} {self.level} {self.application.reference}"
