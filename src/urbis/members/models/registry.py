"""The member registry: organisations, their contacts, lifecycle events and participation.

Models hold fields and constraints only; writes go through `domain.py`, reads through
`queries.py`, and lifecycle rules are pure functions in `rules.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from urbis.members.rules import EventKind


class Category(models.TextChoices):
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    INSTITUTION = "institution", _("Institution")
    CORPORATION = "corporation", _("Corporation")
    OBSERVER = "observer", _("Observer")
    EMBASSY = "embassy", _("Embassy")
    PARTNER = "partner", _("Partner organisation")
    SPONSOR = "sponsor", _("Sponsor")
    OTHER = "other", _("Other organisation")


MEMBER_CATEGORIES = (Category.LOCAL_GOVERNMENT, Category.INSTITUTION, Category.CORPORATION)


class InstitutionType(models.TextChoices):
    ASSOCIATION = "association", _("Association or alliance")
    PUBLIC_AGENCY = "public_agency", _("National or subnational public agency")
    ACADEMIC = "academic", _("Academic institution")
    NON_PROFIT = "non_profit", _("Non-profit organisation")


class CorporateCategory(models.TextChoices):
    MNC = "mnc", _("Multinational corporation")
    SME = "sme", _("Small and medium-sized enterprise")
    STARTUP = "startup", _("Start-up")


class Organisation(models.Model):
    """A member (local government, institution, corporation) or a non-member organisation."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    official_name = models.CharField(max_length=300, blank=True)
    aliases = models.JSONField(
        default=list, blank=True, help_text="Other names the organisation appears under."
    )
    category = models.CharField(max_length=20, choices=Category.choices, db_index=True)
    country = CountryField(blank=True, db_index=True)
    city = models.CharField(max_length=120, blank=True)
    population = models.PositiveBigIntegerField(null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(null=True, blank=True)
    founding_member = models.BooleanField(default=False)
    institution_type = models.CharField(max_length=20, choices=InstitutionType.choices, blank=True)
    corporate_category = models.CharField(
        max_length=10, choices=CorporateCategory.choices, blank=True
    )
    employees = models.PositiveIntegerField(null=True, blank=True)
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(institution_type="") | Q(category="institution"),
                name="institution_type_only_for_institutions",
            ),
            models.CheckConstraint(
                condition=Q(corporate_category="") | Q(category="corporation"),
                name="corporate_category_only_for_corporations",
            ),
            models.CheckConstraint(
                condition=Q(population__isnull=True) | Q(category="local_government"),
                name="population_only_for_local_governments",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A person who represents an organisation: mayor, delegate, focal point."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(max_length=200)
    position = models.CharField(max_length=300, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    mayoral_level = models.BooleanField(
        default=False, help_text="Governor, mayor, vice or deputy mayor, or equivalent."
    )
    is_focal_point = models.BooleanField(default=False)
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text="The language of the mail sent to this contact.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
        help_text="The account a focal point signs in with.",
    )

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name", "position"], name="unique_contact_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class LifecycleEvent(models.Model):
    """One dated, reasoned step in an organisation's membership: never overwritten."""

    class Precision(models.TextChoices):
        DAY = "day", "Day"
        MONTH = "month", "Month"
        YEAR = "year", "Year"

    class Letter(models.TextChoices):
        NONE = "", "Not applicable"
        PENDING = "pending", "Letter pending"
        RECEIVED = "received", "Letter received"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="lifecycle_events"
    )
    kind = models.CharField(
        max_length=24,
        choices=[(k.value, k.value.replace("_", " ").capitalize()) for k in EventKind],
    )
    date = models.DateField(db_index=True)
    date_precision = models.CharField(
        max_length=5,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text="How much of the date the source states (e.g. only the year of approval).",
    )
    reason = models.TextField(blank=True)
    decision_ref = models.CharField(
        max_length=200, blank=True, help_text="The decision that approved it, e.g. 'EXCOM 2022'."
    )
    letter = models.CharField(max_length=10, choices=Letter.choices, blank=True, default="")
    evidence = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation_id", "date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "date"], name="unique_lifecycle_event"
            )
        ]
        indexes = [models.Index(fields=["organisation", "date", "id"])]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.kind} on {self.date}"


class Participation(models.Model):
    """An organisation took part in an activity of the network on a date."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Statutory meeting")
        EVENT = "event", _("Event or conference")
        PROGRAMME = "programme", _("Programme or training")
        PROJECT = "project", _("Project")
        PRIZE = "prize", _("Prize application")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="participations"
    )
    date = models.DateField(db_index=True)
    activity = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.EVENT)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-date", "activity"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "activity", "date"], name="unique_participation"
            )
        ]
        indexes = [models.Index(fields=["organisation", "date"])]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.activity} ({self.date})"
