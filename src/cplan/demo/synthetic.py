"""Synthetic data-zone numerators and denominators, consistent with real intermediate-zone values.

CPOP publishes its community measures by intermediate zone (IZ) for every year, but by data zone (DZ)
only for the latest year and without counts. Inequality by SIMD quintile needs numerators and
denominators by DZ for every year, so the demo generates them here — with a fixed seed, and always
labelled synthetic:

- denominators: the real NRS population of each DZ in the year (held at the last published year
  afterwards) times the share of the measure's population group (working-age share from SIMD; other
  groups from national shares nudged by the DZ's income deprivation);
- the pattern within an IZ: the DZ's real latest value relative to its IZ where CPOP publishes one,
  otherwise its income-deprivation rate relative to its IZ raised to a measure-specific elasticity,
  with a small random walk over the years;
- scaled in every IZ and year so that the DZs' summed numerators over summed denominators reproduce the
  real IZ value, then rounded to whole counts without changing the IZ's rounded total.

Pure pandas/numpy: no Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

SEED = 20200128  # SIMD 2020 publication date: any fixed number would do.


@dataclass(frozen=True)
class SyntheticMeasure:
    """How to synthesise one IZ measure at data-zone level."""

    name: str  # the measure's name in CPOP's IZ file
    multiplier: float  # value = numerator / denominator × multiplier
    population_group: str  # key of POPULATION_GROUPS
    latest_column: str | None = None  # CPOP's real DZ latest-year column giving the pattern
    income_elasticity: float = 1.0  # used when there is no latest column
    max_rate: float | None = None  # e.g. 100 for a percentage


# Share of a data zone's population in each group: (national share, change per unit income rate).
POPULATION_GROUPS: dict[str, tuple[float, float]] = {
    "total": (1.0, 0.0),
    "children_0_15": (0.17, 0.10),
    "aged_16_19": (0.045, 0.0),
    "aged_65_plus": (0.19, -0.15),
    "under_75": (0.91, 0.05),
}

CPOP_SYNTHETIC_MEASURES: tuple[SyntheticMeasure, ...] = (
    SyntheticMeasure(
        "Child Poverty", 100.0, "children_0_15", "% of children in poverty", max_rate=100.0
    ),
    SyntheticMeasure(
        "Out of Work Benefits",
        100.0,
        "working_age",
        "% of population (aged 16-64) in receipt of out of work benefits",
        max_rate=100.0,
    ),
    SyntheticMeasure(
        "Crime Rate", 10_000.0, "total", "Number of SIMD crimes per 10,000 of the population"
    ),
    SyntheticMeasure(
        "Emergency Admissions",
        100_000.0,
        "aged_65_plus",
        "Emergency admissions (65+) per 100,000 population",
    ),
    SyntheticMeasure("Early Mortality", 100_000.0, "under_75", income_elasticity=0.6),
    SyntheticMeasure(
        "Participation Rate", 100.0, "aged_16_19", income_elasticity=-0.08, max_rate=100.0
    ),
)


@dataclass(frozen=True)
class DataZoneFrame:
    """Real inputs by data zone.

    ``zones``: index DZ code; columns ``iz`` (IZ code), ``income_rate`` (0-1), ``working_age_share``
    (0-1). ``population``: index DZ code, one column per calendar year (int). ``latest``: index DZ code,
    CPOP's latest-year DZ values by column name (may have gaps).
    """

    zones: pd.DataFrame
    population: pd.DataFrame
    latest: pd.DataFrame


def financial_year_start(period: str) -> int:
    """``2014/15`` → 2014."""
    return int(period[:4])


def _population_for(dz: DataZoneFrame, years: Sequence[int]) -> pd.DataFrame:
    """Population by DZ for each year, holding the nearest published year outside the range."""
    published = sorted(int(y) for y in dz.population.columns)
    columns = {}
    for year in years:
        nearest = min(max(year, published[0]), published[-1])
        columns[year] = dz.population[nearest]
    return pd.DataFrame(columns, index=dz.population.index)


def _group_share(dz: DataZoneFrame, group: str, rng: np.random.Generator) -> pd.Series:
    if group == "working_age":
        return dz.zones["working_age_share"].clip(0.3, 0.9)
    base, slope = POPULATION_GROUPS[group]
    if base == 1.0:
        return pd.Series(1.0, index=dz.zones.index)
    noise = rng.normal(0.0, 0.1 * base, len(dz.zones))
    share = base + slope * (dz.zones["income_rate"] - dz.zones["income_rate"].mean()) + noise
    return share.clip(0.25 * base, min(0.95, 2.5 * base))


def _within_iz_pattern(
    dz: DataZoneFrame, measure: SyntheticMeasure, weights: pd.Series
) -> pd.Series:
    """A DZ's level relative to the weighted mean of its IZ (1 = average)."""
    zones = dz.zones
    if measure.latest_column is not None and measure.latest_column in dz.latest.columns:
        # Published cells such as '#DIV/0!' carry no pattern: treat them as average.
        level = pd.to_numeric(dz.latest[measure.latest_column], errors="coerce").reindex(
            zones.index
        )
        if measure.max_rate is not None:
            level = level.clip(upper=measure.max_rate)
    else:
        level = (zones["income_rate"] + 0.01) ** measure.income_elasticity
    weighted = level * weights
    iz_mean = weighted.groupby(zones["iz"]).transform("sum") / (
        weights.where(level.notna()).groupby(zones["iz"]).transform("sum")
    )
    pattern = (level / iz_mean).fillna(1.0).replace([np.inf, -np.inf], 1.0)
    return pattern.clip(0.2, 5.0)


def _largest_remainder(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Round to integers so that each group's total equals its rounded total."""
    floors = np.floor(values)
    remainders = values - floors
    frame = pd.DataFrame({"group": groups, "rem": remainders, "floor": floors, "value": values})
    shortfall = frame.groupby("group")["value"].transform("sum").round() - frame.groupby("group")[
        "floor"
    ].transform("sum")
    rank = frame.groupby("group")["rem"].rank(method="first", ascending=False)
    rounded: np.ndarray = (floors + (rank <= shortfall).astype(float)).to_numpy()
    return rounded


def synthesise_measure(
    dz: DataZoneFrame,
    measure: SyntheticMeasure,
    iz_values: pd.DataFrame,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """DZ numerators/denominators for one measure, for every period in ``iz_values``.

    ``iz_values``: columns ``iz``, ``period`` (``2010/11``), ``value`` — the real IZ series.
    Returns columns ``area_code, iz, period, numerator, denominator, value``.
    """
    periods = sorted(iz_values["period"].unique())
    years = [financial_year_start(p) for p in periods]
    population = _population_for(dz, years)
    share = _group_share(dz, measure.population_group, rng)
    pattern = _within_iz_pattern(dz, measure, population[years[-1]] * share)
    walk = np.exp(np.cumsum(rng.normal(0.0, 0.03, (len(dz.zones), len(periods))), axis=1))
    walk /= walk[:, -1:]  # the latest year keeps the real pattern exactly
    frames = []
    for i, (period, year) in enumerate(zip(periods, years, strict=True)):
        denominator = (population[year] * share).round().clip(lower=1.0)
        rate = pattern * walk[:, i]
        frames.append(
            pd.DataFrame(
                {
                    "area_code": dz.zones.index,
                    "iz": dz.zones["iz"].to_numpy(),
                    "period": period,
                    "denominator": denominator.to_numpy(),
                    "shape": rate.to_numpy(),
                }
            )
        )
    frame = pd.concat(frames, ignore_index=True)
    target = iz_values.rename(columns={"value": "iz_value"})[["iz", "period", "iz_value"]]
    frame = frame.merge(target, on=["iz", "period"], how="inner")
    frame = _scale_to_iz(frame, measure)
    frame["numerator"] = _largest_remainder(
        frame["numerator"].to_numpy(), (frame["iz"] + "|" + frame["period"]).to_numpy()
    )
    frame["numerator"] = (
        np.minimum(frame["numerator"], frame["denominator"])
        if measure.max_rate
        else frame["numerator"]
    )
    frame["value"] = frame["numerator"] / frame["denominator"] * measure.multiplier
    return frame[["area_code", "iz", "period", "numerator", "denominator", "value"]]


def _scale_to_iz(frame: pd.DataFrame, measure: SyntheticMeasure) -> pd.DataFrame:
    """Scale the shape so each IZ-year's summed numerator matches the real IZ value.

    Capped measures (percentages) are rescaled until they converge: capping one DZ moves its excess to
    the others in the IZ.
    """
    keys = [frame["iz"], frame["period"]]
    target = (
        frame["iz_value"] / measure.multiplier * frame.groupby(keys)["denominator"].transform("sum")
    )
    rate = frame["shape"].copy()
    cap = None if measure.max_rate is None else measure.max_rate / measure.multiplier
    for _ in range(200):
        expected = (rate * frame["denominator"]).groupby(keys).transform("sum")
        if (expected - target).abs().max() < 1e-6:
            break
        rate = rate * (target / expected).where(expected > 0, 0.0)
        if cap is not None:
            rate = rate.clip(upper=cap)
    frame = frame.assign(numerator=(rate * frame["denominator"]).fillna(0.0))
    return frame


def synthesise_cpop_measures(
    dz: DataZoneFrame,
    iz_outcomes: pd.DataFrame,
    *,
    measures: Sequence[SyntheticMeasure] = CPOP_SYNTHETIC_MEASURES,
    last_period: str = "2021/22",
    seed: int = SEED,
) -> dict[str, pd.DataFrame]:
    """Synthesise every measure, for the observed and imputed years (not CPOP's projections)."""
    rng = np.random.default_rng(seed)
    series = iz_outcomes[
        (iz_outcomes["Type"] != "Projected") & (iz_outcomes["Year"] <= last_period)
    ].rename(columns={"InterZone": "iz", "Year": "period"})
    result: dict[str, pd.DataFrame] = {}
    for measure in measures:
        values = series[series["Indicator"] == measure.name].dropna(subset=["value"])
        result[measure.name] = synthesise_measure(dz, measure, values, rng)
    return result


def iz_check(frame: pd.DataFrame, multiplier: float) -> pd.DataFrame:
    """Re-aggregate synthetic DZ rows to IZ: the figure the tests compare with the real IZ value."""
    sums = frame.groupby(["iz", "period"])[["numerator", "denominator"]].sum()
    return (sums["numerator"] / sums["denominator"] * multiplier).rename("value").reset_index()


def name_mapping(values: Mapping[str, str], names: Sequence[str]) -> dict[str, str]:
    """Pick the entries of ``values`` for ``names``, failing loudly on a missing one."""
    missing = [n for n in names if n not in values]
    if missing:
        raise KeyError(f"no catalogue code for {', '.join(missing)}")
    return {n: values[n] for n in names}
