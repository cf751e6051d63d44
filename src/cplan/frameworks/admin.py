from django.contrib import admin

from cplan.frameworks.models import NationalIndicator, NationalOutcome


@admin.register(NationalOutcome)
class NationalOutcomeAdmin(admin.ModelAdmin[NationalOutcome]):
    list_display = ("code", "name", "framework")
    search_fields = ("code", "name")


@admin.register(NationalIndicator)
class NationalIndicatorAdmin(admin.ModelAdmin[NationalIndicator]):
    list_display = ("name", "outcome")
    list_filter = ("outcome",)
    search_fields = ("name",)
