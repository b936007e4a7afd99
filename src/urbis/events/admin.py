"""Admin for the programme (sessions, people, pick-up places, sponsors); registrations read-only
there, since they change through the registration pages and their domain functions."""

from django.contrib import admin

from urbis.common.admin import ReadOnlyAdmin, ReadOnlyInline
from urbis.events.models import (
    CheckIn,
    Event,
    PickupPlace,
    Registration,
    Session,
    SessionPerson,
    Sponsor,
    Venue,
)


class SessionPersonInline(ReadOnlyInline):
    model = SessionPerson
    extra = 0


class PickupPlaceInline(ReadOnlyInline):
    model = PickupPlace
    extra = 0


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "starts_on", "ends_on", "time_zone", "is_public"]


@admin.register(Venue)
class VenueAdmin(ReadOnlyAdmin):
    list_display = ["name", "address"]
    search_fields = ["name", "address"]


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ["title", "event", "day", "starts_at", "kind", "venue", "room", "capacity"]
    list_filter = ["event", "kind", "day"]
    inlines = [SessionPersonInline, PickupPlaceInline]


@admin.register(Sponsor)
class SponsorAdmin(ReadOnlyAdmin):
    list_display = ["name", "event", "order"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["person_name", "organisation", "event", "attendance", "status", "code"]
    list_filter = ["event", "status", "attendance", "mayoral_level"]
    search_fields = ["person_name", "organisation__name", "code"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    list_display = ["registration", "day", "at", "method"]
    list_filter = ["day", "method"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
