"""Offices of the network and who held them, with dated terms."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from urbis.members.models import Organisation


class OfficeKind(models.TextChoices):
    PRESIDENT_CITY = "president_city", _("President City")
    EXECUTIVE_VICE_PRESIDENT_CITY = "evp_city", _("Executive Vice President City")
    VICE_PRESIDENT_CITY = "vp_city", _("Vice President City")
    EXCOM_MEMBER = "excom_member", _("EXCOM member")
    SECRETARY_GENERAL = "secretary_general", _("Secretary General")
    REGIONAL_OFFICE = "regional_office", _("Regional office")


class OfficeTerm(models.Model):
    """One holder of one office from `start` to `end` (inclusive; open when `end` is null).

    Cities hold offices through their member organisation; the Secretary General is a
    person. A regional office is hosted by a city for a region.
    """

    kind = models.CharField(max_length=20, choices=OfficeKind.choices, db_index=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="office_terms"
    )
    person_name = models.CharField(max_length=200, blank=True)
    region = models.CharField(max_length=100, blank=True, help_text="For regional offices.")
    title = models.CharField(max_length=200, blank=True, help_text="e.g. 'Central Asia'.")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    agenda_item = models.ForeignKey(
        "AgendaItem", null=True, blank=True, on_delete=models.PROTECT, related_name="office_terms"
    )
    basis = models.CharField(
        max_length=200, blank=True, help_text="The statute article or decision it rests on."
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["kind", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")), name="term_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(person_name=""),
                name="term_has_holder",
            ),
            models.UniqueConstraint(
                fields=["kind", "organisation", "region", "start"], name="unique_office_term"
            ),
        ]
        indexes = [models.Index(fields=["kind", "start", "end"])]

    def __str__(self) -> str:
        holder = self.organisation.name if self.organisation is not None else self.person_name
        return f"{self.get_kind_display()}: {holder} ({self.start} to {self.end or 'open'})"
