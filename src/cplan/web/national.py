"""The national picture: all 32 CPPs side by side on every core CPP measure.

For each measure the ``outcomes`` library ranks the CPPs on their latest value
(``benchmarking.rank_areas``), on their improvement since the baseline (CPOP's improvement rate,
``trends.improvement_rate``, made polarity-aware so that a larger figure is always better) and on
their annual pace of improvement (``community.pace_of_improvement``, our own measure: the compound
annual rate of change, polarity-adjusted). The pace across all measures (its median) ranks the
CPPs overall. Ranks are always national (1 = best of all CPPs with a value); filtering by family
group only chooses which rows are shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.core.cache import cache

from cplan.indicators.models import Indicator, ValueKind
from cplan.partnerships.models import Partnership
from cplan.web import readings
from cplan.web.outcomes_profile import (
    PROFILE_CACHE_SECONDS,
    SCOTLAND_CODE,
    _number,
    _sign,
    core_cpp_indicators,
    data_version,
    display_name,
    display_unit,
    national_frame,
)
from outcomes.benchmarking import rank_areas
from outcomes.community import INDICATOR, VALUE, YEAR, pace_of_improvement
from outcomes.trends import improvement_rate
from outcomes.types import Polarity as Sign

#: Shading bands of the heat table: the national rank split into fifths (1 = best fifth).
HEAT_BANDS = 5


@dataclass(frozen=True)
class NationalCell:
    value: float | None
    rank: int | None
    improvement: float | None
    improvement_rank: int | None
    pace: float | None
    pace_rank: int | None
    band: int | None


@dataclass(frozen=True)
class NationalRow:
    code: str
    name: str
    slug: str
    family_group: int | None
    cells: tuple[NationalCell, ...]
    pace: float | None
    pace_rank: int | None


@dataclass(frozen=True)
class NationalMeasure:
    code: str
    name: str
    unit: str
    higher_is_better: bool
    baseline_period: str
    latest_period: str
    latest_kind: str
    scotland: float | None
    source: str

    @property
    def latest_kind_label(self) -> str:
        return str(ValueKind(self.latest_kind).label) if self.latest_kind else ""


@dataclass(frozen=True)
class NationalPicture:
    measures: tuple[NationalMeasure, ...]
    rows: tuple[NationalRow, ...]
    family_groups: tuple[int, ...]
    reading: str

    def in_family(self, group: int | None) -> tuple[NationalRow, ...]:
        if group is None:
            return self.rows
        return tuple(row for row in self.rows if row.family_group == group)


def _integer(value: object) -> int | None:
    number = _number(value)
    return int(number) if number is not None else None


def _band(rank: int | None, n_ranked: int) -> int | None:
    if rank is None or n_ranked == 0:
        return None
    return math.ceil(HEAT_BANDS * rank / n_ranked)


def _judged_ends(data: pd.DataFrame) -> tuple[str, str, str]:
    """Baseline period, latest period not projected, and the latest period's kind (any CPP)."""
    judged = data[data["kind"] != ValueKind.PROJECTED].sort_values("time")
    if judged.empty:
        return "", "", ""
    latest = str(judged["period"].iloc[-1])
    kinds = judged[judged["period"] == latest]["kind"]
    return str(judged["period"].iloc[0]), latest, str(kinds.mode().iloc[0])


def _measure_cells(
    indicator: Indicator, data: pd.DataFrame, codes: list[str]
) -> tuple[NationalMeasure, dict[str, NationalCell], pd.DataFrame]:
    """One measure's cells per CPP, and its judged values for the overall pace."""
    sign = _sign(indicator.polarity)
    baseline, latest, latest_kind = _judged_ends(data)
    judged = data[(data["kind"] != ValueKind.PROJECTED) & data["value"].notna()]
    councils = judged[judged["area"] != SCOTLAND_CODE]
    scotland = judged[(judged["area"] == SCOTLAND_CODE) & (judged["period"] == latest)]["value"]
    wide = councils.pivot_table(index="area", columns="period", values="value", aggfunc="first")
    wide = wide.reindex(index=codes, columns=[baseline, latest])
    figures = pd.DataFrame(
        {
            "area": codes,
            "value": wide[latest].to_numpy(dtype=float),
            "first": wide[baseline].to_numpy(dtype=float),
        }
    )
    first, last = figures["first"].to_numpy(), figures["value"].to_numpy()
    usable = np.isfinite(first) & np.isfinite(last) & (first != 0)
    rate = np.full(len(figures), np.nan)
    if usable.any():
        rate[usable] = improvement_rate(first[usable], last[usable])
    # A fall is an improvement when lower is better: orient so that larger is always better.
    figures["improvement"] = int(sign) * rate
    ranked = rank_areas(figures, value_column="value", polarity=sign)
    improved = rank_areas(figures, value_column="improvement", polarity=Sign.HIGHER_IS_BETTER)
    pace_input = councils.rename(columns={"period": YEAR}).assign(**{INDICATOR: indicator.code})[
        ["area", INDICATOR, YEAR, VALUE]
    ]
    per_measure, _ = pace_of_improvement(
        pace_input, area_column="area", polarity={indicator.code: sign}
    )
    paces = per_measure.set_index("area")["AnnualImprovement"].reindex(codes)
    pace_ranks = paces.rank(method="min", ascending=False)
    cells = {
        code: NationalCell(
            value=_number(ranked["value"].iloc[i]),
            rank=_integer(ranked["rank"].iloc[i]),
            improvement=_number(improved["improvement"].iloc[i]),
            improvement_rank=_integer(improved["rank"].iloc[i]),
            pace=_number(paces.iloc[i]),
            pace_rank=_integer(pace_ranks.iloc[i]),
            band=_band(_integer(ranked["rank"].iloc[i]), int(ranked["n_ranked"].iloc[0])),
        )
        for i, code in enumerate(codes)
    }
    measure = NationalMeasure(
        code=indicator.code,
        name=display_name(indicator),
        unit=display_unit(indicator),
        higher_is_better=sign == Sign.HIGHER_IS_BETTER,
        baseline_period=baseline,
        latest_period=latest,
        latest_kind=latest_kind,
        scotland=_number(scotland.iloc[0]) if len(scotland) else None,
        source=indicator.source,
    )
    return measure, cells, pace_input


def national_picture() -> NationalPicture:
    """Every core CPP measure for every CPP. Three queries (indicators, observations, slugs)."""
    indicators = core_cpp_indicators()
    frame = national_frame(indicators)
    if frame.empty:
        return NationalPicture(measures=(), rows=(), family_groups=(), reading="")
    slugs = dict(Partnership.objects.values_list("council_area__code", "slug"))
    frame = frame.assign(slug=frame["area"].map(slugs).fillna(""))
    councils = frame[frame["area"] != SCOTLAND_CODE].drop_duplicates("area")
    councils = councils.sort_values("area_name")
    codes = councils["area"].tolist()
    by_indicator = dict(tuple(frame.groupby("indicator_id")))
    measures: list[NationalMeasure] = []
    cells: list[dict[str, NationalCell]] = []
    pace_inputs: list[pd.DataFrame] = []
    polarity: dict[str, Sign] = {}
    for indicator in indicators:
        if indicator.id not in by_indicator:
            continue
        measure, measure_cells, pace_input = _measure_cells(
            indicator, by_indicator[indicator.id], codes
        )
        measures.append(measure)
        cells.append(measure_cells)
        pace_inputs.append(pace_input)
        polarity[indicator.code] = _sign(indicator.polarity)
    _, overall = pace_of_improvement(
        pd.concat(pace_inputs, ignore_index=True), area_column="area", polarity=polarity
    )
    overall = overall.set_index("area").reindex(codes)
    rows = tuple(
        NationalRow(
            code=code,
            name=str(name),
            slug=str(slug),
            family_group=_integer(group),
            cells=tuple(measure_cells[code] for measure_cells in cells),
            pace=_number(overall["Pace"].loc[code]),
            pace_rank=_integer(overall["PaceRank"].loc[code]),
        )
        for code, name, slug, group in councils[
            ["area", "area_name", "slug", "family_group"]
        ].itertuples(index=False)
    )
    groups = sorted({row.family_group for row in rows if row.family_group is not None})
    return NationalPicture(
        measures=tuple(measures),
        rows=rows,
        family_groups=tuple(groups),
        reading=_reading(rows, measures),
    )


def _reading(rows: tuple[NationalRow, ...], measures: list[NationalMeasure]) -> str:
    paced = [(row.name, row.pace) for row in rows if row.pace is not None]
    return readings.national_reading(
        paces=paced,
        measures=len(measures),
        baseline=measures[0].baseline_period if measures else "",
        latest=measures[0].latest_period if measures else "",
    )


def national_picture_cached() -> NationalPicture:
    """:func:`national_picture`, from Django's cache while the data have not changed."""
    key = f"cplan:national-picture:v1:{data_version()}"
    picture: NationalPicture | None = cache.get(key)
    if picture is None:
        picture = national_picture()
        cache.set(key, picture, PROFILE_CACHE_SECONDS)
    return picture
