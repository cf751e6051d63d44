from django.contrib import admin

from cplan.audit.models import (
    Addressee,
    AuditReport,
    EvidenceLink,
    ImpactMeasure,
    ProgressAssessment,
    Recommendation,
    RecommendationDimension,
    RecommendationGroup,
    Response,
)


class RecommendationInline(admin.TabularInline[Recommendation, AuditReport]):
    model = Recommendation
    fields = ("code", "position", "group", "text", "follow_up_by")
    extra = 0
    show_change_link = True


class ImpactMeasureInline(admin.TabularInline[ImpactMeasure, AuditReport]):
    model = ImpactMeasure
    extra = 0


@admin.register(AuditReport)
class AuditReportAdmin(admin.ModelAdmin[AuditReport]):
    list_display = ("code", "title", "publisher", "published_on", "is_published")
    list_filter = ("is_published", "publisher")
    search_fields = ("code", "title")
    inlines = [RecommendationInline, ImpactMeasureInline]


class AddresseeInline(admin.TabularInline[Addressee, Recommendation]):
    model = Addressee
    extra = 0


class DimensionInline(admin.TabularInline[RecommendationDimension, Recommendation]):
    model = RecommendationDimension
    extra = 0


class AssessmentInline(admin.StackedInline[ProgressAssessment, Recommendation]):
    model = ProgressAssessment
    extra = 0
    fields = (
        "assessed_on",
        "rag",
        "headline",
        "narrative",
        "partnership",
        "organisation",
        "assessed_by",
    )


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin[Recommendation]):
    list_display = ("code", "report", "group", "follow_up_by")
    list_filter = ("report",)
    search_fields = ("code", "text")
    inlines = [AddresseeInline, DimensionInline, AssessmentInline]


@admin.register(RecommendationGroup)
class RecommendationGroupAdmin(admin.ModelAdmin[RecommendationGroup]):
    list_display = ("code", "report")


class EvidenceInline(admin.TabularInline[EvidenceLink, Response]):
    model = EvidenceLink
    fk_name = "response"
    extra = 0


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin[Response]):
    list_display = ("recommendation", "partnership", "organisation", "submitted_on")
    list_filter = ("submitted_on",)
    inlines = [EvidenceInline]


@admin.register(ProgressAssessment)
class ProgressAssessmentAdmin(admin.ModelAdmin[ProgressAssessment]):
    list_display = ("recommendation", "assessed_on", "rag", "partnership", "organisation")
    list_filter = ("rag", "assessed_on")
    search_fields = ("recommendation__code", "headline")
