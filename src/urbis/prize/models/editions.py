"""An edition of the prize and what it is set up with: categories, committees, the rubric
(criteria) and its rounds."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from urbis.prize.rules import AGREEMENT_LEVELS, Aggregation


class ApplicantKind(models.TextChoices):
    CITY = "city", _("City")
    CORPORATION = "corporation", _("Corporation")
    INSTITUTION = "institution", _("Institution")
    INDIVIDUAL = "individual", _("Individual")


class Edition(models.Model):
    """One (triennial) edition of the prize and its settings."""

    year = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=200)
    call_opens = models.DateField()
    call_closes = models.DateField()
    ceremony_date = models.DateField(null=True, blank=True)
    ceremony_venue = models.CharField(max_length=200, blank=True)
    aggregation = models.CharField(
        max_length=12,
        choices=[(a.value, a.value.capitalize()) for a in Aggregation],
        default=Aggregation.MEAN.value,
    )
    trim_fraction = models.FloatField(
        default=0.2, help_text="Share cut from each end for the trimmed mean."
    )
    reviews_per_application = models.PositiveSmallIntegerField(default=3)
    scale_min = models.PositiveSmallIntegerField(default=1)
    scale_max = models.PositiveSmallIntegerField(default=5)
    tie_break = models.JSONField(
        default=list,
        blank=True,
        help_text="Keys after the aggregate score: 'criterion:<code>', 'median', "
        "'reviews', 'submitted_at'. The application reference always ends the chain.",
    )
    agreement_level = models.CharField(
        max_length=10,
        choices=[(v, v.capitalize()) for v in AGREEMENT_LEVELS],
        default="ordinal",
        help_text="Level of measurement of Krippendorff's alpha; rubric scores are ordinal.",
    )
    results_published = models.BooleanField(default=False)
    call_published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When staff published the call for applications (its mail went then).",
    )
    synthetic_scores = models.BooleanField(
        default=False, help_text="The scores of this edition are synthetic (demo)."
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(call_closes__gte=models.F("call_opens")),
                name="prize_call_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")), name="prize_scale_nonempty"
            ),
            models.CheckConstraint(
                condition=Q(trim_fraction__gte=0) & Q(trim_fraction__lt=0.5),
                name="prize_trim_fraction_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PrizeCategory(models.Model):
    """A category of an edition and the applicant kinds it admits."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    applicant_kinds = models.JSONField(default=list)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["edition", "sort_order", "name"]
        verbose_name_plural = "prize categories"
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="unique_prize_category")
        ]

    def __str__(self) -> str:
        return self.name


class Committee(models.Model):
    class Kind(models.TextChoices):
        STEERING = "steering", _("Steering Committee")
        ORGANIZING = "organizing", _("Organizing Committee")
        EVALUATION = "evaluation", _("Evaluation Committee")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="committees")
    kind = models.CharField(max_length=12, choices=Kind.choices)

    class Meta:
        ordering = ["edition", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "kind"], name="unique_prize_committee")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.edition.year}"


class CommitteeMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Member")
        SECRETARY = "secretary", _("Secretary")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=200)
    position = models.CharField(max_length=300, blank=True)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["committee", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="unique_committee_member")
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """A node of the theory-of-change rubric; scores are given on leaves."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    guidance = models.TextField(blank=True)
    levels = models.JSONField(
        default=dict,
        blank=True,
        help_text="What each score means on this criterion: {'1': 'Absent', …}.",
    )
    weight = models.DecimalField(max_digits=6, decimal_places=3, default=1)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["edition", "sort_order", "code"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="unique_prize_criterion"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="prize_weight_nonnegative"),
        ]

    def __str__(self) -> str:
        return self.name


class Round(models.Model):
    """An evaluation round. Once closed, its scores never change."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Advance(models.TextChoices):
        TOP_K = "top_k", "Top k per category"
        THRESHOLD = "threshold", "Score threshold"
        FINAL = "final", "Final round (awards)"

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    opens = models.DateField()
    closes = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PLANNED)
    advance = models.CharField(max_length=10, choices=Advance.choices, default=Advance.TOP_K)
    advance_k = models.PositiveIntegerField(null=True, blank=True)
    advance_k_by_category = models.JSONField(
        default=dict, blank=True, help_text="Per-category k, e.g. {'leadership': 2}."
    )
    advance_threshold = models.FloatField(null=True, blank=True)
    blind = models.BooleanField(
        default=False, help_text="Hide the applicant's identity from the evaluators."
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.TextField(
        blank=True, help_text="Why the round was closed with reviews missing (forced)."
    )

    class Meta:
        ordering = ["edition", "number"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="unique_prize_round"),
            models.CheckConstraint(
                condition=Q(closes__gte=models.F("opens")), name="prize_round_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition.year} round {self.number}"
