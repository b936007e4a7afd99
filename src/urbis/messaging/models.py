"""The outbox (one row per e-mail, written in the transaction that causes it), its
attachments, the addresses that turned off non-statutory mail, the reminder occurrences
already sent, and what the development SMTP sink received.

messaging knows recipients only as an address and a name: the apps that send hand them in.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class Message(models.Model):
    """One e-mail to one recipient. The Message-ID is fixed when the row is written, so a
    message sent again after a worker died mid-send carries the same identity."""

    class State(models.TextChoices):
        QUEUED = "queued", "queued"
        SENDING = "sending", "sending"
        SENT = "sent", "sent"
        FAILED = "failed", "failed"
        CANCELLED = "cancelled", "cancelled"
        SUPPRESSED = "suppressed", "suppressed (opted out)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=60, db_index=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    statutory = models.BooleanField(
        default=False, help_text="A statutory notice goes even to an address that opted out."
    )
    to_address = models.EmailField()
    to_name = models.CharField(max_length=200, blank=True)
    from_address = models.CharField(max_length=254)
    reply_to = models.EmailField(blank=True)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    message_id = models.CharField(max_length=200, unique=True)
    reference = models.CharField(
        max_length=120, blank=True, db_index=True, help_text="What caused it, e.g. 'meeting:12'."
    )
    batch = models.ForeignKey(
        "Batch", null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=5)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim = models.UUIDField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="message_due"),
            models.Index(fields=["to_address"], name="message_to"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(attempts__lte=models.F("max_attempts")), name="message_attempts_max"
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False), name="message_sent_at"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_address} ({self.state})"

    @property
    def recipient(self) -> str:
        return f"{self.to_name} <{self.to_address}>" if self.to_name else self.to_address


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename


class Batch(models.Model):
    """A message composed by staff to a segment of members: one Message per recipient."""

    title = models.CharField(max_length=300)
    segment = models.CharField(max_length=500, help_text="The segment, described in words.")
    statutory = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "batches"

    def __str__(self) -> str:
        return self.title


class OptOut(models.Model):
    """An address that turned off non-statutory mail (lower-cased)."""

    address = models.EmailField(unique=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["address"]

    def __str__(self) -> str:
        return self.address


class ReminderOccurrence(models.Model):
    """A reminder already sent: its kind and the key of its occurrence (e.g. an invoice and
    the 30-day step). The unique pair makes a second run send nothing twice."""

    kind = models.CharField(max_length=60)
    key = models.CharField(max_length=200)
    at = models.DateTimeField(auto_now_add=True)
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="reminder_occurrence_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


class ReminderRun(models.Model):
    """One run of a reminder kind: when, how many sent. The next run is computed from it."""

    kind = models.CharField(max_length=60, db_index=True)
    at = models.DateTimeField(auto_now_add=True)
    sent = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"


class ReceivedMail(models.Model):
    """A message the development SMTP sink (`urbis smtp_sink`) received, kept whole."""

    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    mail_from = models.CharField(max_length=254)
    rcpt_to = models.JSONField(default=list)
    subject = models.CharField(max_length=300, blank=True)
    message_id = models.CharField(max_length=200, blank=True, db_index=True)
    raw = models.BinaryField()

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.subject} ({', '.join(self.rcpt_to)})"
