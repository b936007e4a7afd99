from django.contrib import admin

from urbis.common.admin import ReadOnlyAdmin, ReadOnlyInline
from urbis.members.models import Contact, LifecycleEvent, Organisation, Participation


class ContactInline(ReadOnlyInline):
    model = Contact
    extra = 0


class LifecycleInline(ReadOnlyInline):
    model = LifecycleEvent
    extra = 0
    readonly_fields = ["recorded_by", "recorded_at"]


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "category", "country", "population", "founding_member"]
    list_filter = ["category", "founding_member", "institution_type", "corporate_category"]
    search_fields = ["name", "official_name", "city"]
    inlines = [ContactInline, LifecycleInline]


@admin.register(LifecycleEvent)
class LifecycleEventAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "kind", "date", "decision_ref"]
    list_filter = ["kind"]
    search_fields = ["organisation__name", "reason"]
    date_hierarchy = "date"


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "activity", "date", "kind"]
    list_filter = ["kind"]
    search_fields = ["organisation__name", "activity"]


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation", "position", "mayoral_level", "is_focal_point"]
    search_fields = ["name", "organisation__name"]
