"""Applications to an edition and their supporting documents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from urbis.prize.models.editions import ApplicantKind, Edition, PrizeCategory


def document_path(instance: SupportingDocument, filename: str) -> str:
    return f"prize/{instance.application.edition_id}/{instance.application_id}/{filename}"


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ELIGIBLE = "eligible", _("Eligible")
        INELIGIBLE = "ineligible", _("Ineligible")
        WITHDRAWN = "withdrawn", _("Withdrawn")

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
