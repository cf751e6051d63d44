"""The impact report of an audit report: its reach, the impact by audit dimension and the
progress appendix, grouped like the Accounts Commission's 2018 impact report on "Community
planning: an update" (recommendations it treats together shown together, each with its audit
dimensions and every rating). One dataclass feeds the page, the PDF and the XLSX."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from cplan.audit import rules
from cplan.audit.models import AuditDimension, AuditReport, ImpactMeasure, Recommendation
from cplan.audit.selectors import (
    ALL_CPPS_KEY,
    AMBER,
    GREEN,
    RED,
    STATUS_LABELS,
    UNRATED,
    Rating,
    RecommendationSummary,
    RollupCounts,
    join_names,
    rollup_counts,
    summarise,
    with_details,
)

NUMBER_WORDS = ("no", "one", "two", "three", "four")


@dataclass(frozen=True)
class ReachFigure:
    measure: str
    value: str
    period: str
    notes: str


@dataclass(frozen=True)
class DimensionImpact:
    dimension: str
    recommendations: int
    counts: Counter[str]

    @property
    def reading(self) -> str:
        if not self.recommendations:
            return f"No recommendation addressed {self.dimension}."
        parts = [
            f"{self.counts[s]} {STATUS_LABELS[s].lower()}"
            for s in (GREEN, AMBER, RED, UNRATED)
            if self.counts[s]
        ]
        noun = "recommendation" if self.recommendations == 1 else "recommendations"
        rated = f": {join_names(parts)}" if parts else ""
        return f"{self.recommendations} {noun} addressed {self.dimension}{rated}."


@dataclass(frozen=True)
class AppendixEntry:
    summary: RecommendationSummary
    rollup: RollupCounts | None

    @property
    def lead_in(self) -> str:
        return f"{self.summary.addressed_to} should:"

    @property
    def ratings(self) -> list[Rating]:
        return self.summary.ratings


@dataclass
class AppendixBlock:
    """One row of the appendix: a recommendation, or a group of closely related ones."""

    group_code: str
    entries: list[AppendixEntry] = field(default_factory=list)

    @property
    def dimensions(self) -> list[str]:
        seen: dict[str, None] = {}
        for entry in self.entries:
            seen.update(dict.fromkeys(entry.summary.dimensions))
        return list(seen)

    @property
    def ratings(self) -> list[Rating]:
        return [rating for entry in self.entries for rating in entry.ratings]


@dataclass(frozen=True)
class ImpactReport:
    code: str
    title: str
    publisher: str
    published_on: dt.date
    follows_title: str
    reach: list[ReachFigure]
    dimensions: list[DimensionImpact]
    rating_counts: Counter[str]
    appendix: list[AppendixBlock]
    untagged: int
    generated_on: dt.date

    @property
    def recommendations(self) -> int:
        return sum(len(block.entries) for block in self.appendix)

    @property
    def rating_counts_in_order(self) -> list[tuple[str, str, int]]:
        return [(s, STATUS_LABELS[s], self.rating_counts[s]) for s in (GREEN, AMBER, RED, UNRATED)]

    @property
    def focus(self) -> str:
        """Which audit dimensions the recommendations served, in words."""
        used = [d.dimension for d in self.dimensions if d.recommendations]
        if not used:
            return "No recommendation is tagged with an audit dimension."
        count = NUMBER_WORDS[len(used)]
        sentence = (
            f"The recommendations were focused on {count} of the four audit dimensions: "
            f"{join_names(used)}."
        )
        if self.untagged:
            noun = "recommendation is" if self.untagged == 1 else "recommendations are"
            sentence += f" {self.untagged} {noun} not tagged with a dimension."
        return sentence


def reach_figures(report: AuditReport) -> list[ReachFigure]:
    return [
        ReachFigure(
            measure=m.measure,
            value=f"{int(m.value):,}"
            if m.value == m.value.to_integral_value()
            else rules.number_text(m.value),
            period=m.period,
            notes=m.notes,
        )
        for m in ImpactMeasure.objects.filter(report=report).order_by("position", "id")
    ]


def appendix_blocks(
    summaries: list[RecommendationSummary], rollups: dict[str, RollupCounts]
) -> list[AppendixBlock]:
    """Blocks in report order; a group's block stands where its first member does."""
    blocks: list[AppendixBlock] = []
    by_group: dict[str, AppendixBlock] = {}
    for summary in summaries:
        entry = AppendixEntry(summary=summary, rollup=rollups.get(summary.code))
        if summary.group_code and summary.group_code in by_group:
            by_group[summary.group_code].entries.append(entry)
            continue
        block = AppendixBlock(group_code=summary.group_code, entries=[entry])
        blocks.append(block)
        if summary.group_code:
            by_group[summary.group_code] = block
    return blocks


def dimension_impacts(summaries: list[RecommendationSummary]) -> list[DimensionImpact]:
    impacts = []
    for _value, label in AuditDimension.choices:
        tagged = [s for s in summaries if label in s.dimensions]
        impacts.append(
            DimensionImpact(
                dimension=str(label),
                recommendations=len(tagged),
                counts=Counter(s.status for s in tagged),
            )
        )
    return impacts


def impact_report(*, report: AuditReport) -> ImpactReport:
    """The impact report of ``report`` (the caller has checked the viewer may see it)."""
    recommendations = with_details(
        Recommendation.objects.filter(report=report).select_related("report", "group")
    )
    today = timezone.localdate()
    summaries = [summarise(r, today=today) for r in recommendations]
    all_cpps = [s for s in summaries if any(a.key == ALL_CPPS_KEY for a in s.addressees)]
    rollups = {
        r.code: r
        for r in rollup_counts(
            [s.code for s in all_cpps], titles={s.code: s.text for s in all_cpps}
        )
    }
    return ImpactReport(
        code=report.code,
        title=report.title,
        publisher=report.publisher,
        published_on=report.published_on,
        follows_title=report.follows.title if report.follows else "",
        reach=reach_figures(report),
        dimensions=dimension_impacts(summaries),
        rating_counts=Counter(rating.status for s in summaries for rating in s.ratings),
        appendix=appendix_blocks(summaries, rollups),
        untagged=sum(1 for s in summaries if not s.dimensions),
        generated_on=today,
    )
