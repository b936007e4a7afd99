"""The smart-city prize: editions, categories, committees, applications, evaluators,
assignments, rubric, rounds, scores and awards.

Models hold fields and constraints only: writes go through `domain.py`, reads through
`queries.py`, eligibility and conflict rules live in `rules.py`, and the numbers
(assignment, calibration, agreement, ranking, awards) in the pure NumPy `scoring` package.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_countries.fields import CountryField

from urbis.prize.rules import AGREEMENT_LEVELS, Aggregation


class ApplicantKind(models.TextChoices):
    CITY = "city", "City"
    CORPORATION = "corporation", "Corporation"
    INSTITUTION = "institution", "Institution"
    INDIVIDUAL = "individual", "Individual"


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
        STEERING = "steering", "Steering Committee"
        ORGANIZING = "organizing", "Organizing Committee"
        EVALUATION = "evaluation", "Evaluation Committee"

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
        CHAIR = "chair", "Chair"
        MEMBER = "member", "Member"
        SECRETARY = "secretary", "Secretary"

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


def document_path(instance: SupportingDocument, filename: str) -> str:
    return f"prize/{instance.application.edition_id}/{instance.application_id}/{filename}"


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        ELIGIBLE = "eligible", "Eligible"
        INELIGIBLE = "ineligible", "Ineligible"
        WITHDRAWN = "withdrawn", "Withdrawn"

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="applications")
    category = models.ForeignKey(
        PrizeCategory, on_delete=models.PROTECT, related_name="applications"
    )
    reference = models.CharField(max_length=20, unique=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    applicant_kind = models.CharField(max_length=12, choices=ApplicantKind.choices)
    applicant_name = models.CharField(max_length=200)
    applicant_title = models.CharField(
        max_length=200, blank=True, help_text="An individual's position, e.g. 'Mayor of Konya'."
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="prize_applications",
    )
    city = models.CharField(max_length=120, blank=True)
    country = CountryField(blank=True)
    title = models.CharField(max_length=300)
    summary = models.TextField()
    contact_email = models.EmailField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="prize_applications",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    triage_note = models.TextField(blank=True)
    reached_round = models.PositiveSmallIntegerField(
        default=0, help_text="The last round this application takes part in (0: none yet)."
    )
    finalist = models.BooleanField(default=False)
    areas = models.JSONField(
        default=list, blank=True, help_text="Expertise areas the project touches."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["edition", "reference"]
        indexes = [models.Index(fields=["edition", "status", "category"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class SupportingDocument(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=document_path, max_length=300)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "id"]

    def __str__(self) -> str:
        return self.title


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
        DECLARED = "declared", "Declared by the evaluator"
        CITY = "city", "Same city"
        ORGANISATION = "organisation", "Same organisation"
        COUNTRY = "country", "Same country"

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
        EAGER = "eager", "Eager"
        WILLING = "willing", "Willing"
        NOT_WILLING = "not_willing", "Not willing"

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


class AwardKind(models.Model):
    """An award of an edition: its category, the applicant kinds it goes to and how many."""

    class Tier(models.TextChoices):
        GOLD = "gold", "Gold"
        SILVER = "silver", "Silver"
        BRONZE = "bronze", "Bronze"
        CORPORATION = "corporation", "Corporation"
        INSTITUTION = "institution", "Institution"
        LEADERSHIP = "leadership", "Leadership"
        SPECIAL = "special", "Special mention"

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
