"""A CPP's outcomes profile: every core CPP measure against Scotland and the family group.

Reads the core measures published for council areas (``Indicator.is_core`` with ``council_area``
among its geography levels) for all 32 CPPs and Scotland in one query, and lets the ``outcomes``
library compute every figure: family means and ranks (``benchmarking``), change since the baseline
and direction of travel (``trends.trend_table``), CPOP's traffic light (``trends.cpop_traffic_light``)
and the sentence describing the change (``trends.describe_change``).

The baseline is the first period loaded (CPOP: 2010/11, imputed values count, as in CPOP); the
latest period is the last one that is not a projection. Projections are shown in the trend but
never judged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.core.cache import cache
from django.db.models import Max, Q

from cplan.geography.models import AreaLevel
from cplan.indicators.models import (
    Breakdown,
    ImportRun,
    Indicator,
    Observation,
    Polarity,
    ValueKind,
)
from cplan.partnerships.models import Partnership
from cplan.web import readings
from outcomes.benchmarking import compare_with_family, rank_areas
from outcomes.trends import cpop_traffic_light, describe_change, period_start_year, trend_table
from outcomes.types import Direction, TrafficLight
from outcomes.types import Polarity as Sign

SCOTLAND_CODE = "S92000003"
#: A change within this fraction of the baseline value counts as "maintaining". CPOP publishes no
#: confidence intervals for its CPP measures, so this stated tolerance stands in for them.
DIRECTION_TOLERANCE = 0.01


@dataclass(frozen=True)
class TrendPoint:
    """One period of a measure's trend: the CPP, Scotland and the family-group mean."""

    period: str
    kind: str
    value: float | None
    scotland: float | None
    family_mean: float | None

    @property
    def kind_label(self) -> str:
        return str(ValueKind(self.kind).label)


@dataclass(frozen=True)
class MeasureProfile:
    code: str
    name: str
    definition: str
    topic: str
    unit: str
    higher_is_better: bool
    source: str
    baseline_period: str
    latest_period: str
    latest_kind: str
    value: float | None
    scotland: float | None
    family_mean: float | None
    family_size: int
    family_min: float | None
    family_max: float | None
    national_min: float | None
    national_max: float | None
    rank: int | None
    n_ranked: int
    family_rank: int | None
    improvement_rate: float | None
    scotland_improvement_rate: float | None
    family_improvement_rate: float | None
    direction: str
    light_scotland: str
    light_family: str
    change_reading: str
    comparison_reading: str
    trend: tuple[TrendPoint, ...]

    @property
    def polarity_label(self) -> str:
        return "Higher is better" if self.higher_is_better else "Lower is better"

    @property
    def kinds(self) -> tuple[str, ...]:
        seen = dict.fromkeys(point.kind for point in self.trend)
        return tuple(str(ValueKind(kind).label) for kind in seen)

    @property
    def first_period(self) -> str:
        return self.trend[0].period if self.trend else ""

    @property
    def last_period(self) -> str:
        """The last period shown, projections included."""
        return self.trend[-1].period if self.trend else ""

    @property
    def projected_periods(self) -> tuple[str, ...]:
        return tuple(p.period for p in self.trend if p.kind == ValueKind.PROJECTED)

    @property
    def latest_kind_label(self) -> str:
        return str(ValueKind(self.latest_kind).label) if self.latest_kind else ""


@dataclass(frozen=True)
class OutcomesProfile:
    name: str
    slug: str
    code: str
    family_group: int | None
    family_members: tuple[str, ...]
    measures: tuple[MeasureProfile, ...]
    direction_tolerance: float = DIRECTION_TOLERANCE

    def measure(self, code: str) -> MeasureProfile | None:
        return next((m for m in self.measures if m.code == code), None)

    @property
    def latest_periods(self) -> tuple[str, ...]:
        return tuple(sorted({m.latest_period for m in self.measures if m.latest_period}))


def core_cpp_indicators() -> list[Indicator]:
    """The core set published for council areas (one query; JSON lists are filtered in Python,
    as SQLite has no JSON ``contains``)."""
    return [
        indicator
        for indicator in Indicator.objects.filter(is_core=True).order_by("topic", "name")
        if AreaLevel.COUNCIL_AREA in (indicator.geography_levels or [])
    ]


def national_frame(indicators: Sequence[Indicator]) -> pd.DataFrame:
    """Totals of ``indicators`` for every council area and Scotland, long. One query."""
    rows = (
        Observation.objects.filter(
            indicator__in=[indicator.id for indicator in indicators],
            breakdown__key=Breakdown.TOTAL_KEY,
        )
        .filter(Q(area__level=AreaLevel.COUNCIL_AREA) | Q(area__code=SCOTLAND_CODE))
        .values_list(
            "indicator_id",
            "area__code",
            "area__name",
            "area__partnership__deprivation_family_group",
            "period",
            "kind",
            "value",
        )
    )
    frame = pd.DataFrame.from_records(
        list(rows),
        columns=["indicator_id", "area", "area_name", "family_group", "period", "kind", "value"],
    )
    frame["value"] = frame["value"].astype(float)
    frame["time"] = period_start_year(frame["period"].to_numpy()) if len(frame) else []
    return frame


def _sign(polarity: str) -> Sign:
    return Sign.LOWER_IS_BETTER if polarity == Polarity.LOWER_IS_BETTER else Sign.HIGHER_IS_BETTER


def _number(value: object) -> float | None:
    """A finite float, or ``None`` for missing values (None, NaN, pandas' NA)."""
    if value is None or value is pd.NA:
        return None
    number = float(value)  # type: ignore[arg-type]  # numpy and pandas scalars
    return number if math.isfinite(number) else None


def _integer(value: object) -> int | None:
    number = _number(value)
    return int(number) if number is not None else None


def _by_period(frame: pd.DataFrame, column: str) -> dict[str, float | None]:
    return {str(p): _number(v) for p, v in zip(frame["period"], frame[column], strict=True)}


@dataclass(frozen=True)
class _Light:
    light: str
    rate: float | None
    comparator_rate: float | None


def _traffic_light(
    value: float | None,
    first: float | None,
    other: float | None,
    other_first: float | None,
    polarity: Sign,
) -> _Light:
    if value is None or first is None or other is None or other_first is None:
        return _Light(str(TrafficLight.INSUFFICIENT_DATA), None, None)
    if first == 0 or other_first == 0:  # CPOP's improvement rate is relative to the first value
        return _Light(str(TrafficLight.INSUFFICIENT_DATA), None, None)
    result = cpop_traffic_light(
        value=value,
        first_value=first,
        comparator_value=other,
        comparator_first_value=other_first,
        polarity=polarity,
    )
    return _Light(
        str(result.light.item()),
        float(result.improvement_rate),
        float(result.comparator_improvement_rate),
    )


def display_name(indicator: Indicator) -> str:
    """``Child poverty`` for ``Child poverty (CPP)``: the page already says whose figures they are."""
    return indicator.name.removesuffix(" (CPP)")


def display_unit(indicator: Indicator) -> str:
    """``%`` for percentages (so values read ``24.1%``), the indicator's own label otherwise."""
    if indicator.unit == "percent":
        return "%"
    return indicator.unit_label or str(indicator.get_unit_display())


def _family_table(councils: pd.DataFrame, sign: Sign) -> pd.DataFrame:
    """Each council area's family mean, family size and rank in its family, per period."""
    grouped = councils.dropna(subset=["family_group"]).reset_index(drop=True)
    if grouped.empty:
        return grouped.assign(family_mean=np.nan, family_size=0, family_rank=np.nan)
    groups = grouped.drop_duplicates("area").set_index("area")["family_group"].astype(int)
    return compare_with_family(grouped, groups, polarity=sign, by=("period",))


def _direction(own: pd.DataFrame, baseline_time: int, sign: Sign) -> str:
    """Direction of travel from the baseline to the latest judged period (``trend_table``)."""
    if own.empty:
        return str(Direction.INSUFFICIENT_DATA)
    table = trend_table(
        own,
        group_columns=["area"],
        time_column="time",
        value_column="value",
        polarity=sign,
        baseline_time=baseline_time,
        tolerance=DIRECTION_TOLERANCE,
    )
    return str(table["direction"].iloc[0])


def measure_profile(
    indicator: Indicator, data: pd.DataFrame, *, code: str, name: str, family_group: int | None
) -> MeasureProfile:
    """One measure of a CPP's profile from the measure's national frame (see :func:`national_frame`)."""
    sign = _sign(indicator.polarity)
    data = data.sort_values(["time", "area"]).reset_index(drop=True)
    judged = data[data["kind"] != ValueKind.PROJECTED]
    judged_periods = judged.drop_duplicates("period")
    baseline_period = str(judged_periods["period"].iloc[0]) if len(judged_periods) else ""
    latest_period = str(judged_periods["period"].iloc[-1]) if len(judged_periods) else ""
    baseline_time = int(judged_periods["time"].iloc[0]) if len(judged_periods) else 0

    councils = data[data["area"] != SCOTLAND_CODE]
    scotland = _by_period(data[data["area"] == SCOTLAND_CODE], "value")
    own_rows = councils[councils["area"] == code]
    own = _by_period(own_rows, "value")
    kinds = dict(zip(own_rows["period"], own_rows["kind"], strict=True))
    family = _family_table(councils, sign)
    mine = family[family["area"] == code] if len(family) else family
    family_mean = _by_period(mine, "family_mean") if len(mine) else {}
    ranked = rank_areas(councils, value_column="value", polarity=sign, group_columns=["period"])
    my_rank = ranked[(ranked["area"] == code) & (ranked["period"] == latest_period)]
    latest = councils[councils["period"] == latest_period]["value"]
    in_family = councils[
        (councils["period"] == latest_period) & (councils["family_group"] == family_group)
    ]["value"]
    latest_mine = mine[mine["period"] == latest_period] if len(mine) else mine

    value, first = own.get(latest_period), own.get(baseline_period)
    versus_scotland = _traffic_light(
        value, first, scotland.get(latest_period), scotland.get(baseline_period), sign
    )
    versus_family = _traffic_light(
        value, first, family_mean.get(latest_period), family_mean.get(baseline_period), sign
    )
    judged_own = judged[judged["area"] == code]
    direction = _direction(judged_own[["area", "time", "value"]], baseline_time, sign)
    unit = display_unit(indicator)
    measure = display_name(indicator)
    periods = sorted(set(own) | set(scotland), key=lambda p: int(period_start_year([p])[0]))
    return MeasureProfile(
        code=indicator.code,
        name=measure,
        definition=indicator.definition,
        topic=indicator.topic,
        unit=unit,
        higher_is_better=sign == Sign.HIGHER_IS_BETTER,
        source=indicator.source,
        baseline_period=baseline_period,
        latest_period=latest_period,
        latest_kind=str(kinds.get(latest_period, "")),
        value=value,
        scotland=scotland.get(latest_period),
        family_mean=family_mean.get(latest_period),
        family_size=int(latest_mine["family_size"].iloc[0]) if len(latest_mine) else 0,
        family_min=_number(in_family.min()) if len(in_family) else None,
        family_max=_number(in_family.max()) if len(in_family) else None,
        national_min=_number(latest.min()) if len(latest) else None,
        national_max=_number(latest.max()) if len(latest) else None,
        rank=_integer(my_rank["rank"].iloc[0]) if len(my_rank) else None,
        n_ranked=int(my_rank["n_ranked"].iloc[0]) if len(my_rank) else 0,
        family_rank=_integer(latest_mine["family_rank"].iloc[0]) if len(latest_mine) else None,
        improvement_rate=versus_scotland.rate,
        scotland_improvement_rate=versus_scotland.comparator_rate,
        family_improvement_rate=versus_family.comparator_rate,
        direction=direction,
        light_scotland=versus_scotland.light,
        light_family=versus_family.light,
        change_reading=_change_reading(
            measure, unit, own, scotland, baseline_period, latest_period, direction
        ),
        comparison_reading=readings.comparison_reading(
            area=name,
            measure=measure,
            period=latest_period,
            unit=unit,
            value=value,
            scotland=scotland.get(latest_period),
            family_mean=family_mean.get(latest_period),
            rank=_integer(my_rank["rank"].iloc[0]) if len(my_rank) else None,
            n_ranked=int(my_rank["n_ranked"].iloc[0]) if len(my_rank) else 0,
            higher_is_better=sign == Sign.HIGHER_IS_BETTER,
        ),
        trend=tuple(
            TrendPoint(
                period=period,
                kind=str(kinds.get(period, ValueKind.OBSERVED)),
                value=own.get(period),
                scotland=scotland.get(period),
                family_mean=family_mean.get(period),
            )
            for period in periods
        ),
    )


def _change_reading(
    measure: str,
    unit: str,
    own: dict[str, float | None],
    scotland: dict[str, float | None],
    baseline_period: str,
    latest_period: str,
    direction: str,
) -> str:
    baseline, current = own.get(baseline_period), own.get(latest_period)
    if baseline is None or current is None or baseline_period == latest_period:
        return f"{measure}: there are not enough data to describe the change over time."
    scotland_baseline, scotland_current = scotland.get(baseline_period), scotland.get(latest_period)
    return (
        describe_change(
            measure=measure,
            baseline=baseline,
            current=current,
            baseline_period=baseline_period,
            unit=unit,
            direction=direction,
            comparator_baseline=scotland_baseline,
            comparator_current=scotland_current,
            comparator_name="Scotland",
        )
        .replace(" now:", f" in {latest_period}:")
        .replace(f" since {baseline_period}", f" between {baseline_period} and {latest_period}")
    )


def outcomes_profile(*, partnership: Partnership) -> OutcomesProfile:
    """Every core CPP measure for ``partnership``. Two queries (indicators, observations)."""
    indicators = core_cpp_indicators()
    frame = national_frame(indicators)
    code = partnership.code
    group = partnership.deprivation_family_group
    by_indicator = dict(tuple(frame.groupby("indicator_id"))) if len(frame) else {}
    members = (
        frame[(frame["family_group"] == group) & (frame["area"] != code)]
        .drop_duplicates("area")["area_name"]
        .sort_values()
        .tolist()
        if group is not None and len(frame)
        else []
    )
    measures = tuple(
        measure_profile(
            indicator,
            by_indicator[indicator.id],
            code=code,
            name=partnership.name,
            family_group=group,
        )
        for indicator in indicators
        if indicator.id in by_indicator
    )
    return OutcomesProfile(
        name=partnership.name,
        slug=partnership.slug,
        code=code,
        family_group=group,
        family_members=tuple(str(m) for m in members),
        measures=measures,
    )


#: Cached profiles live this long at most; a new import or observation changes the key at once.
PROFILE_CACHE_SECONDS = 60 * 60


def data_version() -> str:
    """Changes whenever observations are added or an import runs. Two index-only queries."""
    last_observation = Observation.objects.aggregate(last=Max("id"))["last"]
    last_run = ImportRun.objects.aggregate(last=Max("id"))["last"]
    return f"{last_observation}-{last_run}"


def outcomes_profile_cached(*, partnership: Partnership) -> OutcomesProfile:
    """:func:`outcomes_profile`, from Django's cache while the data have not changed."""
    key = (
        f"cplan:outcomes-profile:v1:{partnership.pk}:{partnership.deprivation_family_group}:"
        f"{data_version()}"
    )
    profile: OutcomesProfile | None = cache.get(key)
    if profile is None:
        profile = outcomes_profile(partnership=partnership)
        cache.set(key, profile, PROFILE_CACHE_SECONDS)
    return profile
