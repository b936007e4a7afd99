"""The Django admin browses; it never writes.

Every write of this project goes through a domain function that validates it (a lifecycle
log that stays valid, a contact whose sign-in rights only the secretariat grants) and leaves
an audit record. An admin form would save around both, so every app's admin derives from
`ReadOnlyAdmin` / `ReadOnlyInline`: lists, filters, search and detail pages, no add, change
or delete (`tests/hardening/test_admin_read_only.py` checks every registered model).
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from urbis.common.models import AuditRecord, CountryRegion, Region


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Browse only: writes belong to the domain (validated, audited)."""

    actions = None

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "parent", "sort_order"]


@admin.register(CountryRegion)
class CountryRegionAdmin(ReadOnlyAdmin):
    list_display = ["country", "region"]
    list_filter = ["region"]


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    """The audit log is read-only, here as everywhere."""

    list_display = ["at", "actor_label", "action", "target_type", "target_repr"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_repr", "actor_label"]
