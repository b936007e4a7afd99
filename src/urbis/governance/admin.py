"""Read-only admin for governance: every write goes through `domain` (audited), so the admin
only browses; meetings are run from the staff pages and the API."""

from django.contrib import admin

from urbis.governance.models import (
    AgendaItem,
    Amendment,
    ArticleVersion,
    CheckIn,
    Decision,
    Delegate,
    Meeting,
    OfficeTerm,
    QuorumRule,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnly):
    list_display = ["title", "body", "date", "venue"]
    list_filter = ["body"]


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnly):
    list_display = ["meeting", "number", "title", "kind", "method"]
    list_filter = ["meeting", "kind"]


@admin.register(Delegate)
class DelegateAdmin(ReadOnly):
    list_display = ["organisation", "name", "position", "role", "mode", "mayoral_level"]
    list_filter = ["meeting", "mode", "mayoral_level"]
    search_fields = ["organisation__name", "name", "position"]


@admin.register(CheckIn)
class CheckInAdmin(ReadOnly):
    list_display = ["delegate", "mode", "at", "source"]
    list_filter = ["meeting", "mode", "source"]


@admin.register(Decision)
class DecisionAdmin(ReadOnly):
    list_display = ["agenda_item", "result", "quorum_present", "quorum_required", "quorum_met"]


@admin.register(OfficeTerm)
class OfficeTermAdmin(ReadOnly):
    list_display = ["kind", "organisation", "person_name", "region", "start", "end"]
    list_filter = ["kind"]


@admin.register(ArticleVersion)
class ArticleVersionAdmin(ReadOnly):
    list_display = ["article", "effective_from", "amendment"]


@admin.register(Amendment)
class AmendmentAdmin(ReadOnly):
    list_display = ["article", "source", "status", "effective_from"]


@admin.register(QuorumRule)
class QuorumRuleAdmin(ReadOnly):
    list_display = ["effective_from", "article", "numerator", "denominator"]
