"""Reading plans: who may see what, measures with their computed status, commitments with their
latest progress, the responsibility matrix, the scrutiny pack and the change history.

Visibility is explicit: anyone reads published (and superseded or closed) versions; drafts and
approved versions are read by those the policy's ``plan.view_draft`` rule names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Prefetch, Q, QuerySet

from cplan.accounts.permissions import (
    ANY,
    MEMBER_ORGANISATION,
    OWN_ORGANISATION,
    OWN_PARTNERSHIP,
    POLICY,
    roles_of,
)
from cplan.core.models import ChangeRecord
from cplan.partnerships.models import Membership, Organisation, Partnership
from cplan.plans.models import (
    PUBLIC_STATUSES,
    Challenge,
    ChallengeStatus,
    Commitment,
    LocalOutcome,
    MeasureBreakdown,
    PlanMeasure,
    PlanStatus,
    PlanVersion,
    Priority,
    ProgressUpdate,
    Rag,
    Responsibility,
    ResponsibilityFunction,
)
from cplan.plans.series import MeasureData, Point, measure_data
from cplan.plans.status import MeasureState, MeasureStatus, measure_polarity, measure_status
from outcomes.inequality import inequality_trend
from outcomes.trends import CommitmentProgress, commitment_status
from outcomes.types import InequalityTrend, Polarity

UserArg = User | AnonymousUser | None


# --- Who may see what ---------------------------------------------------------------------------


def partnerships_where(user: UserArg, action: str) -> set[int] | None:
    """Ids of the partnerships where ``user`` may do ``action`` (``None``: every partnership),
    read from the same policy table as ``can()``; organisation-only rules give none."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return None
    ids: set[int] = set()
    for assignment in roles_of(user):
        for rule in POLICY[action]:
            if assignment.role != rule.role:
                continue
            if rule.scope == ANY:
                return None
            if rule.scope == OWN_PARTNERSHIP and assignment.partnership_id:
                ids.add(assignment.partnership_id)
            elif rule.scope == MEMBER_ORGANISATION and assignment.organisation_id:
                ids.update(
                    Membership.objects.filter(
                        organisation_id=assignment.organisation_id
                    ).values_list("partnership_id", flat=True)
                )
            elif rule.scope == OWN_ORGANISATION:
                continue
    return ids


def visible_versions(user: UserArg) -> QuerySet[PlanVersion]:
    versions = PlanVersion.objects.select_related("plan__partnership", "plan__locality")
    insiders = partnerships_where(user, "plan.view_draft")
    if insiders is None:
        return versions
    return versions.filter(Q(status__in=PUBLIC_STATUSES) | Q(plan__partnership_id__in=insiders))


def can_view_drafts(user: UserArg, partnership: Partnership) -> bool:
    insiders = partnerships_where(user, "plan.view_draft")
    return insiders is None or partnership.pk in insiders


def default_version(versions: Sequence[PlanVersion]) -> PlanVersion:
    """The version a plan's page opens on: the published one, else the newest the viewer sees."""
    published = [v for v in versions if v.status == PlanStatus.PUBLISHED]
    return published[0] if published else max(versions, key=lambda v: v.number)


def live_versions(partnership: Partnership | None = None) -> QuerySet[PlanVersion]:
    """The published (current) version of each plan: what is delivered and scrutinised now."""
    versions = PlanVersion.objects.filter(status=PlanStatus.PUBLISHED).select_related(
        "plan__partnership", "plan__locality"
    )
    return versions if partnership is None else versions.filter(plan__partnership=partnership)


# --- Plans --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanSummary:
    version: PlanVersion  # the version the viewer is shown first
    versions: list[PlanVersion]

    @property
    def draft(self) -> PlanVersion | None:
        return next(
            (v for v in self.versions if v.status in (PlanStatus.DRAFT, PlanStatus.APPROVED)),
            None,
        )


def plan_list(
    *,
    user: UserArg,
    search: str = "",
    partnership: Partnership | None = None,
    kind: str = "",
    status: str = "",
) -> list[PlanSummary]:
    versions = visible_versions(user).order_by("plan__partnership__name", "plan_id", "-number")
    if partnership is not None:
        versions = versions.filter(plan__partnership=partnership)
    if kind:
        versions = versions.filter(plan__kind=kind)
    by_plan: dict[int, list[PlanVersion]] = {}
    for version in versions:
        by_plan.setdefault(version.plan_id, []).append(version)
    summaries = [PlanSummary(default_version(vs), vs) for vs in by_plan.values()]
    if status:
        summaries = [s for s in summaries if s.version.status == status]
    if search:
        needle = search.casefold()
        summaries = [
            s
            for s in summaries
            if needle in f"{s.version.title} {s.version.summary} {s.version.plan}".casefold()
        ]
    return summaries


# --- Measures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GapTrend:
    trend: InequalityTrend
    sentence: str


@dataclass(frozen=True)
class MeasureRow:
    measure: PlanMeasure
    status: MeasureStatus
    data: MeasureData
    gap_trend: GapTrend | None = None

    @property
    def latest(self) -> Point | None:
        return self.data.series.points[-1] if self.data.series.points else None

    @property
    def gap_widening(self) -> bool:
        return self.gap_trend is not None and self.gap_trend.trend == InequalityTrend.WIDENING


MEASURE_RELATED = (
    "indicator",
    "area",
    "locality",
    "outcome__priority",
    "version__plan__partnership",
)


def measure_rows(measures: Iterable[PlanMeasure]) -> list[MeasureRow]:
    """Each measure with its status computed now from the observations (one query for all)."""
    measures = list(measures)
    data = measure_data(measures)
    trends = _gap_trends(data)
    return [MeasureRow(m, _status(m, data[m.pk]), data[m.pk], trends.get(m.pk)) for m in measures]


def _status(measure: PlanMeasure, data: MeasureData) -> MeasureStatus:
    if measure.breakdown == MeasureBreakdown.SIMD_GAP:
        polarity = Polarity.LOWER_IS_BETTER  # a smaller gap is better whatever the indicator
    else:
        polarity = measure_polarity(
            measure.indicator.polarity,
            baseline_value=measure.baseline_value,
            target_value=measure.target_value,
        )
    if not data.series.points:
        return MeasureStatus(MeasureState.NO_DATA, f"{measure}: {data.series.note}.")
    return measure_status(
        name=str(measure),
        years=data.series.years,
        values=data.series.values,
        polarity=polarity,
        baseline_year=measure.baseline_year,
        target_value=measure.target_value,
        target_year=measure.target_year,
        trajectory=measure.trajectory,
        unit=measure.indicator.get_unit_display() if measure.indicator.unit == "percent" else "",
    )


def _gap_trends(data: dict[int, MeasureData]) -> dict[int, GapTrend]:
    """Whether the most-vs-least-deprived gap is narrowing or widening (``outcomes``)."""
    frames = [
        pd.DataFrame({"measure": pk, "time": d.gap.years, "gap": d.gap.values})
        for pk, d in data.items()
        if d.gap.points
    ]
    if not frames:
        return {}
    table = inequality_trend(
        pd.concat(frames, ignore_index=True),
        group_columns=["measure"],
        time_column="time",
        value_column="gap",
    )
    return {
        int(pk): GapTrend(InequalityTrend(trend), str(sentence))
        for pk, trend, sentence in zip(
            table["measure"], table["trend"], table["sentence"], strict=True
        )
    }


def measure_list(
    *,
    user: UserArg,
    search: str = "",
    partnership: Partnership | None = None,
    state: str = "",
    indicator_id: int | None = None,
) -> list[MeasureRow]:
    """Measures of the published plans (with status), searchable and filterable."""
    measures = PlanMeasure.objects.filter(version__in=live_versions(partnership)).select_related(
        *MEASURE_RELATED
    )
    if indicator_id:
        measures = measures.filter(indicator_id=indicator_id)
    if search:
        measures = measures.filter(
            Q(indicator__name__icontains=search)
            | Q(outcome__title__icontains=search)
            | Q(area__name__icontains=search)
            | Q(locality__name__icontains=search)
            | Q(note__icontains=search)
        )
    rows = measure_rows(measures.order_by("version__plan__partnership__name", "position", "id"))
    return [row for row in rows if not state or row.status.state == state]


# --- Commitments --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommitmentRow:
    commitment: Commitment
    latest: ProgressUpdate | None
    update_count: int
    schedule: CommitmentProgress
    overdue: bool
    never_updated: bool

    @property
    def is_red(self) -> bool:
        return self.latest is not None and self.latest.rag == Rag.RED

    @property
    def needs_attention(self) -> bool:
        return self.overdue or self.is_red or self.never_updated


COMMITMENT_RELATED = ("lead_organisation", "priority", "locality", "version__plan__partnership")


def lineage_updates(commitments: Sequence[Commitment]) -> QuerySet[ProgressUpdate]:
    """Progress updates of these commitments in every version of their plans (same ``key``)."""
    return ProgressUpdate.objects.filter(
        commitment__key__in={c.key for c in commitments},
        commitment__version__plan_id__in={c.version.plan_id for c in commitments},
    ).select_related("commitment__version", "organisation")


def commitment_rows(commitments: Iterable[Commitment], *, as_of: date) -> list[CommitmentRow]:
    """Each commitment with its latest update up to ``as_of`` and its schedule status."""
    commitments = list(commitments)
    updates: dict[tuple[int, object], list[ProgressUpdate]] = {}
    for update in lineage_updates(commitments).filter(reported_on__lte=as_of):
        lineage = (update.commitment.version.plan_id, update.commitment.key)
        updates.setdefault(lineage, []).append(update)
    rows = []
    for commitment in commitments:
        history = updates.get((commitment.version.plan_id, commitment.key), [])
        latest = history[0] if history else None  # ordered newest first
        percent = latest.percent_complete if latest else 0
        rows.append(
            CommitmentRow(
                commitment=commitment,
                latest=latest,
                update_count=len(history),
                schedule=commitment_status(
                    start=commitment.start_date,
                    end=commitment.due_date,
                    as_of=as_of,
                    percent_complete=percent,
                    title=commitment.title,
                ),
                overdue=as_of > commitment.due_date and percent < 100,
                never_updated=latest is None and as_of >= commitment.start_date,
            )
        )
    return rows


COMMITMENT_FLAGS = {
    "overdue": "Overdue",
    "red": "Rated red",
    "never_updated": "Never updated",
    "attention": "Any of these",
}


def commitment_list(
    *,
    user: UserArg,
    as_of: date,
    search: str = "",
    partnership: Partnership | None = None,
    organisation: Organisation | None = None,
    flag: str = "",
    preventative: bool | None = None,
) -> list[CommitmentRow]:
    """Commitments of the published plans with their latest progress, searchable and filterable."""
    commitments = Commitment.objects.filter(version__in=live_versions(partnership)).select_related(
        *COMMITMENT_RELATED
    )
    if organisation is not None:
        commitments = commitments.filter(
            Q(lead_organisation=organisation) | Q(contributors=organisation)
        ).distinct()
    if preventative is not None:
        commitments = commitments.filter(preventative=preventative)
    if search:
        commitments = commitments.filter(
            Q(title__icontains=search)
            | Q(description__icontains=search)
            | Q(lead_organisation__name__icontains=search)
        )
    rows = commitment_rows(
        commitments.order_by("version__plan__partnership__name", "due_date", "id"), as_of=as_of
    )
    keep = {
        "overdue": lambda r: r.overdue,
        "red": lambda r: r.is_red,
        "never_updated": lambda r: r.never_updated,
        "attention": lambda r: r.needs_attention,
    }.get(flag)
    return [row for row in rows if keep is None or keep(row)]


# --- The responsibility matrix ------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixCell:
    function: ResponsibilityFunction
    parties: list[Responsibility]

    @property
    def problem(self) -> str:
        """One accountable party per function: none is a gap, more than one an overlap."""
        if not self.parties:
            return "gap"
        return "overlap" if len(self.parties) > 1 else ""


@dataclass(frozen=True)
class MatrixRow:
    priority: Priority
    cells: list[MatrixCell]

    @property
    def gaps(self) -> list[str]:
        return [c.function.label for c in self.cells if c.problem == "gap"]

    @property
    def overlaps(self) -> list[str]:
        return [c.function.label for c in self.cells if c.problem == "overlap"]


def responsibility_matrix(version: PlanVersion) -> list[MatrixRow]:
    priorities = version.priorities.prefetch_related(
        Prefetch(
            "responsibilities",
            queryset=Responsibility.objects.select_related("body", "organisation"),
        )
    )
    rows = []
    for priority in priorities:
        by_function: dict[str, list[Responsibility]] = {}
        for responsibility in priority.responsibilities.all():
            by_function.setdefault(responsibility.function, []).append(responsibility)
        cells = [MatrixCell(f, by_function.get(f.value, [])) for f in ResponsibilityFunction]
        rows.append(MatrixRow(priority, cells))
    return rows


# --- A version's page ---------------------------------------------------------------------------


@dataclass
class OutcomeBlock:
    outcome: LocalOutcome
    measures: list[MeasureRow] = field(default_factory=list)


@dataclass
class PriorityBlock:
    priority: Priority
    outcomes: list[OutcomeBlock] = field(default_factory=list)
    commitments: list[CommitmentRow] = field(default_factory=list)


def version_blocks(version: PlanVersion, *, as_of: date) -> list[PriorityBlock]:
    """Priorities → outcomes → measures (with status) and commitments (with progress)."""
    priorities = list(version.priorities.all())
    outcomes = list(version.outcomes.prefetch_related("national_outcomes"))
    measures = measure_rows(version.measures.select_related(*MEASURE_RELATED))
    commitments = commitment_rows(
        version.commitments.select_related(*COMMITMENT_RELATED).prefetch_related("contributors"),
        as_of=as_of,
    )
    blocks = {p.pk: PriorityBlock(p) for p in priorities}
    outcome_blocks = {o.pk: OutcomeBlock(o) for o in outcomes}
    for outcome in outcomes:
        blocks[outcome.priority_id].outcomes.append(outcome_blocks[outcome.pk])
    for row in measures:
        outcome_blocks[row.measure.outcome_id].measures.append(row)
    for commitment_row in commitments:
        blocks[commitment_row.commitment.priority_id].commitments.append(commitment_row)
    return list(blocks.values())


# --- The scrutiny pack --------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerView:
    organisation: Organisation
    leads: list[CommitmentRow]
    contributes: list[CommitmentRow]

    @property
    def rag_counts(self) -> dict[str, int]:
        counts = {"red": 0, "amber": 0, "green": 0, "none": 0}
        for row in self.leads:
            counts[row.latest.rag if row.latest else "none"] += 1
        return counts

    @property
    def overdue(self) -> int:
        return sum(row.overdue for row in self.leads)


STATE_PHRASES = {
    MeasureState.TARGET_MET: "Measures that have met their target",
    MeasureState.ON_TRACK: "Measures on track",
    MeasureState.OFF_TRACK: "Measures off track",
    MeasureState.NO_DATA: "Measures without enough data to judge",
}


@dataclass(frozen=True)
class ScrutinyPack:
    partnership: Partnership
    as_of: date
    versions: list[PlanVersion]
    measures: list[MeasureRow]
    commitments: list[CommitmentRow]
    partners: list[PartnerView]
    challenges: list[Challenge]

    def measures_in(self, state: MeasureState) -> list[MeasureRow]:
        return [row for row in self.measures if row.status.state == state]

    @property
    def off_track(self) -> list[MeasureRow]:
        return self.measures_in(MeasureState.OFF_TRACK)

    @property
    def no_data(self) -> list[MeasureRow]:
        return self.measures_in(MeasureState.NO_DATA)

    @property
    def widening(self) -> list[MeasureRow]:
        return [row for row in self.measures if row.gap_widening]

    @property
    def state_counts(self) -> list[tuple[str, int]]:
        return [(STATE_PHRASES[state], len(self.measures_in(state))) for state in MeasureState]

    @property
    def overdue(self) -> list[CommitmentRow]:
        return [row for row in self.commitments if row.overdue]

    @property
    def red(self) -> list[CommitmentRow]:
        return [row for row in self.commitments if row.is_red]

    @property
    def never_updated(self) -> list[CommitmentRow]:
        return [row for row in self.commitments if row.never_updated]

    @property
    def open_challenges(self) -> list[Challenge]:
        return [c for c in self.challenges if c.status != ChallengeStatus.CLOSED]


def scrutiny_pack(*, partnership: Partnership, as_of: date) -> ScrutinyPack:
    """What the board needs on ``as_of``: the published plans' measures off track or without data,
    inequality gaps widening, commitments overdue, red or never updated, each partner's
    commitments, and the challenge log."""
    versions = list(live_versions(partnership).order_by("plan__kind", "plan_id"))
    measures = measure_rows(
        PlanMeasure.objects.filter(version__in=versions)
        .select_related(*MEASURE_RELATED)
        .order_by("version__plan_id", "outcome__priority__position", "position", "id")
    )
    commitments = commitment_rows(
        Commitment.objects.filter(version__in=versions)
        .select_related(*COMMITMENT_RELATED)
        .prefetch_related("contributors")
        .order_by("due_date", "id"),
        as_of=as_of,
    )
    return ScrutinyPack(
        partnership=partnership,
        as_of=as_of,
        versions=versions,
        measures=measures,
        commitments=commitments,
        partners=_partner_views(partnership, commitments),
        # As the board saw it then: challenges raised by the date, or for a meeting by then.
        challenges=list(
            challenge_queryset().filter(
                Q(raised_at__date__lte=as_of) | Q(meeting__date__lte=as_of),
                partnership=partnership,
            )
        ),
    )


def _partner_views(partnership: Partnership, rows: list[CommitmentRow]) -> list[PartnerView]:
    views = []
    for organisation in Organisation.objects.filter(memberships__partnership=partnership):
        leads = [r for r in rows if r.commitment.lead_organisation_id == organisation.pk]
        contributes = [r for r in rows if organisation in r.commitment.contributors.all()]
        if leads or contributes:
            views.append(PartnerView(organisation, leads, contributes))
    return views


# --- Challenges ---------------------------------------------------------------------------------


def challenge_queryset() -> QuerySet[Challenge]:
    return Challenge.objects.select_related(
        "partnership",
        "organisation",
        "meeting__body",
        "commitment__version__plan",
        "measure__indicator",
        "measure__version__plan",
    )


def challenge_list(
    *,
    user: UserArg,
    search: str = "",
    partnership: Partnership | None = None,
    status: str = "",
    organisation: Organisation | None = None,
) -> QuerySet[Challenge]:
    """Challenges the user may read (the partnership's own people, auditors, national roles)."""
    challenges = challenge_queryset()
    insiders = partnerships_where(user, "plan.view_draft")
    if insiders is not None:
        challenges = challenges.filter(partnership_id__in=insiders)
    if partnership is not None:
        challenges = challenges.filter(partnership=partnership)
    if status:
        challenges = challenges.filter(status=status)
    if organisation is not None:
        challenges = challenges.filter(organisation=organisation)
    if search:
        challenges = challenges.filter(
            Q(question__icontains=search)
            | Q(response__icontains=search)
            | Q(commitment__title__icontains=search)
            | Q(measure__indicator__name__icontains=search)
        )
    return challenges


# --- Change history -----------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    record: ChangeRecord
    changes: list[tuple[str, str, str]]  # field, before, after


def _shown(value: object) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, list):
        return "; ".join(str(v.get("url", v)) if isinstance(v, dict) else str(v) for v in value)
    return str(value)


def history_for(*objects: object, limit: int = 50) -> list[HistoryEntry]:
    """Who changed these objects, when, and each field's value before and after."""
    where = Q(pk__in=[])
    for obj in objects:
        meta = getattr(obj, "_meta", None)
        if meta is not None:
            where |= Q(object_type=meta.label, object_id=str(getattr(obj, "pk", "")))
    entries = []
    for record in ChangeRecord.objects.filter(where).select_related("user")[:limit]:
        before, after = record.before or {}, record.after or {}
        names = list(dict.fromkeys([*after, *before]))
        shown = [(name, _shown(before.get(name)), _shown(after.get(name))) for name in names]
        changes = [(name.replace("_", " "), old, new) for name, old, new in shown if old != new]
        entries.append(HistoryEntry(record, changes))
    return entries
