"""The programme of an event: days of sessions at venues, with people, pick-up places, sponsors.

Times are stored as aware datetimes (UTC in the database); the event's `time_zone` says how
they are shown. A session's `day` is its local date in that zone.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from urbis.members.models import Organisation


class Event(models.Model):
    """A multi-day event of the network, such as a General Assembly."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    theme = models.CharField(max_length=200, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    time_zone = models.CharField(
        max_length=64, default="UTC", help_text="IANA name, e.g. Asia/Seoul"
    )
    city = models.CharField(max_length=120, blank=True)
    country = CountryField(blank=True)
    host = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="hosted_events"
    )
    official_language = models.CharField(max_length=100, blank=True)
    interpretation = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    is_public = models.BooleanField(default=True, help_text="The programme is shown to everyone.")
    registration_open = models.BooleanField(
        default=True, help_text="Off closes registration whatever the window says."
    )
    registration_opens_at = models.DateTimeField(
        null=True, blank=True, help_text="Focal points may register from this moment."
    )
    registration_closes_at = models.DateTimeField(
        null=True, blank=True, help_text="Focal points may register until this moment."
    )

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="event_registration_window_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Venue(models.Model):
    """A place with an address; rooms are named on the sessions held there."""

    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=120, blank=True)
    country = CountryField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "address"], name="unique_venue_name_address")
        ]

    def __str__(self) -> str:
        return self.name


class SessionKind(models.TextChoices):
    MEETING_POINT = "meeting_point", _("Meeting point")
    SESSION = "session", _("Session")
    MEAL = "meal", _("Meal")
    TOUR = "tour", _("Tour")
    EXHIBITION = "exhibition", _("Exhibition")
    CEREMONY = "ceremony", _("Ceremony")
    RECEPTION = "reception", _("Reception")
    SIDE_SESSION = "side_session", _("Side session")
    TRANSFER = "transfer", _("Transfer")


class Session(models.Model):
    """One item of the programme on one day."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    day = models.DateField(help_text="The local date in the event's time zone.")
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    time_note = models.CharField(
        max_length=60, blank=True, help_text="Shown instead of a time, e.g. 'Flexible'."
    )
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=SessionKind.choices)
    venue = models.ForeignKey(
        Venue, null=True, blank=True, on_delete=models.PROTECT, related_name="sessions"
    )
    room = models.CharField(max_length=120, blank=True)
    description = models.TextField(blank=True)
    official_language = models.CharField(max_length=100, blank=True)
    interpretation = models.CharField(max_length=200, blank=True)
    online = models.BooleanField(default=False, help_text="Also held on an online platform.")
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Places for sign-ups; empty means no sign-up limit."
    )
    requires_signup = models.BooleanField(default=False)
    is_assembly = models.BooleanField(
        default=False, help_text="The statutory session whose attendance governance records."
    )

    class Meta:
        ordering = ["day", F("starts_at").asc(nulls_last=True), "title"]
        constraints = [
            models.UniqueConstraint(fields=["event", "day", "title"], name="unique_session_title"),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(starts_at__isnull=True)
                | Q(ends_at__gte=F("starts_at")),
                name="session_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["event", "day"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.day})"


class PickupPlace(models.Model):
    """A pick-up place of a meeting point, or a destination of a transfer."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="pickup_places")
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["session_id", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "name"], name="unique_pickup_place")
        ]

    def __str__(self) -> str:
        return self.name


class SessionPerson(models.Model):
    """A speaker, moderator, chair or presenter of a session."""

    class Role(models.TextChoices):
        SPEAKER = "speaker", _("Speaker")
        MODERATOR = "moderator", _("Moderator")
        CHAIR = "chair", _("Chair")
        PRESENTER = "presenter", _("Presenter")
        HOST = "host", _("Host")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="people")
    role = models.CharField(max_length=12, choices=Role.choices)
    name = models.CharField(max_length=200)
    position = models.CharField(max_length=300, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["session_id", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "name", "role"], name="unique_session_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class Sponsor(models.Model):
    """A sponsor of an event, with its description as published."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sponsors")
    name = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["event_id", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="unique_sponsor")]

    def __str__(self) -> str:
        return self.name
