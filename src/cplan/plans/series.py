"""The data behind plan measures: each measure's yearly series, read in one query for many measures.

A measure is for an area (its observations are read directly) or a locality (the member areas'
numerators and denominators are summed with ``outcomes.aggregation.aggregate_counts`` — never
averaged — and a period counts only when every member area has counts). Its series is the total,
one SIMD quintile (breakdowns of the total, ``simd_base_key = "All"``), or the gap between the most
and least deprived quintiles. Projected values are left out: a status judges what happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
from django.db.models import Q

from cplan.geography.models import Locality
from cplan.indicators.models import Breakdown, Observation, Polarity, ValueKind
from cplan.plans.models import MeasureBreakdown, PlanMeasure
from outcomes.aggregation import aggregate_counts
from outcomes.trends import period_start_year

TOTAL = 0  # the quintile column's value for the total


@dataclass(frozen=True)
class Point:
    period: str
    year: int
    value: float
    kinds: str  # "observed", or e.g. "imputed" / "observed, synthetic" for an aggregate


@dataclass(frozen=True)
class Series:
    points: list[Point] = field(default_factory=list)
    note: str = ""  # why there are no points, when there are none

    @property
    def years(self) -> list[int]:
        return [p.year for p in self.points]

    @property
    def values(self) -> list[float]:
        return [p.value for p in self.points]

    @property
    def kinds(self) -> list[str]:
        return sorted({kind for p in self.points for kind in p.kinds.split(", ")})


@dataclass(frozen=True)
class MeasureData:
    series: Series  # what the measure tracks (total, a quintile or the gap)
    gap: Series  # the most-vs-least-deprived gap of the same indicator and place, if published


QUINTILE_OF = {
    MeasureBreakdown.SIMD_Q1: 1,
    MeasureBreakdown.SIMD_Q2: 2,
    MeasureBreakdown.SIMD_Q3: 3,
    MeasureBreakdown.SIMD_Q4: 4,
    MeasureBreakdown.SIMD_Q5: 5,
}
COLUMNS = [
    "indicator",
    "area",
    "period",
    "period_end",
    "quintile",
    "value",
    "numerator",
    "denominator",
    "kind",
]


def measure_data(measures: Sequence[PlanMeasure]) -> dict[int, MeasureData]:
    """Series for every measure (by measure id), from one observations query."""
    members = _locality_members({m.locality_id for m in measures if m.locality_id})
    wanted: dict[int, set[int]] = {}
    for measure in measures:
        if measure.locality_id:
            areas = members.get(measure.locality_id, set())
        else:
            areas = {measure.area_id} if measure.area_id is not None else set()
        wanted.setdefault(measure.indicator_id, set()).update(areas)
    frame = _observations(wanted)
    return {measure.pk: _data_for(measure, frame, members) for measure in measures}


def _locality_members(locality_ids: set[int]) -> dict[int | None, set[int]]:
    links = Locality.areas.through.objects.filter(locality_id__in=locality_ids)
    members: dict[int | None, set[int]] = {}
    for locality_id, area_id in links.values_list("locality_id", "area_id"):
        members.setdefault(locality_id, set()).add(area_id)
    return members


def _observations(wanted: dict[int, set[int]]) -> pd.DataFrame:
    if not wanted:
        return pd.DataFrame(columns=COLUMNS)
    where = Q()
    for indicator_id, area_ids in wanted.items():
        where |= Q(indicator_id=indicator_id, area_id__in=sorted(area_ids))
    rows = (
        Observation.objects.filter(where)
        .filter(
            Q(breakdown__key=Breakdown.TOTAL_KEY)
            | Q(
                breakdown__simd_base_key=Breakdown.TOTAL_KEY, breakdown__simd_quintile__isnull=False
            )
        )
        .exclude(kind=ValueKind.PROJECTED)
        .values_list(
            "indicator_id",
            "area_id",
            "period",
            "period_end",
            "breakdown__simd_quintile",
            "value",
            "numerator",
            "denominator",
            "kind",
        )
    )
    frame = pd.DataFrame(list(rows), columns=COLUMNS)
    frame["quintile"] = frame["quintile"].fillna(TOTAL).astype(int)
    return frame


def _data_for(
    measure: PlanMeasure, frame: pd.DataFrame, members: dict[int | None, set[int]]
) -> MeasureData:
    rows = frame[frame["indicator"] == measure.indicator_id]
    if measure.locality_id:
        by_quintile, note = _locality_values(
            rows, members.get(measure.locality_id, set()), measure.indicator.multiplier
        )
    else:
        by_quintile, note = rows[rows["area"] == measure.area_id], ""
    gap = _gap(by_quintile, measure.indicator.polarity)
    if measure.breakdown == MeasureBreakdown.SIMD_GAP:
        series = gap
    else:
        quintile = QUINTILE_OF.get(MeasureBreakdown(measure.breakdown), TOTAL)
        series = _series(by_quintile[by_quintile["quintile"] == quintile])
    if not series.points:
        series = Series(note=note or _no_data_note(measure))
    return MeasureData(series=series, gap=gap)


def _no_data_note(measure: PlanMeasure) -> str:
    place = measure.locality or (measure.area.name if measure.area else "")
    what = MeasureBreakdown(measure.breakdown).label.lower()
    return f"no observations of {measure.indicator.name} for {place} ({what}) are loaded"


def _locality_values(
    rows: pd.DataFrame, member_ids: set[int], multiplier: float
) -> tuple[pd.DataFrame, str]:
    """Sum the member areas' counts per period and quintile; keep periods where all reported."""
    counted = rows[
        rows["area"].isin(member_ids) & rows["numerator"].notna() & rows["denominator"].notna()
    ]
    if counted.empty:
        return counted, (
            "the locality's areas have no numerators and denominators for this indicator, so "
            "its value cannot be summed"
        )
    totals = aggregate_counts(
        counted,
        pd.Series("locality", index=sorted(member_ids)),
        by=("period", "quintile"),
        unmapped="drop",
    )
    totals = totals[totals["complete"] & (totals["denominator"] > 0)]
    ends = counted.groupby(["period", "quintile"], as_index=False).agg(
        period_end=("period_end", "max"), kind=("kind", _kind_words)
    )
    merged = totals.merge(ends, on=["period", "quintile"])
    merged["value"] = merged["numerator"] / merged["denominator"] * multiplier
    note = "" if not merged.empty else "no period has counts for every area of the locality"
    return merged[["period", "period_end", "quintile", "value", "kind"]], note


def _kind_words(kinds: pd.Series) -> str:
    return ", ".join(sorted(set(kinds)))


def _series(rows: pd.DataFrame) -> Series:
    """One point per year (the latest-ending period starting in it), in time order."""
    rows = rows[rows["value"].notna()]
    if rows.empty:
        return Series()
    ordered = rows.assign(year=period_start_year(rows["period"].to_numpy())).sort_values(
        ["year", "period_end"]
    )
    latest = ordered.drop_duplicates("year", keep="last")
    columns = zip(latest["period"], latest["year"], latest["value"], latest["kind"], strict=True)
    return Series(
        [
            Point(period=str(period), year=int(year), value=float(value), kinds=str(kind))
            for period, year, value, kind in columns
        ]
    )


def _gap(by_quintile: pd.DataFrame, polarity: str) -> Series:
    """How much worse the most deprived fifth fares than the least deprived, per period: positive
    when quintile 1 is worse (a neutral indicator: quintile 1 minus quintile 5)."""
    ends = by_quintile[by_quintile["quintile"].isin([1, 5]) & by_quintile["value"].notna()]
    if ends.empty:
        return Series()
    wide = ends.pivot_table(index="period", columns="quintile", values="value", aggfunc="first")
    if 1 not in wide.columns or 5 not in wide.columns:
        return Series()
    sign = 1.0 if polarity == Polarity.HIGHER_IS_BETTER else -1.0
    gap = (sign * (wide[5] - wide[1])).dropna()
    meta = ends.groupby("period").agg(period_end=("period_end", "max"), kind=("kind", _kind_words))
    frame = meta.loc[gap.index].assign(value=gap.to_numpy(), period=gap.index.to_numpy())
    return _series(frame.reset_index(drop=True))
