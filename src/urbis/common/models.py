"""Regions of the network, their countries, and the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_countries.fields import CountryField


class Region(models.Model):
    """A region of the network (Africa, Europe, ... Asia-Pacific) or one of its sub-regions."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="subregions"
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def top(self) -> Region:
        return self.parent if self.parent_id else self  # type: ignore[return-value]


class CountryRegion(models.Model):
    """Which (sub-)region a country belongs to: data, loaded from `common/data/regions.yaml`."""

    country = CountryField(unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="countries")

    class Meta:
        ordering = ["country"]

    def __str__(self) -> str:
        return f"{self.country.name} → {self.region}"


class AuditRecord(models.Model):
    """One state change: who, when, what, before and after. Append-only."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=80)
    target_type = models.CharField(max_length=80)
    target_id = models.CharField(max_length=64)
    target_repr = models.CharField(max_length=255, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        who = self.actor_label or "system"
        return f"{self.at:%Y-%m-%d %H:%M} {who} {self.action} {self.target_repr}"
