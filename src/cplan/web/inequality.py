"""Inequality by SIMD quintile for a CPP: each community measure's rate in each deprivation quintile
(national quintiles and the CPP's own local quintiles, and Scotland's), the gap and the slope and
relative indices of inequality (SII, RII) over time, and whether inequality is narrowing.

The rates come from data-zone numerators and denominators summed to quintiles
(:func:`cplan.indicators.profiles.quintile_counts`). Today those counts are the demo's
**synthetic** series (kind ``synthetic``), which the pages say on every figure. Every statistic is
the ``outcomes.inequality`` library's: ``inequality_table`` (ScotPHO's SII/RII), ``inequality_trend``
(narrowing / widening / no clear change) and ``inequality_sentence``.

All of Scotland is computed at once (one aggregation) and cached until the data change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from django.core.cache import cache

from cplan.indicators.models import ValueKind
from cplan.indicators.profiles import (
    INEQUALITY_KEYS,
    LOCAL,
    NATIONAL,
    SCOTLAND,
    catalogue_polarity,
    cpop_measure_names,
    quintile_counts,
)
from cplan.web.communities import MeasureInfo, measure_infos
from cplan.web.outcomes_profile import data_version
from outcomes.inequality import inequality_sentence, inequality_table, inequality_trend
from outcomes.trends import period_start_year
from outcomes.types import Polarity

INEQUALITY_CACHE_SECONDS = 60 * 60
QUINTILES = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class InequalityTables:
    measures: tuple[MeasureInfo, ...]
    #: group (area code), quintile_type, quintile, Indicator, period, numerator, denominator, rate,
    #: complete, kind.
    counts: pd.DataFrame
    #: One row per area, measure, period and quintile type: SII, RII, ranges, status, kind.
    table: pd.DataFrame
    #: One row per area, measure and quintile type: trend, slope and its interval, sentence.
    trends: pd.DataFrame


def inequality_tables() -> InequalityTables | None:
    """Scotland's inequality tables, or ``None`` when no data-zone counts are loaded."""
    counts = quintile_counts()
    if counts.empty:
        return None
    names = cpop_measure_names()
    polarity = catalogue_polarity(names)
    measures = measure_infos(names)
    frame = counts.assign(polarity=counts["Indicator"].map(polarity))
    table = inequality_table(
        frame,
        group_columns=INEQUALITY_KEYS,
        quantile_column="quintile",
        rate_column="rate",
        population_column="denominator",
        polarity="polarity",
    )
    kinds = frame.groupby(INEQUALITY_KEYS, sort=False)["kind"].first().reset_index()
    table = table.merge(kinds, on=INEQUALITY_KEYS, how="left", validate="1:1")
    table["time"] = period_start_year(table["period"].to_numpy())
    trends = inequality_trend(
        table, group_columns=["group", "Indicator", "quintile_type"], time_column="time"
    )
    return InequalityTables(
        measures=tuple(m for m in measures if m.name in set(counts["Indicator"])),
        counts=counts[
            ["group", "quintile_type", "quintile", "Indicator", "period", "rate", "kind"]
        ].copy(),
        table=table,
        trends=trends,
    )


def inequality_tables_cached(version: str | None = None) -> InequalityTables | None:
    """:func:`inequality_tables`, from Django's cache while the data have not changed."""
    key = f"cplan:inequality-tables:v1:{version or data_version()}"
    found: tuple[InequalityTables | None] | None = cache.get(key)
    if found is None:
        found = (inequality_tables(),)
        cache.set(key, found, INEQUALITY_CACHE_SECONDS)
    return found[0]


def _number(value: object) -> float | None:
    if value is None or value is pd.NA:
        return None
    number = float(value)  # type: ignore[arg-type]  # numpy and pandas scalars
    return number if math.isfinite(number) else None


@dataclass(frozen=True)
class QuintileRates:
    quintile: int
    national: float | None  # the CPP's data zones in each national quintile
    local: float | None  # the CPP's data zones in each of its own quintiles
    scotland: float | None

    @property
    def label(self) -> str:
        return {1: "1 (most deprived)", 5: "5 (least deprived)"}.get(
            self.quintile, str(self.quintile)
        )


@dataclass(frozen=True)
class InequalityPoint:
    period: str
    kind: str
    status: str
    gap: float | None  # most − least deprived quintile
    sii: float | None
    sii_lower: float | None
    sii_upper: float | None
    rii: float | None
    scotland_sii: float | None

    @property
    def kind_label(self) -> str:
        return str(ValueKind(self.kind).label) if self.kind else ""


@dataclass(frozen=True)
class Trend:
    trend: str
    sentence: str


@dataclass(frozen=True)
class MeasureInequality:
    info: MeasureInfo
    latest_period: str
    kind: str
    quintiles: tuple[QuintileRates, ...]
    reading: str
    trend: Trend  # the CPP, national quintiles
    local_trend: Trend
    scotland_trend: Trend
    points: tuple[InequalityPoint, ...]

    @property
    def kind_label(self) -> str:
        return str(ValueKind(self.kind).label) if self.kind else ""


@dataclass(frozen=True)
class InequalityPage:
    name: str
    slug: str
    code: str
    measures: tuple[MeasureInequality, ...]

    @property
    def synthetic(self) -> bool:
        return any(m.kind == ValueKind.SYNTHETIC for m in self.measures)


def _sentence_unit(info: MeasureInfo) -> str:
    """What follows the SII's number in a sentence: "percentage points" for a percentage."""
    return " percentage points" if info.unit == "%" else f" {info.unit}"


def _trend(trends: pd.DataFrame, group: str, measure: str, quintile_type: str) -> Trend:
    found = trends[
        (trends["group"] == group)
        & (trends["Indicator"] == measure)
        & (trends["quintile_type"] == quintile_type)
    ]
    if found.empty:
        return Trend("insufficient data", "There are no complete years to judge the trend.")
    return Trend(str(found["trend"].iloc[0]), str(found["sentence"].iloc[0]))


def _rates(counts: pd.DataFrame, group: str, quintile_type: str) -> dict[int, float | None]:
    mine = counts[(counts["group"] == group) & (counts["quintile_type"] == quintile_type)]
    return {int(q): _number(r) for q, r in zip(mine["quintile"], mine["rate"], strict=True)}


def _measure(tables: InequalityTables, info: MeasureInfo, code: str) -> MeasureInequality:
    table = tables.table[tables.table["Indicator"] == info.name]
    mine = table[(table["group"] == code) & (table["quintile_type"] == NATIONAL)].sort_values(
        "time"
    )
    scotland = table[(table["group"] == SCOTLAND) & (table["quintile_type"] == NATIONAL)]
    scotland_sii = dict(zip(scotland["period"], scotland["sii"], strict=True))
    latest = mine[mine["status"] == "ok"].tail(1)
    latest_period = str(latest["period"].iloc[0]) if len(latest) else ""
    counts = tables.counts[
        (tables.counts["Indicator"] == info.name) & (tables.counts["period"] == latest_period)
    ]
    national, local = _rates(counts, code, NATIONAL), _rates(counts, code, LOCAL)
    overall = _rates(counts, SCOTLAND, NATIONAL)
    sign = Polarity.HIGHER_IS_BETTER if info.higher_is_better else Polarity.LOWER_IS_BETTER
    reading = (
        inequality_sentence(
            measure=f"{info.label} in {latest_period}",
            unit=_sentence_unit(info),
            status=str(latest["status"].iloc[0]),
            sii=float(latest["sii"].iloc[0]),
            sii_lower=float(latest["sii_lower"].iloc[0]),
            sii_upper=float(latest["sii_upper"].iloc[0]),
            rii_int=float(latest["rii_int"].iloc[0]),
            polarity=sign,
        )
        if len(latest)
        else f"{info.label}: there are not enough data across the quintiles to measure inequality."
    )
    return MeasureInequality(
        info=info,
        latest_period=latest_period,
        kind=str(latest["kind"].iloc[0]) if len(latest) else "",
        quintiles=tuple(
            QuintileRates(q, national.get(q), local.get(q), overall.get(q)) for q in QUINTILES
        ),
        reading=reading,
        trend=_trend(tables.trends, code, info.name, NATIONAL),
        local_trend=_trend(tables.trends, code, info.name, LOCAL),
        scotland_trend=_trend(tables.trends, SCOTLAND, info.name, NATIONAL),
        points=tuple(
            InequalityPoint(
                period=str(row.period),
                kind=str(row.kind),
                status=str(row.status),
                gap=_number(row.absolute_range),
                sii=_number(row.sii),
                sii_lower=_number(row.sii_lower),
                sii_upper=_number(row.sii_upper),
                rii=_number(row.rii),
                scotland_sii=_number(scotland_sii.get(row.period)),
            )
            for row in mine.itertuples(index=False)
        ),
    )


def inequality_page(tables: InequalityTables, *, code: str, name: str, slug: str) -> InequalityPage:
    return InequalityPage(
        name=name,
        slug=slug,
        code=code,
        measures=tuple(_measure(tables, info, code) for info in tables.measures),
    )


def inequality_page_cached(*, code: str, name: str, slug: str) -> InequalityPage | None:
    """One CPP's page from the cache: reading the national tables back costs more than the page."""
    version = data_version()
    key = f"cplan:inequality-page:v1:{code}:{slug}:{version}"
    found: tuple[InequalityPage | None] | None = cache.get(key)
    if found is None:
        tables = inequality_tables_cached(version)
        page = inequality_page(tables, code=code, name=name, slug=slug) if tables else None
        found = (page,)
        cache.set(key, found, INEQUALITY_CACHE_SECONDS)
    return found[0]
