"""Applications for membership: what an applicant sends through the public form, and where it
stands (checked by the secretariat, put to the EXCOM, approved by its decision or rejected)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from urbis.members.models.registry import (
    Category,
    CorporateCategory,
    InstitutionType,
    Organisation,
)

# The reference an EXCOM agenda item carries to approve an application (in its
# `membership_review_ref`), e.g. "application:APP-2031-0004".
AGENDA_PREFIX = "application:"


def application_document_path(instance: MembershipApplication, filename: str) -> str:
    return f"applications/{instance.reference}/{filename}"


class MembershipApplication(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        CHECKED = "checked", _("Checked by the secretariat")
        ON_AGENDA = "on_agenda", _("On the EXCOM agenda")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    reference = models.CharField(max_length=20, unique=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    # the organisation
    name = models.CharField(max_length=200)
    official_name = models.CharField(max_length=300, blank=True)
    category = models.CharField(max_length=20, choices=Category.choices)
    institution_type = models.CharField(max_length=20, choices=InstitutionType.choices, blank=True)
    corporate_category = models.CharField(
        max_length=10, choices=CorporateCategory.choices, blank=True
    )
    employees = models.PositiveIntegerField(null=True, blank=True)
    country = CountryField()
    city = models.CharField(max_length=120, blank=True)
    website = models.URLField(blank=True)
    motivation = models.TextField(help_text="Why the organisation wishes to join.")
    # the contact who becomes the focal point
    contact_name = models.CharField(max_length=200)
    contact_position = models.CharField(max_length=300, blank=True)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=50, blank=True)
    # a second contact (optional)
    other_contact_name = models.CharField(max_length=200, blank=True)
    other_contact_email = models.EmailField(blank=True)
    document = models.FileField(
        upload_to=application_document_path,
        max_length=300,
        blank=True,
        help_text="The letter of application (PDF).",
    )
    consent_statutes = models.BooleanField(
        default=False, help_text="The applicant accepts the statutes of the network."
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    # the secretariat's work and the decision
    check_note = models.TextField(blank=True)
    agenda = models.CharField(
        max_length=200, blank=True, help_text="The EXCOM agenda item it is put to."
    )
    decision_ref = models.CharField(max_length=200, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    organisation = models.OneToOneField(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent_statutes=True), name="application_consents"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"

    @property
    def agenda_reference(self) -> str:
        return f"{AGENDA_PREFIX}{self.reference}"
