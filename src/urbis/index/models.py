"""The index's data: editions with their published cut-points, cities with their HDI, survey
items and answers, and computed results. Fields and constraints only; writes go through
`domain.py`, reads through `queries.py`, and the computation lives in `engine/`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Pillar(models.TextChoices):
    STRUCTURES = "structures", _("Structures")
    TECHNOLOGY = "technology", _("Technology")


class Area(models.TextChoices):
    HEALTH_SAFETY = "health_safety", _("Health & safety")
    MOBILITY = "mobility", _("Mobility")
    ACTIVITIES = "activities", _("Activities")
    OPPORTUNITIES = "opportunities", _("Opportunities")
    GOVERNANCE = "governance", _("Governance")


class Edition(models.Model):
    """One published edition of the index, with its rating cut-points and its methods."""

    year = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=200)
    cutpoints = models.JSONField(
        help_text="Per tier (1-4): the lowest 0-100 score of each grade but the tier's last."
    )
    config = models.JSONField(
        default=dict, blank=True, help_text="Method choices per level (see the engine)."
    )
    respondents = models.PositiveIntegerField(
        default=120, help_text="Typical number of residents surveyed per city and wave."
    )
    synthetic = models.BooleanField(
        default=False, help_text="The data are synthetic (demonstration), not survey results."
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class City(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=140, unique=True)
    country = CountryField()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "cities"

    def __str__(self) -> str:
        return self.name


class CityHDI(models.Model):
    """A city's city-level Human Development Index as used by one edition."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="hdi_values")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="hdi_values")
    hdi = models.FloatField(validators=[MinValueValidator(0), MaxValueValidator(1)])
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["edition", "city__name"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "city"], name="index_hdi_once_per_edition"),
            models.CheckConstraint(condition=Q(hdi__gte=0, hdi__lte=1), name="index_hdi_range"),
        ]

    def __str__(self) -> str:
        return f"{self.city} {self.edition.year}: {self.hdi:.3f}"


class Indicator(models.Model):
    """A survey item of an edition: the share of residents agreeing with a statement."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(max_length=60)
    pillar = models.CharField(max_length=20, choices=Pillar.choices)
    area = models.CharField(max_length=20, choices=Area.choices)
    statement = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["edition", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="index_indicator_code"),
        ]

    def __str__(self) -> str:
        return self.code


class SurveyValue(models.Model):
    """The share of a city's respondents agreeing with an item in one survey wave."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="survey_values")
    wave = models.PositiveSmallIntegerField(help_text="Year of the survey wave.")
    share = models.FloatField(validators=[MinValueValidator(0), MaxValueValidator(1)])
    respondents = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["indicator", "city", "-wave"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "city", "wave"], name="index_one_value_per_wave"
            ),
            models.CheckConstraint(
                condition=Q(share__gte=0, share__lte=1), name="index_share_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city_id}/{self.indicator_id}/{self.wave}: {self.share:.3f}"


class Computation(models.Model):
    """One computation of an edition: point estimate, uncertainty and sensitivity."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="computations")
    computed_at = models.DateTimeField(auto_now_add=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    runs = models.PositiveIntegerField()
    seed = models.BigIntegerField()
    waves = models.JSONField(help_text="The wave years pooled, most recent first.")
    methods = models.JSONField(help_text="The method choices that made the results.")
    uncertainty = models.JSONField(help_text="What the Monte Carlo analysis varied.")
    sensitivity = models.JSONField(default=list, blank=True, help_text="Sobol indices.")
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["-computed_at", "-id"]
        get_latest_by = ["computed_at", "id"]

    def __str__(self) -> str:
        return f"{self.edition.year} computation #{self.pk}"


class CityResult(models.Model):
    computation = models.ForeignKey(Computation, on_delete=models.CASCADE, related_name="results")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="results")
    tier = models.PositiveSmallIntegerField()
    hdi = models.FloatField()
    score = models.FloatField(null=True, help_text="0-100 across the edition's cities.")
    rank = models.PositiveIntegerField()
    rating = models.CharField(max_length=3, blank=True)
    median_rank = models.PositiveIntegerField()
    rank_low = models.PositiveIntegerField(help_text="5th percentile of the rank.")
    rank_high = models.PositiveIntegerField(help_text="95th percentile of the rank.")
    rating_probabilities = models.JSONField(default=dict)
    pillars = models.JSONField(default=dict)
    areas = models.JSONField(default=dict)
    pooling = models.JSONField(default=dict, help_text="Waves used and their weights.")

    class Meta:
        ordering = ["computation", "rank", "city__name"]
        constraints = [
            models.UniqueConstraint(fields=["computation", "city"], name="index_result_once"),
            models.CheckConstraint(condition=Q(tier__gte=1, tier__lte=4), name="index_tier_range"),
        ]

    def __str__(self) -> str:
        return f"{self.city}: {self.rank}"
