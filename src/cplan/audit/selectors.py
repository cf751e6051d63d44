"""Reading audit data: what a viewer may see, each recommendation's current status, lists and
filters, the dashboard, the national roll-up of CPP responses and a recommendation's timeline.

A recommendation's **status** comes from its latest overall assessments (those of the whole
recommendation, not of one body): red if any rating on the latest date is red, else amber, else
green; "not rated" if that date's assessments carry no rating; "not assessed" if there are none.
(The 2018 impact report rates two parts of some recommendations; the weaker rating leads.)
A body's status uses its own assessments when it has any, else the overall ones.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from cplan.accounts.permissions import can, roles_of
from cplan.audit.models import (
    Addressee,
    AddresseeKind,
    AuditDimension,
    AuditReport,
    EvidenceLink,
    ProgressAssessment,
    Rag,
    Recommendation,
    Response,
)
from cplan.core.models import ChangeRecord
from cplan.partnerships.models import Organisation, Partnership

AnyUser = User | AnonymousUser | None

GREEN, AMBER, RED = Rag.GREEN.value, Rag.AMBER.value, Rag.RED.value
UNRATED = "unrated"
NOT_ASSESSED = "not_assessed"
AWAITING_RATING = "awaiting_rating"
NOT_RESPONDED = "not_responded"
STATUS_LABELS = {
    GREEN: "Green",
    AMBER: "Amber",
    RED: "Red",
    UNRATED: "Not rated",
    NOT_ASSESSED: "Not yet assessed",
    AWAITING_RATING: "Responded, awaiting rating",
    NOT_RESPONDED: "Not yet responded",
}
RECOMMENDATION_STATUSES = (GREEN, AMBER, RED, UNRATED, NOT_ASSESSED)
PARTNERSHIP_STATUSES = (GREEN, AMBER, RED, UNRATED, AWAITING_RATING, NOT_RESPONDED)
ALL_CPPS_KEY = "all-cpps"
ALL_CPPS_LABEL = "Community Planning Partnerships"


def can_see_drafts(viewer: AnyUser) -> bool:
    return can(viewer, "audit.view_draft")


def reports_visible(viewer: AnyUser) -> QuerySet[AuditReport]:
    reports = AuditReport.objects.select_related("follows")
    return reports if can_see_drafts(viewer) else reports.published()


def recommendations_visible(viewer: AnyUser) -> QuerySet[Recommendation]:
    recommendations = Recommendation.objects.select_related("report", "group")
    if not can_see_drafts(viewer):
        recommendations = recommendations.filter(report__is_published=True)
    return recommendations


def report_get(*, viewer: AnyUser, code: str) -> AuditReport | None:
    return reports_visible(viewer).filter(code=code).first()


def recommendation_get(*, viewer: AnyUser, code: str) -> Recommendation | None:
    """The one door to a recommendation: None when it does not exist or the viewer may not
    see it (a draft report's)."""
    return with_details(recommendations_visible(viewer).filter(code=code)).first()


def with_details(recommendations: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    """Addressees, dimensions and the overall and organisation assessments, in 4 queries."""
    return recommendations.prefetch_related(
        Prefetch(
            "addressees", queryset=Addressee.objects.select_related("organisation", "partnership")
        ),
        "dimensions",
        Prefetch(
            "assessments",
            queryset=ProgressAssessment.objects.filter(partnership__isnull=True)
            .select_related("organisation")
            .prefetch_related("evidence"),
            to_attr="non_partnership_assessments",
        ),
    )


# --- statuses ------------------------------------------------------------------------------------


def status_of(assessments: Iterable[ProgressAssessment]) -> tuple[str, dt.date | None]:
    """The status the latest assessments give, and their date."""
    items = list(assessments)
    if not items:
        return NOT_ASSESSED, None
    latest = max(a.assessed_on for a in items)
    rags = {a.rag for a in items if a.assessed_on == latest}
    for rag in (RED, AMBER, GREEN):
        if rag in rags:
            return rag, latest
    return UNRATED, latest


def addressee_key(addressee: Addressee) -> str:
    if addressee.kind == AddresseeKind.ALL_PARTNERSHIPS:
        return ALL_CPPS_KEY
    if addressee.organisation is not None:
        return f"organisation:{addressee.organisation.slug}"
    assert addressee.partnership is not None  # noqa: S101 - the check constraint sets one
    return f"partnership:{addressee.partnership.slug}"


def addressee_label(addressee: Addressee) -> str:
    if addressee.kind == AddresseeKind.ALL_PARTNERSHIPS:
        return ALL_CPPS_LABEL
    return str(addressee.organisation or addressee.partnership)


def join_names(names: Sequence[str]) -> str:
    """['A'] → 'A'; ['A', 'B'] → 'A and B'; ['A', 'B', 'C'] → 'A, B and C'."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


@dataclass(frozen=True)
class EvidenceItem:
    label: str
    url: str


@dataclass(frozen=True)
class Rating:
    assessed_on: dt.date
    rag: str
    headline: str
    narrative: str
    assessed_by: str
    body: str
    evidence: list[EvidenceItem]

    @property
    def rag_label(self) -> str:
        return STATUS_LABELS[self.rag or UNRATED]

    @property
    def status(self) -> str:
        return self.rag or UNRATED


def evidence_items(links: Iterable[EvidenceLink]) -> list[EvidenceItem]:
    return [EvidenceItem(label=link.label, url=link.url) for link in links]


def rating_of(assessment: ProgressAssessment) -> Rating:
    body = assessment.partnership or assessment.organisation
    return Rating(
        assessed_on=assessment.assessed_on,
        rag=assessment.rag,
        headline=assessment.headline,
        narrative=assessment.narrative,
        assessed_by=assessment.assessed_by,
        body=str(body) if body else "",
        evidence=evidence_items(assessment.evidence.all()),
    )


@dataclass(frozen=True)
class Addressed:
    key: str
    label: str


@dataclass(frozen=True)
class RecommendationSummary:
    code: str
    text: str
    report_code: str
    report_title: str
    group_code: str
    addressees: list[Addressed]
    dimensions: list[str]
    status: str
    assessed_on: dt.date | None
    follow_up_by: dt.date | None
    overdue: bool
    ratings: list[Rating]
    statuses_by_addressee: dict[str, str]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def url(self) -> str:
        return reverse("audit:recommendation", args=[self.code])

    @property
    def addressed_to(self) -> str:
        return join_names([a.label for a in self.addressees])

    @property
    def dimensions_text(self) -> str:
        return "; ".join(self.dimensions)

    @property
    def addresses_all_partnerships(self) -> bool:
        return any(a.key == ALL_CPPS_KEY for a in self.addressees)


def is_overdue(follow_up_by: dt.date | None, last_assessed: dt.date | None, today: dt.date) -> bool:
    """Past its follow-up date and not reassessed on or after it."""
    if follow_up_by is None or today <= follow_up_by:
        return False
    return last_assessed is None or last_assessed < follow_up_by


def summarise(recommendation: Recommendation, *, today: dt.date) -> RecommendationSummary:
    """Needs the prefetches of :func:`with_details`."""
    assessments: list[ProgressAssessment] = recommendation.non_partnership_assessments  # type: ignore[attr-defined]  # set by with_details
    overall = [a for a in assessments if a.organisation_id is None]
    status, assessed_on = status_of(overall)
    addressees = list(recommendation.addressees.all())
    statuses = {}
    for addressee in addressees:
        own = [a for a in assessments if a.organisation_id == addressee.organisation_id]
        statuses[addressee_key(addressee)] = (
            status_of(own)[0] if addressee.organisation_id and own else status
        )
    last_any = max((a.assessed_on for a in assessments), default=None)
    dimension_order = list(AuditDimension.values)
    dimensions = sorted(
        (d.dimension for d in recommendation.dimensions.all()), key=dimension_order.index
    )
    return RecommendationSummary(
        code=recommendation.code,
        text=recommendation.text,
        report_code=recommendation.report.code,
        report_title=recommendation.report.title,
        group_code=recommendation.group.code if recommendation.group else "",
        addressees=[Addressed(addressee_key(a), addressee_label(a)) for a in addressees],
        dimensions=[str(AuditDimension(d).label) for d in dimensions],
        status=status,
        assessed_on=assessed_on,
        follow_up_by=recommendation.follow_up_by,
        overdue=is_overdue(recommendation.follow_up_by, last_any, today),
        ratings=[rating_of(a) for a in overall],
        statuses_by_addressee=statuses,
    )


# --- lists and filters ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RecommendationFilters:
    report: str = ""
    addressee: str = ""
    dimension: str = ""
    status: str = ""
    q: str = ""
    overdue: bool = False


def _filter_query(
    recommendations: QuerySet[Recommendation], filters: RecommendationFilters
) -> QuerySet[Recommendation]:
    if filters.report:
        recommendations = recommendations.filter(report__code=filters.report)
    if filters.dimension:
        recommendations = recommendations.filter(dimensions__dimension=filters.dimension)
    if filters.addressee == ALL_CPPS_KEY:
        recommendations = recommendations.filter(addressees__kind=AddresseeKind.ALL_PARTNERSHIPS)
    elif filters.addressee.startswith("organisation:"):
        slug = filters.addressee.split(":", 1)[1]
        recommendations = recommendations.filter(addressees__organisation__slug=slug)
    elif filters.addressee.startswith("partnership:"):
        slug = filters.addressee.split(":", 1)[1]
        recommendations = recommendations.filter(
            Q(addressees__partnership__slug=slug)
            | Q(addressees__kind=AddresseeKind.ALL_PARTNERSHIPS)
        )
    if filters.q:
        recommendations = recommendations.filter(
            Q(text__icontains=filters.q)
            | Q(code__icontains=filters.q)
            | Q(assessments__headline__icontains=filters.q)
            | Q(assessments__narrative__icontains=filters.q)
            | Q(report__title__icontains=filters.q)
        )
    return recommendations.distinct()


def recommendation_list(
    *, viewer: AnyUser, filters: RecommendationFilters | None = None
) -> list[RecommendationSummary]:
    filters = filters or RecommendationFilters()
    recommendations = with_details(_filter_query(recommendations_visible(viewer), filters))
    today = timezone.localdate()
    summaries = [summarise(r, today=today) for r in recommendations]
    if filters.status:
        summaries = [s for s in summaries if s.status == filters.status]
    if filters.overdue:
        summaries = [s for s in summaries if s.overdue]
    return summaries


def addressee_choices(viewer: AnyUser) -> list[tuple[str, str]]:
    """The bodies recommendations the viewer can see are addressed to, for a filter."""
    addressees = Addressee.objects.filter(
        recommendation__in=recommendations_visible(viewer)
    ).select_related("organisation", "partnership")
    choices = {addressee_key(a): addressee_label(a) for a in addressees}
    return sorted(choices.items(), key=lambda item: (item[0] != ALL_CPPS_KEY, item[1]))


# --- dashboard --------------------------------------------------------------------------------------


@dataclass
class StatusCounts:
    counts: Counter[str] = field(default_factory=Counter)
    overdue: int = 0

    def add(self, status: str, *, overdue: bool) -> None:
        self.counts[status] += 1
        self.overdue += int(overdue)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def of(self, status: str) -> int:
        return self.counts[status]

    @property
    def in_order(self) -> list[tuple[str, str, int]]:
        return [(s, STATUS_LABELS[s], self.counts[s]) for s in RECOMMENDATION_STATUSES]


@dataclass
class DashboardRow:
    key: str
    label: str
    url: str
    counts: StatusCounts = field(default_factory=StatusCounts)


@dataclass
class Dashboard:
    by_addressee: list[DashboardRow]
    by_report: list[DashboardRow]
    totals: StatusCounts
    rollups: list[RollupCounts]


def _list_url(**params: str) -> str:
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return f"{reverse('audit:recommendations')}?{query}"


def dashboard(*, viewer: AnyUser) -> Dashboard:
    """Counts of recommendations by status, per addressee and per report (6 queries)."""
    summaries = recommendation_list(viewer=viewer)
    by_addressee: dict[str, DashboardRow] = {}
    by_report: dict[str, DashboardRow] = {}
    totals = StatusCounts()
    for summary in summaries:
        totals.add(summary.status, overdue=summary.overdue)
        report_row = by_report.setdefault(
            summary.report_code,
            DashboardRow(
                summary.report_code, summary.report_title, _list_url(report=summary.report_code)
            ),
        )
        report_row.counts.add(summary.status, overdue=summary.overdue)
        for addressed in summary.addressees:
            row = by_addressee.setdefault(
                addressed.key,
                DashboardRow(addressed.key, addressed.label, _list_url(addressee=addressed.key)),
            )
            status = summary.statuses_by_addressee[addressed.key]
            row.counts.add(status, overdue=summary.overdue)
    addressee_rows = sorted(by_addressee.values(), key=lambda r: (r.key != ALL_CPPS_KEY, r.label))
    all_cpps = [s for s in summaries if s.addresses_all_partnerships]
    return Dashboard(
        by_addressee=addressee_rows,
        by_report=list(by_report.values()),
        totals=totals,
        rollups=rollup_counts(
            [s.code for s in all_cpps], titles={s.code: s.text for s in all_cpps}
        ),
    )


# --- the national roll-up of CPP responses -------------------------------------------------------


def partnership_status(
    responses: Sequence[dt.date], assessments: Sequence[ProgressAssessment]
) -> tuple[str, bool]:
    """A partnership's status on one recommendation, and whether a response awaits rating
    (submitted after its latest rating)."""
    status, rated_on = status_of(assessments)
    latest_response = max(responses, default=None)
    awaiting = latest_response is not None and (rated_on is None or latest_response > rated_on)
    if status != NOT_ASSESSED:
        return status, awaiting
    return (AWAITING_RATING if latest_response else NOT_RESPONDED), awaiting


@dataclass(frozen=True)
class ResponseItem:
    submitted_on: dt.date
    body: str
    text: str
    submitted_by: str
    evidence: list[EvidenceItem]
    pk: int


def response_item(response: Response) -> ResponseItem:
    return ResponseItem(
        submitted_on=response.submitted_on,
        body=str(response.body),
        text=response.text,
        submitted_by=response.submitted_by,
        evidence=evidence_items(response.evidence.all()),
        pk=response.pk,
    )


@dataclass(frozen=True)
class PartnershipProgress:
    name: str
    slug: str
    code: str
    status: str
    awaiting_rating: bool
    latest_response: ResponseItem | None
    latest_rating: Rating | None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class RollupCounts:
    code: str
    text: str
    counts: Counter[str]

    @property
    def in_order(self) -> list[tuple[str, str, int]]:
        return [(s, STATUS_LABELS[s], self.counts[s]) for s in PARTNERSHIP_STATUSES]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def url(self) -> str:
        return reverse("audit:recommendation", args=[self.code])


@dataclass
class NationalRollup:
    summary: RollupCounts
    partnerships: list[PartnershipProgress]


def national_rollup(*, recommendation: Recommendation) -> NationalRollup | None:
    """Each partnership's latest response and rating on a recommendation to all CPPs (5
    queries); None for a recommendation that is not addressed to all CPPs."""
    if not recommendation.addressees.filter(kind=AddresseeKind.ALL_PARTNERSHIPS).exists():
        return None
    responses: dict[int, list[Response]] = {}
    for response in (
        Response.objects.filter(recommendation=recommendation, partnership__isnull=False)
        .select_related("partnership")
        .prefetch_related("evidence")
        .order_by("submitted_on", "id")
    ):
        responses.setdefault(response.partnership_id or 0, []).append(response)
    assessments: dict[int, list[ProgressAssessment]] = {}
    for assessment in (
        ProgressAssessment.objects.filter(recommendation=recommendation, partnership__isnull=False)
        .select_related("partnership")
        .prefetch_related("evidence")
        .order_by("assessed_on", "id")
    ):
        assessments.setdefault(assessment.partnership_id or 0, []).append(assessment)
    rows = []
    counts: Counter[str] = Counter()
    for partnership in Partnership.objects.order_by("name"):
        own_responses = responses.get(partnership.pk, [])
        own_assessments = assessments.get(partnership.pk, [])
        status, awaiting = partnership_status(
            [r.submitted_on for r in own_responses], own_assessments
        )
        counts[status] += 1
        rows.append(
            PartnershipProgress(
                name=partnership.name,
                slug=partnership.slug,
                code=partnership.code,
                status=status,
                awaiting_rating=awaiting,
                latest_response=response_item(own_responses[-1]) if own_responses else None,
                latest_rating=rating_of(own_assessments[-1]) if own_assessments else None,
            )
        )
    summary = RollupCounts(recommendation.code, recommendation.text, counts)
    return NationalRollup(summary=summary, partnerships=rows)


def rollup_counts(codes: Sequence[str], *, titles: dict[str, str]) -> list[RollupCounts]:
    """The roll-up counts of several recommendations to all CPPs at once (3 queries)."""
    if not codes:
        return []
    responses: dict[tuple[str, int], list[dt.date]] = {}
    for code, partnership_id, submitted_on in Response.objects.filter(
        recommendation__code__in=codes, partnership__isnull=False
    ).values_list("recommendation__code", "partnership_id", "submitted_on"):
        responses.setdefault((code, partnership_id), []).append(submitted_on)
    assessments: dict[tuple[str, int], list[ProgressAssessment]] = {}
    for assessment in (
        ProgressAssessment.objects.filter(recommendation__code__in=codes, partnership__isnull=False)
        .only("assessed_on", "rag", "partnership_id", "recommendation__code")
        .select_related("recommendation")
    ):
        key = (assessment.recommendation.code, assessment.partnership_id or 0)
        assessments.setdefault(key, []).append(assessment)
    partnership_ids = list(Partnership.objects.values_list("pk", flat=True))
    result = []
    for code in codes:
        counts: Counter[str] = Counter()
        for pk in partnership_ids:
            status, _ = partnership_status(
                responses.get((code, pk), []), assessments.get((code, pk), [])
            )
            counts[status] += 1
        result.append(RollupCounts(code, titles[code], counts))
    return result


# --- one recommendation's page ---------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEvent:
    on: dt.date
    kind: str  # published | response | assessment | follow_up
    title: str
    text: str = ""
    rag: str = ""
    evidence: list[EvidenceItem] = field(default_factory=list)
    who: str = ""

    @property
    def rag_label(self) -> str:
        return STATUS_LABELS[self.rag] if self.rag else ""


def recommendation_timeline(*, recommendation: Recommendation) -> list[TimelineEvent]:
    """Dated events: the report's publication, every response and assessment (of any body),
    and the follow-up date."""
    report = recommendation.report
    events = [TimelineEvent(report.published_on, "published", f"Published in {report.title}")]
    for response in recommendation.responses.select_related(
        "partnership", "organisation"
    ).prefetch_related("evidence"):
        events.append(
            TimelineEvent(
                response.submitted_on,
                "response",
                f"Response from {response.body}",
                text=response.text,
                evidence=evidence_items(response.evidence.all()),
                who=response.submitted_by,
            )
        )
    for assessment in recommendation.assessments.select_related(
        "partnership", "organisation"
    ).prefetch_related("evidence"):
        body = assessment.partnership or assessment.organisation
        title = f"Progress of {body} assessed" if body else "Progress assessed"
        events.append(
            TimelineEvent(
                assessment.assessed_on,
                "assessment",
                title,
                text=assessment.headline,
                rag=assessment.rag or UNRATED,
                evidence=evidence_items(assessment.evidence.all()),
                who=assessment.assessed_by,
            )
        )
    if recommendation.follow_up_by:
        events.append(TimelineEvent(recommendation.follow_up_by, "follow_up", "Follow-up due"))
    kind_order = {"published": 0, "response": 1, "assessment": 2, "follow_up": 3}
    return sorted(events, key=lambda e: (e.on, kind_order[e.kind]))


def recommendation_history(*, recommendation: Recommendation) -> list[ChangeRecord]:
    """Every recorded change to the recommendation, its responses and assessments."""
    response_ids = [str(pk) for pk in recommendation.responses.values_list("pk", flat=True)]
    assessment_ids = [str(pk) for pk in recommendation.assessments.values_list("pk", flat=True)]
    return list(
        ChangeRecord.objects.filter(
            Q(object_type="audit.Recommendation", object_id=str(recommendation.pk))
            | Q(object_type="audit.Response", object_id__in=response_ids)
            | Q(object_type="audit.ProgressAssessment", object_id__in=assessment_ids)
        ).order_by("at", "id")
    )


def responses_of(*, recommendation: Recommendation) -> list[ResponseItem]:
    return [
        response_item(r)
        for r in recommendation.responses.select_related("partnership", "organisation")
        .prefetch_related("evidence")
        .order_by("-submitted_on", "-id")
    ]


def bodies_user_may_respond_for(
    *, viewer: AnyUser, recommendation: Recommendation
) -> list[Partnership | Organisation]:
    """The addressed bodies ``viewer`` may respond for (a CPP officer's partnership, a partner
    lead's organisation)."""
    if viewer is None or not viewer.is_authenticated:
        return []
    addressees = list(recommendation.addressees.all())
    bodies: list[Partnership | Organisation] = []
    if any(a.kind == AddresseeKind.ALL_PARTNERSHIPS for a in addressees):
        own = {a.partnership_id for a in roles_of(viewer) if a.partnership_id}
        bodies += list(Partnership.objects.filter(pk__in=own))
    bodies += [a.partnership for a in addressees if a.partnership is not None]
    bodies += [a.organisation for a in addressees if a.organisation is not None]
    return [body for body in dict.fromkeys(bodies) if _may_respond(viewer, body)]


def _may_respond(viewer: AnyUser, body: Partnership | Organisation) -> bool:
    if isinstance(body, Partnership):
        return can(viewer, "audit.respond", partnership=body)
    return can(viewer, "audit.respond", organisation=body)


def unrated_responses(*, recommendation: Recommendation) -> list[Response]:
    """Responses no assessment has rated yet, oldest first: the auditor's queue."""
    return list(
        recommendation.responses.filter(ratings__isnull=True)
        .select_related("partnership", "organisation")
        .order_by("submitted_on", "id")
    )
