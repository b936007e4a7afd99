"""Read-only admin for governance: every write goes through `domain` (audited), so the admin
only browses; meetings are run from the staff pages and the API."""

from django.contrib import admin

from urbis.common.admin import ReadOnlyAdmin
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


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "body", "date", "venue"]
    list_filter = ["body"]


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "number", "title", "kind", "method"]
    list_filter = ["meeting", "kind"]


@admin.register(Delegate)
class DelegateAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "name", "position", "role", "mode", "mayoral_level"]
    list_filter = ["meeting", "mode", "mayoral_level"]
    search_fields = ["organisation__name", "name", "position"]


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    list_display = ["delegate", "mode", "at", "source"]
    list_filter = ["meeting", "mode", "source"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["agenda_item", "result", "quorum_present", "quorum_required", "quorum_met"]


@admin.register(OfficeTerm)
class OfficeTermAdmin(ReadOnlyAdmin):
    list_display = ["kind", "organisation", "person_name", "region", "start", "end"]
    list_filter = ["kind"]


@admin.register(ArticleVersion)
class ArticleVersionAdmin(ReadOnlyAdmin):
    list_display = ["article", "effective_from", "amendment"]


@admin.register(Amendment)
class AmendmentAdmin(ReadOnlyAdmin):
    list_display = ["article", "source", "status", "effective_from"]


@admin.register(QuorumRule)
class QuorumRuleAdmin(ReadOnlyAdmin):
    list_display = ["effective_from", "article", "numerator", "denominator"]
