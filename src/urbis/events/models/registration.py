"""Registrations of delegates, their session sign-ups and their check-ins."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from urbis.events.models.programme import Event, Session
from urbis.members.models import Organisation


class Attendance(models.TextChoices):
    ON_SITE = "on_site", _("On-site")
    ONLINE = "online", _("Online")


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class AirportTransfer(models.TextChoices):
    NONE = "none", _("None")
    ARRIVAL = "arrival", _("Arrival")
    DEPARTURE = "departure", _("Departure")
    BOTH = "both", _("Arrival and departure")


class Registration(models.Model):
    """One delegate of one organisation (member or not) at one event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="event_registrations"
    )
    person_name = models.CharField(max_length=200)
    person_key = models.CharField(
        max_length=200, editable=False, help_text="The name, case- and space-folded."
    )
    position = models.CharField(max_length=300, blank=True)
    email = models.EmailField(blank=True)
    attendance = models.CharField(
        max_length=8, choices=Attendance.choices, default=Attendance.ON_SITE
    )
    mayoral_level = models.BooleanField(
        default=False, help_text="Governor, mayor, vice or deputy mayor, or equivalent."
    )
    head_of_delegation = models.BooleanField(default=False)
    hotel = models.CharField(max_length=200, blank=True)
    dietary_needs = models.CharField(max_length=300, blank=True)
    airport_transfer = models.CharField(
        max_length=10, choices=AirportTransfer.choices, default=AirportTransfer.NONE
    )
    status = models.CharField(
        max_length=10, choices=RegistrationStatus.choices, default=RegistrationStatus.PENDING
    )
    code = models.CharField(max_length=16, unique=True, help_text="The badge code (QR).")
    synthetic = models.BooleanField(
        default=False, help_text="Demo data made up where the source names no person."
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "person_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation", "person_key"], name="unique_registration_person"
            ),
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(email=""),
                name="unique_registration_email",
            ),
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.organisation})"


class SessionSignup(models.Model):
    """A registered delegate signed up for a session or tour with limited places."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="signups")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="signups")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "session"], name="unique_signup")
        ]

    def __str__(self) -> str:
        return f"{self.registration} → {self.session}"


class CheckIn(models.Model):
    """A delegate was present on a day of the event: recorded once per delegate and day."""

    class Method(models.TextChoices):
        SCAN = "scan", "Badge scanned"
        TYPED = "typed", "Code typed"
        ONLINE = "online", "Present online"
        IMPORT = "import", "Imported"

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="checkins"
    )
    day = models.DateField(help_text="The local date in the event's time zone.")
    at = models.DateTimeField()
    method = models.CharField(max_length=8, choices=Method.choices, default=Method.SCAN)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["day", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "day"], name="unique_checkin_per_day")
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.registration} on {self.day}"
