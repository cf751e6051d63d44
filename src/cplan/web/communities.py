"""A CPP's communities (intermediate zones) and each community's own profile, as CPOP shows them.

Every figure comes from the ``outcomes`` library: CPOP's community scores within the CPP and within
the typology group, improvement scores and vulnerable communities (``outcomes.community``), and
each community's expected value given its deprivation (``outcomes.benchmarking``, our own
addition). The inputs are read by :mod:`cplan.indicators.profiles`.

All of Scotland's communities are scored at once (typology groups and CPOP's improvement z-scores
span Scotland), so the national tables are computed once and cached until the data change; pages
slice them.

Choices stated here, shown on the pages:
- polarity is the catalogue's: a high depopulation index is bad (``data/cpop/SOURCES.md``), where
  CPOP's latest data mark it good;
- scores use the latest year that is not a projection; improvement runs from the first year held to
  that year (CPOP: 2010/11 to 2021/22, imputed values count);
- "poorest outcomes" and "least improvement" flag the fifth of a CPP's communities (at least one)
  with the lowest combined score and the lowest combined improvement score;
- "worse than expected for deprivation" counts the measures on which a community falls below the
  95 % prediction interval given its share of income-deprived people (SIMD, by data zone, summed to
  the community).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.core.cache import cache

from cplan.geography.models import Area, AreaLevel, TypologyMembership
from cplan.indicators.breakdowns import TOTAL_KEY
from cplan.indicators.models import Indicator, Observation, Polarity, ValueKind
from cplan.indicators.profiles import (
    CPOP_TYPOLOGY,
    catalogue_polarity,
    community_inputs,
    cpop_measure_names,
    default_change_years,
)
from cplan.web import readings
from cplan.web.outcomes_profile import data_version, display_unit
from outcomes.aggregation import aggregate_counts
from outcomes.benchmarking import expected_given_deprivation, rank_areas
from outcomes.community import (
    combined_improvement,
    combined_scores,
    community_scores,
    improvement_scores,
    vulnerable_communities,
)
from outcomes.trends import period_start_year
from outcomes.types import Expectation

#: The deprivation a community's expected value is judged against (counts by data zone).
INCOME_DEPRIVED_CODE = "simd-income-deprived"
#: Share of a CPP's communities flagged for the poorest outcomes and for the least improvement.
FLAG_SHARE = 0.2
#: CPOP's number of vulnerable communities per CPP.
VULNERABLE_COUNT = 5
COMMUNITY_CACHE_SECONDS = 60 * 60


@dataclass(frozen=True)
class MeasureInfo:
    name: str  # CPOP's name, the key in the library's frames
    code: str
    label: str
    unit: str
    higher_is_better: bool
    source: str


@dataclass(frozen=True)
class CommunityTables:
    """Scotland's community figures, one row per community (and measure)."""

    measures: tuple[MeasureInfo, ...]
    first_year: str
    latest_year: str
    income_period: str
    #: InterZone, Indicator, value, Kind, CPPScore, TypeScore, statuses, expected, expected_lower,
    #: expected_upper, fares, Change, CPPChangeScore, TypeChangeScore (latest year).
    per_measure: pd.DataFrame
    #: InterZone, CPP, TypologyGroup, combined scores and ranks, improvement, flags, income share.
    per_community: pd.DataFrame
    #: CPP or TypologyGroup average of the communities' values: Group, Indicator, Year, value.
    cpp_average: pd.DataFrame
    type_average: pd.DataFrame
    #: CPOP's vulnerable communities: CPP, VulnerabilityRank, InterZone, Indicator, Pace, changes.
    vulnerable: pd.DataFrame

    def measure(self, name: str) -> MeasureInfo:
        return next(m for m in self.measures if m.name == name)


def measure_infos(names: dict[str, str]) -> tuple[MeasureInfo, ...]:
    """The catalogue's description of the community measures ``names`` (code → CPOP name)."""
    indicators = Indicator.objects.filter(code__in=list(names)).order_by("topic", "name")
    return tuple(
        MeasureInfo(
            name=names[indicator.code],
            code=indicator.code,
            label=indicator.name.removesuffix(" (community)"),
            unit=display_unit(indicator),
            higher_is_better=indicator.polarity == Polarity.HIGHER_IS_BETTER,
            source=indicator.source,
        )
        for indicator in indicators
    )


def income_deprivation() -> tuple[pd.Series, str]:
    """% income-deprived people per intermediate zone, summed from data-zone counts, and its period.

    Empty when the SIMD income counts are not loaded."""
    rows = Observation.objects.filter(
        indicator__code=INCOME_DEPRIVED_CODE,
        area__level=AreaLevel.DATA_ZONE,
        breakdown__key=TOTAL_KEY,
        numerator__isnull=False,
        denominator__isnull=False,
        area__parent__isnull=False,
    ).values_list("area__code", "area__parent__code", "period", "numerator", "denominator")
    counts = pd.DataFrame.from_records(
        list(rows), columns=["area", "zone", "period", "numerator", "denominator"]
    )
    if counts.empty:
        return pd.Series(dtype=np.float64), ""
    period = str(sorted(counts["period"].unique())[-1])
    latest = counts[counts["period"] == period]
    mapping = latest.drop_duplicates("area").set_index("area")["zone"]
    sums = aggregate_counts(latest, mapping, by=("period",))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = 100.0 * sums["numerator"] / sums["denominator"].where(sums["denominator"] > 0)
    return pd.Series(share.to_numpy(), index=sums["group"].to_numpy()), period


def _flag_count(size: int) -> int:
    return max(1, math.ceil(FLAG_SHARE * size))


def community_tables() -> CommunityTables:
    """Score every community in Scotland. Raises ``ProfileDataError`` when nothing is loaded."""
    inputs = community_inputs()
    names = cpop_measure_names()
    measures = measure_infos(names)
    polarity = catalogue_polarity(names)
    judged = inputs.values[inputs.values["Kind"] != ValueKind.PROJECTED]
    first_year, latest_year = default_change_years(inputs.values)
    cpp_of, typology_of = inputs.cpp_of, inputs.typology_of
    scores = community_scores(
        judged, cpp_of=cpp_of, typology_of=typology_of, polarity=polarity, years=[latest_year]
    )
    combined = combined_scores(scores)
    improvement = improvement_scores(
        judged,
        cpp_of=cpp_of,
        typology_of=typology_of,
        polarity=polarity,
        first_year=first_year,
        last_year=latest_year,
    )
    improved = combined_improvement(improvement)
    vulnerable = vulnerable_communities(
        judged,
        cpp_of=cpp_of,
        typology_of=typology_of,
        polarity=polarity,
        base_year=first_year,
        last_year=latest_year,
        count=VULNERABLE_COUNT,
    )
    income, income_period = income_deprivation()

    latest = inputs.values[inputs.values["Year"] == latest_year][["InterZone", "Indicator", "Kind"]]
    per_measure = scores.merge(latest, on=["InterZone", "Indicator"], how="left").merge(
        improvement[
            ["InterZone", "Indicator", "ValueFirst", "Change", "CPPChangeScore", "TypeChangeScore"]
        ],
        on=["InterZone", "Indicator"],
        how="left",
    )
    per_measure = _with_expected(per_measure, income, polarity)
    per_community = _per_community(combined, improved, per_measure, income)
    return CommunityTables(
        measures=measures,
        first_year=first_year,
        latest_year=latest_year,
        income_period=income_period,
        per_measure=per_measure,
        per_community=per_community,
        cpp_average=_averages(inputs.values, inputs.cpp_of),
        type_average=_averages(inputs.values, inputs.typology_of),
        vulnerable=vulnerable.communities.merge(
            vulnerable.pace, on=["CPP", "VulnerabilityRank", "InterZone"], how="left"
        ),
    )


def _with_expected(
    per_measure: pd.DataFrame, income: pd.Series, polarity: dict[str, int]
) -> pd.DataFrame:
    """Attach the expected value given deprivation (insufficient data without SIMD counts)."""
    share = per_measure["InterZone"].map(income)
    known = per_measure[share.notna()].assign(
        income_deprived=share[share.notna()],
        polarity=per_measure["Indicator"].map(polarity),
    )
    if known.empty:
        return per_measure.assign(
            expected=np.nan,
            expected_lower=np.nan,
            expected_upper=np.nan,
            fares=str(Expectation.INSUFFICIENT_DATA),
        )
    judged = expected_given_deprivation(
        known,
        deprivation_column="income_deprived",
        value_column="value",
        polarity="polarity",
        by=("Indicator",),
    )
    columns = ["expected", "expected_lower", "expected_upper", "fares"]
    out = per_measure.join(judged[columns])
    out["fares"] = out["fares"].astype(object).fillna(str(Expectation.INSUFFICIENT_DATA))
    return out


def _per_community(
    combined: pd.DataFrame, improved: pd.DataFrame, per_measure: pd.DataFrame, income: pd.Series
) -> pd.DataFrame:
    out = combined.drop(columns=["Year"]).rename(columns={"CPPRank": "OutcomeRank"})
    out = out.merge(
        improved[
            ["InterZone", "CombinedCPPChangeScore", "CombinedTypeChangeScore", "CPPRank"]
        ].rename(columns={"CPPRank": "ImprovementRank"}),
        on="InterZone",
        how="left",
    )
    type_rank = rank_areas(
        out,
        value_column="CombinedTypeScore",
        polarity=-1,  # rank 1 = the poorest outcomes in the typology group, as in the CPP
        group_columns=["TypologyGroup"],
    )
    out["TypeRank"], out["TypeSize"] = type_rank["rank"], type_rank["n_ranked"]
    out["CPPSize"] = out.groupby("CPP")["InterZone"].transform("count")
    out["CPPScored"] = out.groupby("CPP")["CombinedCPPScore"].transform("count")
    out["CPPImprovementScored"] = out.groupby("CPP")["CombinedCPPChangeScore"].transform("count")
    out["PoorestOutcomes"] = out["OutcomeRank"].notna() & (
        out["OutcomeRank"].astype("Float64") <= out["CPPScored"].map(_flag_count)
    ).fillna(False)
    out["LeastImprovement"] = out["ImprovementRank"].notna() & (
        out["ImprovementRank"].astype("Float64") <= out["CPPImprovementScored"].map(_flag_count)
    ).fillna(False)
    worse = per_measure.assign(_worse=per_measure["fares"] == str(Expectation.WORSE))
    out = out.merge(
        worse.groupby("InterZone")["_worse"].sum().rename("WorseThanExpected").reset_index(),
        on="InterZone",
        how="left",
    )
    out["WorseThanExpected"] = out["WorseThanExpected"].fillna(0).astype(int)
    out["IncomeDeprived"] = out["InterZone"].map(income)
    return out


def _averages(values: pd.DataFrame, group_of: pd.Series) -> pd.DataFrame:
    """Plain mean of the communities' values per group, measure and year (CPOP's averages)."""
    frame = values.assign(Group=values["InterZone"].map(group_of))
    return (
        frame.dropna(subset=["Group"])
        .groupby(["Group", "Indicator", "Year"])["value"]
        .mean()
        .reset_index()
    )


def community_tables_cached() -> CommunityTables:
    """:func:`community_tables`, from Django's cache while the data have not changed."""
    key = f"cplan:community-tables:v1:{data_version()}"
    tables: CommunityTables | None = cache.get(key)
    if tables is None:
        tables = community_tables()
        cache.set(key, tables, COMMUNITY_CACHE_SECONDS)
    return tables


def typology_name(code: str) -> str:
    """The name of the CPOP typology group of the community ``code`` (empty if it has none)."""
    name = (
        TypologyMembership.objects.filter(typology__code=CPOP_TYPOLOGY, area__code=code)
        .values_list("group_name", flat=True)
        .first()
    )
    return str(name or "")


def zone_names(codes: list[str]) -> dict[str, str]:
    return dict(Area.objects.filter(code__in=codes).values_list("code", "name"))


# ---------------------------------------------------------------------------------------- pages


def _number(value: object) -> float | None:
    if value is None or value is pd.NA:
        return None
    number = float(value)  # type: ignore[arg-type]  # numpy and pandas scalars
    return number if math.isfinite(number) else None


def _integer(value: object) -> int | None:
    number = _number(value)
    return int(number) if number is not None else None


@dataclass(frozen=True)
class CommunityRow:
    code: str
    name: str
    typology_group: int
    combined_score: float | None
    outcome_rank: int | None
    combined_type_score: float | None
    improvement_score: float | None
    improvement_rank: int | None
    poorest_outcomes: bool
    least_improvement: bool
    worse_than_expected: int
    income_deprived: float | None

    @property
    def better_than_typology(self) -> bool | None:
        """CPOP's "better than expected": the combined score against the typology group > 0."""
        return None if self.combined_type_score is None else self.combined_type_score > 0


#: Query parameter ``sort`` → the key ordering the rows (missing values last).
SORTS = {
    "outcomes": "poorest outcomes first",
    "improvement": "least improvement first",
    "typology": "poorest against similar communities first",
    "expected": "most measures worse than expected first",
    "deprivation": "most income-deprived first",
    "name": "name",
}
FLAGS = {
    "poorest": "poorest outcomes",
    "least-improvement": "least improvement",
    "worse-than-expected": "worse than expected for deprivation",
}


SortKey = tuple[bool, float, str]


def _missing_last(value: float | None, name: str, *, descending: bool = False) -> SortKey:
    if value is None:
        return (True, 0.0, name)
    return (False, -value if descending else value, name)


def _sort_key(sort: str) -> Callable[[CommunityRow], SortKey]:
    keys: dict[str, Callable[[CommunityRow], SortKey]] = {
        "outcomes": lambda r: _missing_last(r.outcome_rank, r.name),
        "improvement": lambda r: _missing_last(r.improvement_rank, r.name),
        "typology": lambda r: _missing_last(r.combined_type_score, r.name),
        "expected": lambda r: (False, -r.worse_than_expected, r.name),
        "deprivation": lambda r: _missing_last(r.income_deprived, r.name, descending=True),
        "name": lambda r: (False, 0.0, f"{r.name} {r.code}"),
    }
    return keys[sort]


@dataclass(frozen=True)
class VulnerableRow:
    rank: int
    code: str
    name: str
    combined_score: float | None
    paces: tuple[str, ...]  # one per measure, in the order of the page's measures

    @property
    def faster(self) -> int:
        return sum(1 for pace in self.paces if pace == "faster")


@dataclass(frozen=True)
class CommunitiesPage:
    name: str
    slug: str
    code: str
    first_year: str
    latest_year: str
    income_period: str
    measures: tuple[MeasureInfo, ...]
    rows: tuple[CommunityRow, ...]
    total: int
    sort: str
    flag: str
    flag_share: float
    vulnerable: tuple[VulnerableRow, ...]
    reading: str

    @property
    def sort_label(self) -> str:
        return SORTS[self.sort]

    @property
    def flag_label(self) -> str:
        return FLAGS.get(self.flag, "")


def communities_page(
    tables: CommunityTables, *, code: str, name: str, slug: str, sort: str, flag: str
) -> CommunitiesPage:
    """The CPP ``code``'s communities, sorted and filtered as the query asked (unknown → default)."""
    sort = sort if sort in SORTS else "outcomes"
    flag = flag if flag in FLAGS else ""
    mine = tables.per_community[tables.per_community["CPP"] == code]
    names = zone_names(mine["InterZone"].tolist())
    rows = [
        CommunityRow(
            code=str(r.InterZone),
            name=names.get(str(r.InterZone), str(r.InterZone)),
            typology_group=_integer(r.TypologyGroup) or 0,
            combined_score=_number(r.CombinedCPPScore),
            outcome_rank=_integer(r.OutcomeRank),
            combined_type_score=_number(r.CombinedTypeScore),
            improvement_score=_number(r.CombinedCPPChangeScore),
            improvement_rank=_integer(r.ImprovementRank),
            poorest_outcomes=bool(r.PoorestOutcomes),
            least_improvement=bool(r.LeastImprovement),
            worse_than_expected=_integer(r.WorseThanExpected) or 0,
            income_deprived=_number(r.IncomeDeprived),
        )
        for r in mine.itertuples(index=False)
    ]
    reading = _communities_reading(name, rows, tables)
    chosen: Callable[[CommunityRow], bool] = {
        "": lambda r: True,
        "poorest": lambda r: r.poorest_outcomes,
        "least-improvement": lambda r: r.least_improvement,
        "worse-than-expected": lambda r: r.worse_than_expected > 0,
    }[flag]
    shown = sorted((r for r in rows if chosen(r)), key=_sort_key(sort))
    return CommunitiesPage(
        name=name,
        slug=slug,
        code=code,
        first_year=tables.first_year,
        latest_year=tables.latest_year,
        income_period=tables.income_period,
        measures=tables.measures,
        rows=tuple(shown),
        total=len(rows),
        sort=sort,
        flag=flag,
        flag_share=FLAG_SHARE,
        vulnerable=_vulnerable(tables, code, names),
        reading=reading,
    )


def _vulnerable(
    tables: CommunityTables, code: str, names: dict[str, str]
) -> tuple[VulnerableRow, ...]:
    mine = tables.vulnerable[tables.vulnerable["CPP"] == code]
    rows = []
    for (rank, zone), group in mine.groupby(["VulnerabilityRank", "InterZone"], sort=True):
        pace = dict(zip(group["Indicator"], group["Pace"], strict=True))
        rows.append(
            VulnerableRow(
                rank=_integer(rank) or 0,
                code=str(zone),
                name=names.get(str(zone), str(zone)),
                combined_score=_number(group["CombinedCPPScore"].iloc[0]),
                paces=tuple(str(pace.get(m.name, "insufficient data")) for m in tables.measures),
            )
        )
    return tuple(rows)


def _communities_reading(name: str, rows: list[CommunityRow], tables: CommunityTables) -> str:
    if not rows:
        return f"No community figures are loaded for {name}."
    ranked = sorted(
        (r for r in rows if r.outcome_rank is not None), key=lambda r: r.outcome_rank or 0
    )
    improved = sorted(
        (r for r in rows if r.improvement_rank is not None), key=lambda r: r.improvement_rank or 0
    )
    worse = sum(1 for r in rows if r.worse_than_expected)
    return readings.communities_reading(
        area=name,
        communities=len(rows),
        poorest=ranked[0].name if ranked else None,
        least_improved=improved[0].name if improved else None,
        first_year=tables.first_year,
        latest_year=tables.latest_year,
        worse_than_expected=worse,
    )


@dataclass(frozen=True)
class CommunityTrendPoint:
    period: str
    kind: str
    value: float | None
    type_average: float | None
    cpp_average: float | None

    @property
    def kind_label(self) -> str:
        return str(ValueKind(self.kind).label) if self.kind else ""


@dataclass(frozen=True)
class CommunityMeasure:
    info: MeasureInfo
    value: float | None
    kind: str
    type_average: float | None
    cpp_average: float | None
    type_score: float | None
    cpp_score: float | None
    first_value: float | None
    change: float | None  # % change, polarity-adjusted: positive is improvement
    type_change_score: float | None
    cpp_change_score: float | None
    expected: float | None
    expected_lower: float | None
    expected_upper: float | None
    fares: str
    trend: tuple[CommunityTrendPoint, ...]

    @property
    def kind_label(self) -> str:
        return str(ValueKind(self.kind).label) if self.kind else ""


@dataclass(frozen=True)
class CommunityProfile:
    code: str
    name: str
    cpp_name: str
    cpp_slug: str
    cpp_code: str
    typology_group: int
    typology_name: str
    income_deprived: float | None
    income_period: str
    first_year: str
    latest_year: str
    combined_score: float | None
    outcome_rank: int | None
    cpp_scored: int
    combined_type_score: float | None
    type_rank: int | None
    type_size: int
    improvement_score: float | None
    improvement_rank: int | None
    cpp_improvement_scored: int
    type_improvement_score: float | None
    poorest_outcomes: bool
    least_improvement: bool
    measures: tuple[CommunityMeasure, ...]
    reading: str

    @property
    def worse_than_expected(self) -> list[str]:
        return [m.info.label for m in self.measures if m.fares == str(Expectation.WORSE)]

    @property
    def kinds(self) -> list[str]:
        seen = dict.fromkeys(p.kind for m in self.measures for p in m.trend if p.kind)
        return [str(ValueKind(kind).label) for kind in seen]


def _community_values(code: str, names: dict[str, str]) -> pd.DataFrame:
    """Every CPOP community value held for one community (no synthetic values). One query."""
    rows = (
        Observation.objects.filter(
            indicator__code__in=list(names), area__code=code, breakdown__key=TOTAL_KEY
        )
        .exclude(kind=ValueKind.SYNTHETIC)
        .values_list("indicator__code", "period", "value", "kind")
    )
    frame = pd.DataFrame.from_records(list(rows), columns=["code", "Year", "value", "kind"])
    frame["Indicator"] = frame["code"].map(names)
    frame["value"] = frame["value"].astype(np.float64)
    return frame


def _row(frame: pd.DataFrame, key: str) -> pd.Series | None:
    """The row of ``frame`` indexed ``key``, if there is one (the index is unique)."""
    return frame.loc[key] if key in frame.index else None  # type: ignore[return-value]


def _kind(figures: pd.Series | None) -> str:
    kind = None if figures is None else figures["Kind"]
    return kind if isinstance(kind, str) else ""


def _average_lookup(frame: pd.DataFrame, group: object) -> dict[tuple[str, str], float | None]:
    mine = frame[frame["Group"] == group]
    return {
        (str(i), str(y)): _number(v)
        for i, y, v in zip(mine["Indicator"], mine["Year"], mine["value"], strict=True)
    }


def community_profile(
    tables: CommunityTables, *, code: str, name: str, cpp_name: str, cpp_slug: str
) -> CommunityProfile | None:
    """One community against its CPP and its typology group; ``None`` when it has no figures."""
    found = tables.per_community[tables.per_community["InterZone"] == code]
    if found.empty:
        return None
    row = found.iloc[0]
    cpp, group = str(row["CPP"]), int(row["TypologyGroup"])
    names = cpop_measure_names()
    values = _community_values(code, names)
    per_measure = tables.per_measure[tables.per_measure["InterZone"] == code].set_index("Indicator")
    cpp_average = _average_lookup(tables.cpp_average, cpp)
    type_average = _average_lookup(tables.type_average, group)
    latest = tables.latest_year
    measures = []
    for info in tables.measures:
        own = values[values["Indicator"] == info.name].copy()
        own["t"] = period_start_year(own["Year"].to_numpy()) if len(own) else []
        own = own.sort_values("t")
        trend = tuple(
            CommunityTrendPoint(
                period=str(y),
                kind=str(k),
                value=_number(v),
                type_average=type_average.get((info.name, str(y))),
                cpp_average=cpp_average.get((info.name, str(y))),
            )
            for y, k, v in zip(own["Year"], own["kind"], own["value"], strict=True)
        )
        figures = _row(per_measure, info.name)

        def figure(column: str, figures: pd.Series | None = figures) -> float | None:
            return None if figures is None else _number(figures[column])

        change = figure("Change")
        measures.append(
            CommunityMeasure(
                info=info,
                value=figure("value"),
                kind=_kind(figures),
                type_average=type_average.get((info.name, latest)),
                cpp_average=cpp_average.get((info.name, latest)),
                type_score=figure("TypeScore"),
                cpp_score=figure("CPPScore"),
                first_value=figure("ValueFirst"),
                change=None if change is None else 100.0 * change,
                type_change_score=figure("TypeChangeScore"),
                cpp_change_score=figure("CPPChangeScore"),
                expected=figure("expected"),
                expected_lower=figure("expected_lower"),
                expected_upper=figure("expected_upper"),
                fares=str(figures["fares"]) if figures is not None else "insufficient data",
                trend=trend,
            )
        )
    outcome_rank, improvement_rank = _integer(row["OutcomeRank"]), _integer(row["ImprovementRank"])
    type_score = _number(row["CombinedTypeScore"])
    worse = [m.info.label for m in measures if m.fares == str(Expectation.WORSE)]
    return CommunityProfile(
        code=code,
        name=name,
        cpp_name=cpp_name,
        cpp_slug=cpp_slug,
        cpp_code=cpp,
        typology_group=group,
        typology_name=typology_name(code),
        income_deprived=_number(row["IncomeDeprived"]),
        income_period=tables.income_period,
        first_year=tables.first_year,
        latest_year=latest,
        combined_score=_number(row["CombinedCPPScore"]),
        outcome_rank=outcome_rank,
        cpp_scored=int(row["CPPScored"]),
        combined_type_score=type_score,
        type_rank=_integer(row["TypeRank"]),
        type_size=int(row["TypeSize"]),
        improvement_score=_number(row["CombinedCPPChangeScore"]),
        improvement_rank=improvement_rank,
        cpp_improvement_scored=int(row["CPPImprovementScored"]),
        type_improvement_score=_number(row["CombinedTypeChangeScore"]),
        poorest_outcomes=bool(row["PoorestOutcomes"]),
        least_improvement=bool(row["LeastImprovement"]),
        measures=tuple(measures),
        reading=readings.community_reading(
            community=name,
            area=cpp_name,
            outcome_rank=outcome_rank,
            improvement_rank=improvement_rank,
            scored=int(row["CPPScored"]),
            better_than_typology=None if type_score is None else type_score > 0,
            worse_than_expected=worse,
        ),
    )
