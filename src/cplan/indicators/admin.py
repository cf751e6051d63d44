from django.contrib import admin

from cplan.indicators.models import Breakdown, ImportRun, Indicator, Observation


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin[Indicator]):
    list_display = ("code", "name", "unit", "polarity", "period_type", "is_core", "source")
    list_filter = ("is_core", "unit", "polarity", "period_type")
    search_fields = ("code", "name", "definition")
    filter_horizontal = ("national_outcomes",)


@admin.register(Breakdown)
class BreakdownAdmin(admin.ModelAdmin[Breakdown]):
    list_display = ("key", "simd_quintile")
    search_fields = ("key",)


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin[Observation]):
    list_display = ("indicator", "area", "period", "breakdown", "value", "kind")
    list_filter = ("kind", "indicator")
    search_fields = ("area__code", "area__name", "indicator__code")
    raw_id_fields = ("area", "breakdown", "import_run")
    list_select_related = ("indicator", "area", "breakdown")


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin[ImportRun]):
    list_display = (
        "file_name",
        "layout",
        "status",
        "actor",
        "started_at",
        "rows_read",
        "rows_created",
        "rows_updated",
        "error_count",
    )
    list_filter = ("status", "layout")
    readonly_fields = [f.name for f in ImportRun._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
