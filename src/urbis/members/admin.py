from django.contrib import admin

from urbis.members.models import Contact, LifecycleEvent, Organisation, Participation


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class LifecycleInline(admin.TabularInline):
    model = LifecycleEvent
    extra = 0
    readonly_fields = ["recorded_by", "recorded_at"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "country", "population", "founding_member"]
    list_filter = ["category", "founding_member", "institution_type", "corporate_category"]
    search_fields = ["name", "official_name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ContactInline, LifecycleInline]


@admin.register(LifecycleEvent)
class LifecycleEventAdmin(admin.ModelAdmin):
    list_display = ["organisation", "kind", "date", "decision_ref"]
    list_filter = ["kind"]
    search_fields = ["organisation__name", "reason"]
    date_hierarchy = "date"


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "activity", "date", "kind"]
    list_filter = ["kind"]
    search_fields = ["organisation__name", "activity"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "position", "mayoral_level", "is_focal_point"]
    search_fields = ["name", "organisation__name"]
