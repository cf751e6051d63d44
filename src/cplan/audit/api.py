"""Read-only API for audit recommendations: the same selectors as the pages, so the public sees
published reports and their ratings, and auditors drafts too."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cplan.audit import selectors
from cplan.audit.impact import impact_report
from cplan.audit.models import AuditDimension


class AuditEvidenceSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]  # a field named "label"; the stubs type Field.label
    url = serializers.CharField()


class AuditRatingSerializer(serializers.Serializer[Any]):
    assessed_on = serializers.DateField()
    status = serializers.CharField()
    rag_label = serializers.CharField()
    headline = serializers.CharField()
    narrative = serializers.CharField()
    assessed_by = serializers.CharField()
    body = serializers.CharField()
    evidence = AuditEvidenceSerializer(many=True)


class AuditAddressedSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named "label"; the stubs type Field.label


class AuditRecommendationSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    text = serializers.CharField()
    report_code = serializers.CharField()
    report_title = serializers.CharField()
    group_code = serializers.CharField()
    addressees = AuditAddressedSerializer(many=True)
    dimensions = serializers.ListField(child=serializers.CharField())
    status = serializers.CharField()
    status_label = serializers.CharField()
    assessed_on = serializers.DateField(allow_null=True)
    follow_up_by = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    ratings = AuditRatingSerializer(many=True)
    url = serializers.CharField()


class AuditReportSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    title = serializers.CharField()
    publisher = serializers.CharField()
    published_on = serializers.DateField()
    follows = serializers.SerializerMethodField()
    is_published = serializers.BooleanField()
    notes = serializers.CharField()
    url = serializers.CharField()

    def get_follows(self, report: Any) -> str:
        return str(report.follows.code) if report.follows else ""


class AuditRecommendationFilterSerializer(serializers.Serializer[Any]):
    report = serializers.CharField(required=False, default="")
    addressee = serializers.CharField(required=False, default="")
    dimension = serializers.ChoiceField(
        choices=["", *AuditDimension.values], required=False, default=""
    )
    status = serializers.ChoiceField(
        choices=["", *selectors.RECOMMENDATION_STATUSES], required=False, default=""
    )
    q = serializers.CharField(required=False, default="")
    overdue = serializers.BooleanField(required=False, default=False)


class AuditStatusCountSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named "label"; the stubs type Field.label
    counts = serializers.DictField(child=serializers.IntegerField(), source="counts.counts")
    overdue = serializers.IntegerField(source="counts.overdue")


class AuditRollupSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    text = serializers.CharField()
    counts = serializers.DictField(child=serializers.IntegerField())


class AuditDashboardSerializer(serializers.Serializer[Any]):
    by_addressee = AuditStatusCountSerializer(many=True)
    by_report = AuditStatusCountSerializer(many=True)
    rollups = AuditRollupSerializer(many=True)


class AuditPartnershipProgressSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    code = serializers.CharField()
    status = serializers.CharField()
    awaiting_rating = serializers.BooleanField()
    latest_rating = AuditRatingSerializer(allow_null=True)
    evidence = serializers.SerializerMethodField()

    def get_evidence(self, row: Any) -> list[dict[str, str]]:
        response = row.latest_response
        return (
            []
            if response is None
            else [{"label": e.label, "url": e.url} for e in response.evidence]
        )


class AuditReachSerializer(serializers.Serializer[Any]):
    measure = serializers.CharField()
    value = serializers.CharField()
    period = serializers.CharField()
    notes = serializers.CharField()


class AuditReportDetailSerializer(serializers.Serializer[Any]):
    report = AuditReportSerializer()
    focus = serializers.CharField()
    reach = AuditReachSerializer(many=True)
    recommendations = AuditRecommendationSerializer(many=True)


class AuditRecommendationDetailSerializer(serializers.Serializer[Any]):
    recommendation = AuditRecommendationSerializer()
    rollup = AuditRollupSerializer(required=False)
    partnerships = AuditPartnershipProgressSerializer(many=True, required=False)


class ReportListApi(APIView):
    @extend_schema(operation_id="audit_reports_list", responses=AuditReportSerializer(many=True))
    def get(self, request: Request) -> Response:
        reports = selectors.reports_visible(request.user)
        return Response(AuditReportSerializer(reports, many=True).data)


class ReportDetailApi(APIView):
    @extend_schema(operation_id="audit_report_retrieve", responses=AuditReportDetailSerializer)
    def get(self, request: Request, code: str) -> Response:
        report = selectors.report_get(viewer=request.user, code=code)
        if report is None:
            raise Http404("No such audit report.")
        impact = impact_report(report=report)
        recommendations = [entry.summary for block in impact.appendix for entry in block.entries]
        detail = {
            "report": report,
            "focus": impact.focus,
            "reach": impact.reach,
            "recommendations": recommendations,
        }
        return Response(AuditReportDetailSerializer(detail).data)


class RecommendationListApi(APIView):
    @extend_schema(
        operation_id="audit_recommendations_list",
        parameters=[AuditRecommendationFilterSerializer],
        responses=AuditRecommendationSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = AuditRecommendationFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        summaries = selectors.recommendation_list(
            viewer=request.user, filters=selectors.RecommendationFilters(**filters.validated_data)
        )
        return Response(AuditRecommendationSerializer(summaries, many=True).data)


class RecommendationDetailApi(APIView):
    @extend_schema(
        operation_id="audit_recommendation_retrieve", responses=AuditRecommendationDetailSerializer
    )
    def get(self, request: Request, code: str) -> Response:
        recommendation = selectors.recommendation_get(viewer=request.user, code=code)
        if recommendation is None:
            raise Http404("No such recommendation.")
        summary = selectors.summarise(recommendation, today=timezone.localdate())
        rollup = selectors.national_rollup(recommendation=recommendation)
        detail: dict[str, Any] = {"recommendation": summary}
        if rollup is not None:
            detail.update(rollup=rollup.summary, partnerships=rollup.partnerships)
        return Response(AuditRecommendationDetailSerializer(detail).data)


class DashboardApi(APIView):
    @extend_schema(operation_id="audit_dashboard_retrieve", responses=AuditDashboardSerializer)
    def get(self, request: Request) -> Response:
        return Response(AuditDashboardSerializer(selectors.dashboard(viewer=request.user)).data)
