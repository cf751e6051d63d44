"""Plans in the admin are read-only: every write goes through the services, which check
permission, keep published versions immutable and record the change history."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from cplan.plans.models import (
    Challenge,
    Commitment,
    LocalOutcome,
    Plan,
    PlanMeasure,
    PlanVersion,
    Priority,
    ProgressUpdate,
    Responsibility,
)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "partnership", "kind", "created_at")
    list_filter = ("kind",)
    search_fields = ("partnership__name", "versions__title")


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin):
    list_display = ("title", "number", "status", "period_start", "period_end", "published_at")
    list_filter = ("status",)
    search_fields = ("title", "plan__partnership__name")


@admin.register(Priority)
class PriorityAdmin(ReadOnlyAdmin):
    list_display = ("title", "version", "position")
    search_fields = ("title",)


@admin.register(LocalOutcome)
class LocalOutcomeAdmin(ReadOnlyAdmin):
    list_display = ("title", "priority", "version")
    search_fields = ("title",)


@admin.register(PlanMeasure)
class PlanMeasureAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "version", "baseline_period", "target_value", "target_year")
    list_filter = ("breakdown",)
    search_fields = ("indicator__name", "area__code", "locality__name")


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin):
    list_display = ("title", "lead_organisation", "start_date", "due_date", "preventative")
    list_filter = ("preventative",)
    search_fields = ("title", "lead_organisation__name")


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReadOnlyAdmin):
    list_display = ("commitment", "rag", "percent_complete", "reported_on", "author_name")
    list_filter = ("rag",)
    search_fields = ("commitment__title", "narrative")


@admin.register(Responsibility)
class ResponsibilityAdmin(ReadOnlyAdmin):
    list_display = ("priority", "function", "body", "organisation")
    list_filter = ("function",)


@admin.register(Challenge)
class ChallengeAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "partnership", "status", "raised_at")
    list_filter = ("status",)
    search_fields = ("question", "response")
