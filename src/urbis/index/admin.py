from django.contrib import admin

from urbis.common.admin import ReadOnlyAdmin
from urbis.index.models import City, CityHDI, CityResult, Computation, Edition, Indicator


@admin.register(Edition)
class EditionAdmin(ReadOnlyAdmin):
    list_display = ["year", "title", "synthetic", "respondents"]


@admin.register(City)
class CityAdmin(ReadOnlyAdmin):
    list_display = ["name", "country"]
    search_fields = ["name"]


@admin.register(CityHDI)
class CityHDIAdmin(ReadOnlyAdmin):
    list_display = ["city", "edition", "hdi", "source"]
    list_filter = ["edition"]


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ["code", "edition", "pillar", "area", "statement"]
    list_filter = ["edition", "pillar", "area"]


@admin.register(Computation)
class ComputationAdmin(ReadOnlyAdmin):
    list_display = ["edition", "computed_at", "runs", "seed", "synthetic"]
    readonly_fields = ["methods", "uncertainty", "sensitivity", "waves"]


@admin.register(CityResult)
class CityResultAdmin(ReadOnlyAdmin):
    list_display = ["city", "computation", "rank", "rating", "rank_low", "rank_high"]
    list_filter = ["computation", "tier", "rating"]
