"""The plans API: the pages' selectors and services behind JSON. Anyone reads published plans,
measures (with their computed status) and commitments (with progress); drafts need the same rights
as on the pages. Partners post progress and answer challenges through the same services, so the
same permission checks, rules and history apply; a rule broken is a 400 naming the field, a
concurrent edit a 409."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cplan.core.snapshots import ConflictError
from cplan.partnerships.models import Organisation, Partnership
from cplan.plans import selectors, services
from cplan.plans.models import (
    Commitment,
    PlanKind,
    PlanMeasure,
    PlanStatus,
    ProgressUpdate,
    Rag,
)
from cplan.plans.selectors import COMMITMENT_FLAGS, CommitmentRow, MeasureRow, PlanSummary
from cplan.plans.status import MeasureState
from cplan.plans.views import today

T = TypeVar("T")


# --- Output -------------------------------------------------------------------------------------


class PlanPointSerializer(serializers.Serializer[Any]):
    period = serializers.CharField()
    year = serializers.IntegerField()
    value = serializers.FloatField()
    kinds = serializers.CharField()


class PlanMeasureStatusSerializer(serializers.Serializer[Any]):
    state = serializers.ChoiceField(choices=[s.value for s in MeasureState])
    sentence = serializers.CharField()
    progress_status = serializers.CharField(allow_null=True)
    progress_value = serializers.FloatField(allow_null=True)
    trajectory_value = serializers.FloatField(allow_null=True)


class PlanMeasureSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    url = serializers.CharField()
    partnership = serializers.CharField()
    plan_id = serializers.IntegerField()
    version = serializers.IntegerField()
    outcome = serializers.CharField()
    indicator = serializers.CharField()
    indicator_name = serializers.CharField()
    area_code = serializers.CharField(allow_null=True)
    locality = serializers.CharField(allow_null=True)
    breakdown = serializers.CharField()
    baseline_period = serializers.CharField()
    baseline_value = serializers.FloatField(allow_null=True)
    target_value = serializers.FloatField()
    target_year = serializers.IntegerField()
    trajectory = serializers.ListField(child=serializers.DictField())
    status = PlanMeasureStatusSerializer()
    gap_trend = serializers.CharField(allow_null=True)
    series = PlanPointSerializer(many=True)


class PlanEvidenceSerializer(serializers.Serializer[Any]):
    title = serializers.CharField()
    url = serializers.URLField()


class PlanProgressSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    reported_on = serializers.DateField()
    rag = serializers.ChoiceField(choices=Rag.values)
    percent_complete = serializers.IntegerField()
    narrative = serializers.CharField()
    evidence = PlanEvidenceSerializer(many=True)
    author = serializers.CharField()
    organisation = serializers.CharField(allow_null=True)


class PlanCommitmentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    url = serializers.CharField()
    partnership = serializers.CharField()
    plan_id = serializers.IntegerField()
    version = serializers.IntegerField()
    priority = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    lead_organisation = serializers.CharField()
    contributors = serializers.ListField(child=serializers.CharField())
    start_date = serializers.DateField()
    due_date = serializers.DateField()
    preventative = serializers.BooleanField()
    latest = PlanProgressSerializer(allow_null=True)
    schedule_status = serializers.CharField()
    schedule_sentence = serializers.CharField()
    overdue = serializers.BooleanField()
    never_updated = serializers.BooleanField()


class PlanSummarySerializer(serializers.Serializer[Any]):
    plan_id = serializers.IntegerField()
    number = serializers.IntegerField()
    status = serializers.ChoiceField(choices=PlanStatus.values)
    kind = serializers.ChoiceField(choices=PlanKind.values)
    title = serializers.CharField()
    partnership = serializers.CharField()
    locality = serializers.CharField(allow_null=True)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    url = serializers.CharField()


class PlanOutcomeSerializer(serializers.Serializer[Any]):
    title = serializers.CharField()
    description = serializers.CharField()
    national_outcomes = serializers.ListField(child=serializers.CharField())
    measures = PlanMeasureSerializer(many=True)


class PlanPrioritySerializer(serializers.Serializer[Any]):
    title = serializers.CharField()
    description = serializers.CharField()
    outcomes = PlanOutcomeSerializer(many=True)
    commitments = PlanCommitmentSerializer(many=True)


class PlanVersionSerializer(PlanSummarySerializer):
    summary = serializers.CharField()
    priorities = PlanPrioritySerializer(many=True)


def _organisation_name(organisation: Organisation | None) -> str | None:
    return organisation.name if organisation is not None else None


def progress_data(update: ProgressUpdate) -> dict[str, Any]:
    return {
        "id": update.pk,
        "reported_on": update.reported_on,
        "rag": update.rag,
        "percent_complete": update.percent_complete,
        "narrative": update.narrative,
        "evidence": update.evidence,
        "author": update.author_name,
        "organisation": _organisation_name(update.organisation),
    }


def measure_data(row: MeasureRow) -> dict[str, Any]:
    measure, progress = row.measure, row.status.progress
    return {
        "id": measure.pk,
        "url": reverse("plans:measure", args=[measure.pk]),
        "partnership": measure.version.plan.partnership.name,
        "plan_id": measure.version.plan_id,
        "version": measure.version.number,
        "outcome": measure.outcome.title,
        "indicator": measure.indicator.code,
        "indicator_name": measure.indicator.name,
        "area_code": measure.area.code if measure.area else None,
        "locality": measure.locality.name if measure.locality else None,
        "breakdown": measure.breakdown,
        "baseline_period": measure.baseline_period,
        "baseline_value": measure.baseline_value,
        "target_value": measure.target_value,
        "target_year": measure.target_year,
        "trajectory": measure.trajectory,
        "status": {
            "state": row.status.state.value,
            "sentence": row.status.sentence,
            "progress_status": str(progress.status) if progress else None,
            "progress_value": progress.progress_value if progress else None,
            "trajectory_value": row.status.trajectory_value,
        },
        "gap_trend": str(row.gap_trend.trend) if row.gap_trend else None,
        "series": [vars(point) for point in row.data.series.points],
    }


def commitment_data(row: CommitmentRow) -> dict[str, Any]:
    commitment = row.commitment
    return {
        "id": commitment.pk,
        "url": reverse("plans:commitment", args=[commitment.pk]),
        "partnership": commitment.version.plan.partnership.name,
        "plan_id": commitment.version.plan_id,
        "version": commitment.version.number,
        "priority": commitment.priority.title,
        "title": commitment.title,
        "description": commitment.description,
        "lead_organisation": commitment.lead_organisation.name,
        "contributors": [o.name for o in commitment.contributors.all()],
        "start_date": commitment.start_date,
        "due_date": commitment.due_date,
        "preventative": commitment.preventative,
        "latest": progress_data(row.latest) if row.latest else None,
        "schedule_status": str(row.schedule.status),
        "schedule_sentence": row.schedule.sentence,
        "overdue": row.overdue,
        "never_updated": row.never_updated,
    }


def summary_data(summary: PlanSummary) -> dict[str, Any]:
    version = summary.version
    return {
        "plan_id": version.plan_id,
        "number": version.number,
        "status": version.status,
        "kind": version.plan.kind,
        "title": version.title,
        "partnership": version.plan.partnership.name,
        "locality": version.plan.locality.name if version.plan.locality else None,
        "period_start": version.period_start,
        "period_end": version.period_end,
        "url": reverse("plans:version", args=[version.plan_id, version.number]),
    }


# --- Filters ------------------------------------------------------------------------------------


class PlanFilterSerializer(serializers.Serializer[Any]):
    q = serializers.CharField(required=False, default="", allow_blank=True)
    partnership = serializers.SlugField(required=False, default="")
    kind = serializers.ChoiceField(choices=["", *PlanKind.values], required=False, default="")
    status = serializers.ChoiceField(choices=["", *PlanStatus.values], required=False, default="")


class PlanMeasureFilterSerializer(serializers.Serializer[Any]):
    q = serializers.CharField(required=False, default="", allow_blank=True)
    partnership = serializers.SlugField(required=False, default="")
    state = serializers.ChoiceField(
        choices=["", *(s.value for s in MeasureState)], required=False, default=""
    )


class PlanCommitmentFilterSerializer(serializers.Serializer[Any]):
    q = serializers.CharField(required=False, default="", allow_blank=True)
    partnership = serializers.SlugField(required=False, default="")
    organisation = serializers.SlugField(required=False, default="")
    flag = serializers.ChoiceField(choices=["", *COMMITMENT_FLAGS], required=False, default="")
    as_of = serializers.DateField(required=False, default=None)


def _filters(serializer: serializers.Serializer[Any]) -> dict[str, Any]:
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _partnership(slug: str) -> Partnership | None:
    return get_object_or_404(Partnership, slug=slug) if slug else None


# --- Reads --------------------------------------------------------------------------------------


class PlanListApi(APIView):
    @extend_schema(parameters=[PlanFilterSerializer], responses=PlanSummarySerializer(many=True))
    def get(self, request: Request) -> Response:
        data = _filters(PlanFilterSerializer(data=request.query_params))
        summaries = selectors.plan_list(
            user=request.user,
            search=data["q"],
            partnership=_partnership(data["partnership"]),
            kind=data["kind"],
            status=data["status"],
        )
        return Response([summary_data(s) for s in summaries])


class PlanVersionApi(APIView):
    @extend_schema(responses=PlanVersionSerializer)
    def get(self, request: Request, plan_id: int, number: int) -> Response:
        version = get_object_or_404(
            selectors.visible_versions(request.user), plan_id=plan_id, number=number
        )
        blocks = selectors.version_blocks(version, as_of=today())
        summary = summary_data(PlanSummary(version, [version]))
        priorities = [
            {
                "title": block.priority.title,
                "description": block.priority.description,
                "outcomes": [
                    {
                        "title": outcome.outcome.title,
                        "description": outcome.outcome.description,
                        "national_outcomes": [
                            n.name for n in outcome.outcome.national_outcomes.all()
                        ],
                        "measures": [measure_data(row) for row in outcome.measures],
                    }
                    for outcome in block.outcomes
                ],
                "commitments": [commitment_data(row) for row in block.commitments],
            }
            for block in blocks
        ]
        return Response({**summary, "summary": version.summary, "priorities": priorities})


class PlanMeasureListApi(APIView):
    @extend_schema(
        parameters=[PlanMeasureFilterSerializer], responses=PlanMeasureSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        data = _filters(PlanMeasureFilterSerializer(data=request.query_params))
        rows = selectors.measure_list(
            user=request.user,
            search=data["q"],
            partnership=_partnership(data["partnership"]),
            state=data["state"],
        )
        return Response([measure_data(row) for row in rows])


def _visible(request: Request, version_id: int) -> None:
    if not selectors.visible_versions(request.user).filter(pk=version_id).exists():
        raise Http404


class PlanMeasureDetailApi(APIView):
    @extend_schema(responses=PlanMeasureSerializer)
    def get(self, request: Request, pk: int) -> Response:
        measure = get_object_or_404(
            PlanMeasure.objects.select_related(*selectors.MEASURE_RELATED), pk=pk
        )
        _visible(request, measure.version_id)
        [row] = selectors.measure_rows([measure])
        return Response(measure_data(row))


class PlanCommitmentListApi(APIView):
    @extend_schema(
        parameters=[PlanCommitmentFilterSerializer], responses=PlanCommitmentSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        data = _filters(PlanCommitmentFilterSerializer(data=request.query_params))
        organisation = (
            get_object_or_404(Organisation, slug=data["organisation"])
            if data["organisation"]
            else None
        )
        rows = selectors.commitment_list(
            user=request.user,
            as_of=data["as_of"] or today(),
            search=data["q"],
            partnership=_partnership(data["partnership"]),
            organisation=organisation,
            flag=data["flag"],
        )
        return Response([commitment_data(row) for row in rows])


def _commitment(request: Request, pk: int) -> Commitment:
    commitment = get_object_or_404(
        Commitment.objects.select_related(*selectors.COMMITMENT_RELATED), pk=pk
    )
    _visible(request, commitment.version_id)
    return commitment


class PlanCommitmentDetailApi(APIView):
    @extend_schema(responses=PlanCommitmentSerializer)
    def get(self, request: Request, pk: int) -> Response:
        commitment = _commitment(request, pk)
        [row] = selectors.commitment_rows([commitment], as_of=today())
        updates = selectors.lineage_updates([commitment])
        return Response({**commitment_data(row), "updates": [progress_data(u) for u in updates]})


# --- Writes -------------------------------------------------------------------------------------


def _call(service: Callable[[], T]) -> T | Response:
    """Run a service: a broken rule is a 400 naming the field, a concurrent edit a 409."""
    try:
        return service()
    except ConflictError as error:
        return Response({"detail": error.messages[0]}, status=status.HTTP_409_CONFLICT)
    except DjangoValidationError as error:
        detail = error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
        raise ValidationError(detail) from error


class PlanProgressInputSerializer(serializers.Serializer[Any]):
    rag = serializers.ChoiceField(choices=Rag.values)
    percent_complete = serializers.IntegerField(min_value=0, max_value=100)
    narrative = serializers.CharField(max_length=5000)
    reported_on = serializers.DateField()
    evidence = PlanEvidenceSerializer(many=True, required=False, default=list)
    organisation = serializers.SlugField(required=False, default="")


class PlanProgressCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=PlanProgressInputSerializer, responses={201: PlanProgressSerializer})
    def post(self, request: Request, pk: int) -> Response:
        commitment = _commitment(request, pk)
        data = _filters(PlanProgressInputSerializer(data=request.data))
        organisation = (
            get_object_or_404(Organisation, slug=data["organisation"])
            if data["organisation"]
            else None
        )
        result = _call(
            lambda: services.progress_update_create(
                user=request.user,
                commitment=commitment,
                rag=data["rag"],
                percent_complete=data["percent_complete"],
                narrative=data["narrative"],
                reported_on=data["reported_on"],
                evidence=[dict(link) for link in data["evidence"]],
                organisation=organisation,
            )
        )
        if isinstance(result, Response):
            return result
        return Response(progress_data(result), status=status.HTTP_201_CREATED)


class PlanChallengeResponseInputSerializer(serializers.Serializer[Any]):
    response = serializers.CharField(max_length=5000)
    revision = serializers.IntegerField(min_value=1)


class PlanChallengeResponseSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    status = serializers.CharField(help_text="open, answered or closed")
    revision = serializers.IntegerField()
    response = serializers.CharField()


class PlanChallengeRespondApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=PlanChallengeResponseInputSerializer,
        responses={200: PlanChallengeResponseSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        challenge = get_object_or_404(selectors.challenge_queryset(), pk=pk)
        data = _filters(PlanChallengeResponseInputSerializer(data=request.data))
        result = _call(
            lambda: services.challenge_respond(
                user=request.user,
                challenge=challenge,
                expected_revision=data["revision"],
                response=data["response"],
            )
        )
        if isinstance(result, Response):
            return result
        return Response(
            {
                "id": result.pk,
                "status": result.status,
                "revision": result.revision,
                "response": result.response,
            }
        )
