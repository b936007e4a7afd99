"""Admin for the prize's reference data. Applications, assignments, scores and awards
change through the domain (pages and API) only, so they are read-only here."""

from django.contrib import admin

from urbis.common.admin import ReadOnlyAdmin, ReadOnlyInline
from urbis.prize.models import (
    Application,
    AwardKind,
    Committee,
    CommitteeMember,
    Criterion,
    Edition,
    Evaluator,
    PrizeCategory,
    Round,
)


class CategoryInline(ReadOnlyInline):
    model = PrizeCategory
    extra = 0


class RoundInline(ReadOnlyInline):
    model = Round
    extra = 0
    readonly_fields = ["status", "closed_at"]


class CriterionInline(ReadOnlyInline):
    model = Criterion
    extra = 0
    fk_name = "edition"


@admin.register(Edition)
class EditionAdmin(ReadOnlyAdmin):
    list_display = ["year", "name", "call_opens", "call_closes", "aggregation", "results_published"]
    readonly_fields = ["results_published"]
    inlines = [CategoryInline, CriterionInline, RoundInline]


class CommitteeMemberInline(ReadOnlyInline):
    model = CommitteeMember
    extra = 0


@admin.register(Committee)
class CommitteeAdmin(ReadOnlyAdmin):
    list_display = ["edition", "kind"]
    inlines = [CommitteeMemberInline]


@admin.register(AwardKind)
class AwardKindAdmin(ReadOnlyAdmin):
    list_display = ["edition", "name", "category", "tier", "count", "presenter"]
    list_filter = ["edition", "tier"]


@admin.register(Evaluator)
class EvaluatorAdmin(ReadOnlyAdmin):
    list_display = ["name", "edition", "affiliation", "country", "active", "synthetic"]
    list_filter = ["edition", "active"]
    search_fields = ["name", "affiliation"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["reference", "applicant_name", "category", "status", "reached_round"]
    list_filter = ["edition", "status", "category__code", "finalist"]
    search_fields = ["reference", "applicant_name", "title"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
