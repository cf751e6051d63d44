"""Inequality across deprivation quintiles or deciles: ranges, SII, RII and PAR, as ScotPHO computes
them, for thousands of groups at once; and whether inequality is narrowing over time.

Source: Public Health Scotland, ``scotpho-indicator-production``,
``functions/helper functions/calculate_inequality_measures.R`` and ``functions/deprivation_analysis.R``
(after Low & Low, "Measuring the gap: quantifying and comparing local health inequalities",
J Public Health 2004; 26:388–395). ``docs/methods.md`` §Inequality gives the formulas.

Direction conventions (stated once, used by every function here):

- quantile 1 is the **most deprived**, quantile ``k`` (5 or 10) the least deprived;
- the cumulative-population midpoint ``x`` runs from 0 (most deprived) to 1 (least deprived);
- **SII = −slope**, so the SII is **positive when the rate is higher in the most deprived areas**,
  whatever the measure's polarity. Absolute range ``r_1 − r_k`` follows the same sign;
- polarity only changes the *reading*: ``adverse_sii = −s·SII`` (``s = +1`` when a high value is
  good) is positive when the most deprived fare worse.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from outcomes._grouping import group_codes, select_categories, select_words
from outcomes._regression import fit_lines
from outcomes._validation import (
    PolarityArg,
    fail_where,
    polarity_array,
    require_columns,
    require_rows,
    to_float_array,
)
from outcomes.types import FloatArray, InequalityTrend, IntArray, Polarity

OK = "ok"
INSUFFICIENT = "insufficient data"

MEASURE_COLUMNS = (
    "total_population",
    "overall_rate",
    "most_deprived_rate",
    "least_deprived_rate",
    "absolute_range",
    "relative_range",
    "sii",
    "sii_lower",
    "sii_upper",
    "rii",
    "rii_lower",
    "rii_upper",
    "rii_int",
    "rii_int_lower",
    "rii_int_upper",
    "par",
    "par_percent",
)


@dataclass(frozen=True)
class InequalityResult:
    """Inequality measures for one set of quantiles (see :func:`inequality_table` for each field)."""

    status: str
    note: str
    overall_rate: float
    absolute_range: float
    relative_range: float
    sii: float
    sii_lower: float
    sii_upper: float
    rii: float
    rii_lower: float
    rii_upper: float
    rii_int: float
    par: float
    par_percent: float
    adverse_sii: float | None
    sentence: str


def quantile_inequality(
    rates: npt.ArrayLike,
    populations: npt.ArrayLike,
    *,
    overall_rate: float | None = None,
    polarity: Polarity | None = None,
    measure: str = "The rate",
    unit: str = "",
    confidence: float = 0.95,
) -> InequalityResult:
    """Inequality measures for one area and period from quantile rates (most deprived first).

    ``rates[i]`` and ``populations[i]`` belong to quantile ``i + 1``. Worked example (METHODS §3):
    rates 20, 18, 16, 14, 10 on populations 2000, 2100, 1900, 2050, 1950 give SII 11.94999
    (8.22928, 15.67071), RII 0.764066, PAR 36.0614 %.
    """
    rate_values = to_float_array(rates, "rates").ravel()
    population_values = to_float_array(populations, "populations").ravel()
    if rate_values.size != population_values.size:
        raise ValueError(
            f"rates and populations must have the same length: {rate_values.size} rates, "
            f"{population_values.size} populations"
        )
    frame = pd.DataFrame(
        {
            "quantile": np.arange(1, rate_values.size + 1),
            "rate": rate_values,
            "population": population_values,
        }
    )
    if overall_rate is not None:
        frame["overall"] = float(overall_rate)
    table = inequality_table(
        frame,
        group_columns=(),
        quantile_column="quantile",
        rate_column="rate",
        population_column="population",
        overall_rate_column=None if overall_rate is None else "overall",
        n_quantiles=rate_values.size,
        polarity=polarity,
        confidence=confidence,
    )
    row = table.iloc[0]
    adverse = float(row["adverse_sii"]) if polarity is not None else None
    return InequalityResult(
        status=str(row["status"]),
        note=str(row["note"]),
        overall_rate=float(row["overall_rate"]),
        absolute_range=float(row["absolute_range"]),
        relative_range=float(row["relative_range"]),
        sii=float(row["sii"]),
        sii_lower=float(row["sii_lower"]),
        sii_upper=float(row["sii_upper"]),
        rii=float(row["rii"]),
        rii_lower=float(row["rii_lower"]),
        rii_upper=float(row["rii_upper"]),
        rii_int=float(row["rii_int"]),
        par=float(row["par"]),
        par_percent=float(row["par_percent"]),
        adverse_sii=adverse,
        sentence=inequality_sentence(
            measure=measure,
            unit=unit,
            status=str(row["status"]),
            sii=float(row["sii"]),
            sii_lower=float(row["sii_lower"]),
            sii_upper=float(row["sii_upper"]),
            rii_int=float(row["rii_int"]),
            polarity=polarity,
        ),
    )


def inequality_table(
    data: pd.DataFrame,
    *,
    group_columns: Sequence[str],
    quantile_column: str = "quintile",
    rate_column: str = "rate",
    population_column: str = "denominator",
    overall_rate_column: str | None = None,
    n_quantiles: int = 5,
    polarity: PolarityArg | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """SII, RII, PAR and ranges for every group (e.g. area × indicator × period × quintile type).

    ``data`` has one row per group and quantile with the quantile's rate and population (the
    denominator). Returns one row per group, sorted by the group columns, with the group columns
    and: ``status`` (``"ok"``, or ``"insufficient data"`` when any of the ``n_quantiles`` is
    missing, has no population or no rate — only complete groups are modelled, as ScotPHO does),
    ``note`` (why a group or measure could not be computed; empty otherwise), ``total_population``,
    ``overall_rate`` (the ``overall_rate_column`` value, else the population-weighted mean of the
    quantile rates, which *is* the rate of the total for crude rates and percentages — pass the
    total for standardised rates), ``most_deprived_rate``, ``least_deprived_rate``,
    ``absolute_range = r_1 − r_k``, ``relative_range = r_1 / r_k``, ``sii`` with ``sii_lower`` /
    ``sii_upper`` (t-based, n − 2 df), ``rii = SII / overall rate`` with its interval, ``rii_int =
    RII × 50`` ("the most deprived are xx % above the average") with its interval, ``par_percent =
    S/(S+1)·100`` with ``S = Σ p_i (r_i / r_k − 1)`` and ``par = r_k·S`` (the absolute excess, in
    rate units); with a ``polarity``: ``polarity`` and ``adverse_sii`` / ``adverse_rii`` (positive
    when the most deprived fare worse).

    Raises ``ValueError`` for structural errors: missing columns, no rows, quantiles outside
    1..n_quantiles or not whole numbers, a quantile repeated within a group, negative or missing
    populations, infinite rates, an overall rate that differs within a group.
    """
    if n_quantiles < 3:
        raise ValueError(
            f"n_quantiles is {n_quantiles}: at least 3 quantiles are needed to fit the SII with a "
            "confidence interval (n − 2 degrees of freedom)"
        )
    columns = [*group_columns, quantile_column, rate_column, population_column]
    if overall_rate_column is not None:
        columns.append(overall_rate_column)
    if isinstance(polarity, str) and polarity in data.columns:
        columns.append(polarity)
    require_columns(data, columns, "inequality data")
    require_rows(data, "inequality data")
    quantile = _quantiles(data, quantile_column, n_quantiles)
    rate = to_float_array(data[rate_column].to_numpy(), rate_column)
    fail_where(
        np.isinf(rate),
        field=rate_column,
        values=rate,
        rule="a rate must be finite",
        labels=data.index,
    )
    population = to_float_array(data[population_column].to_numpy(), population_column)
    fail_where(
        ~np.isfinite(population) | (population < 0),
        field=population_column,
        values=population,
        rule="a population must be a number, zero or more",
        labels=data.index,
    )
    codes, keys = group_codes(data, group_columns)
    _require_each_quantile_once(data, codes, quantile, quantile_column)

    usable = (population > 0) & np.isfinite(rate)
    complete = np.bincount(codes, usable, minlength=len(keys)) == n_quantiles
    result = keys.copy()
    result["n_quantiles"] = np.bincount(codes, usable, minlength=len(keys)).astype(np.int64)
    result["status"] = select_categories([complete], [OK], INSUFFICIENT)
    result["note"] = ""
    for column in MEASURE_COLUMNS:
        result[column] = np.nan

    rows = np.flatnonzero(complete[codes])
    order = rows[np.lexsort((quantile[rows], codes[rows]))]
    groups = np.flatnonzero(complete)
    shape = (groups.size, n_quantiles)
    overall = None
    if overall_rate_column is not None:
        overall = _overall_per_group(data, overall_rate_column, order, shape)
    measures, notes = _measures(
        rate[order].reshape(shape), population[order].reshape(shape), overall, confidence
    )
    for column, values in measures.items():
        result.loc[groups, column] = values
    result.loc[groups, "note"] = notes
    incomplete = np.flatnonzero(~complete)
    if incomplete.size:
        result.loc[incomplete, "note"] = _incomplete_notes(
            codes, quantile, population, rate, incomplete, n_quantiles
        )
    if polarity is not None:
        first_row = np.unique(codes, return_index=True)[1]
        sign = polarity_array(polarity, data)[first_row].astype(np.float64)
        result["polarity"] = sign.astype(np.int64)
        result["adverse_sii"] = -sign * result["sii"].to_numpy()
        result["adverse_rii"] = -sign * result["rii"].to_numpy()
    return result


def _quantiles(data: pd.DataFrame, column: str, n_quantiles: int) -> IntArray:
    values = to_float_array(data[column].to_numpy(), column)
    bad = ~np.isfinite(values) | (values != np.round(values))
    bad |= (values < 1) | (values > n_quantiles)
    fail_where(
        bad,
        field=column,
        values=data[column].to_numpy(),
        rule=f"must be a whole number from 1 (most deprived) to {n_quantiles} (least deprived)",
        labels=data.index,
    )
    return values.astype(np.int64)


def _require_each_quantile_once(
    data: pd.DataFrame, codes: IntArray, quantile: IntArray, column: str
) -> None:
    combined = codes * (int(quantile.max()) + 1) + quantile
    _, first_index, counts = np.unique(combined, return_index=True, return_counts=True)
    repeated = np.zeros(len(data), dtype=bool)
    repeated[first_index[counts > 1]] = True
    fail_where(
        repeated,
        field=column,
        values=quantile,
        rule="this quantile appears more than once in its group; give one row per quantile",
        labels=data.index,
    )


def _overall_per_group(
    data: pd.DataFrame, column: str, order: IntArray, shape: tuple[int, int]
) -> FloatArray:
    values = to_float_array(data[column].to_numpy(), column)[order].reshape(shape)
    differs = np.any(values != values[:, :1], axis=1) | ~np.isfinite(values[:, 0])
    fail_where(
        np.repeat(differs, shape[1]),
        field=column,
        values=values.ravel(),
        rule="the overall rate must be a finite number, the same on every row of its group",
        labels=data.index[order],
    )
    first: FloatArray = values[:, 0]
    return first


def _measures(
    rate: FloatArray, population: FloatArray, overall: FloatArray | None, confidence: float
) -> tuple[dict[str, FloatArray], list[str]]:
    """All measures for complete groups: one row of ``rate``/``population`` per group."""
    n_groups, k = rate.shape
    total = population.sum(axis=1)
    share = population / total[:, None]
    midpoint = np.cumsum(share, axis=1) - share / 2
    codes = np.repeat(np.arange(n_groups), k)
    fit = fit_lines(codes, midpoint.ravel(), rate.ravel(), share.ravel(), n_groups)
    half_width = fit.t_quantile(confidence) * fit.slope_se
    sii = -fit.slope
    weighted_mean = (share * rate).sum(axis=1)
    overall_rate = weighted_mean if overall is None else overall
    most, least = rate[:, 0], rate[:, -1]
    notes = [""] * n_groups
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rii = np.where(sii == 0, 0.0, sii / overall_rate)
        rii_bounds = np.sort(
            np.stack([(sii - half_width) / overall_rate, (sii + half_width) / overall_rate]), axis=0
        )
        rii_bounds = np.where(sii == 0, 0.0, rii_bounds)
        s = (share * (rate / least[:, None] - 1)).sum(axis=1)
        par_percent = s / (s + 1) * 100
        relative_range = most / least
    for group in np.flatnonzero((overall_rate == 0) & (sii != 0)):
        notes[group] = "the overall rate is 0, so the RII is undefined"
    for group in np.flatnonzero(least == 0):
        notes[group] = _join(
            notes[group],
            "the least deprived rate is 0, so the relative range and PAR are undefined",
        )
    par_percent = np.where(least == 0, np.nan, par_percent)
    relative_range = np.where(least == 0, np.nan, relative_range)
    rii = np.where((overall_rate == 0) & (sii != 0), np.nan, rii)
    rii_bounds = np.where((overall_rate == 0) & (sii != 0), np.nan, rii_bounds)
    measures = {
        "total_population": total,
        "overall_rate": overall_rate,
        "most_deprived_rate": most,
        "least_deprived_rate": least,
        "absolute_range": most - least,
        "relative_range": relative_range,
        "sii": sii,
        "sii_lower": sii - half_width,
        "sii_upper": sii + half_width,
        "rii": rii,
        "rii_lower": rii_bounds[0],
        "rii_upper": rii_bounds[1],
        "rii_int": rii * 50,
        "rii_int_lower": rii_bounds[0] * 50,
        "rii_int_upper": rii_bounds[1] * 50,
        "par": np.where(least == 0, np.nan, least * s),
        "par_percent": par_percent,
    }
    return measures, notes


def _incomplete_notes(
    codes: IntArray,
    quantile: IntArray,
    population: FloatArray,
    rate: FloatArray,
    groups: IntArray,
    n_quantiles: int,
) -> list[str]:
    """Say, for each incomplete group, which quantiles are missing or unusable."""
    position = np.full(int(codes.max()) + 1, -1)
    position[groups] = np.arange(groups.size)
    rows = np.flatnonzero(position[codes] >= 0)
    cell = (position[codes[rows]], quantile[rows] - 1)
    shape = (groups.size, n_quantiles)
    present, no_population, no_rate = (np.zeros(shape, dtype=bool) for _ in range(3))
    present[cell] = True
    no_population[cell] = population[rows] <= 0
    no_rate[cell] = ~np.isfinite(rate[rows])
    return [
        _incomplete_note(n_quantiles, *flags)
        for flags in zip(~present, no_population, no_rate, strict=True)
    ]


def _incomplete_note(
    n_quantiles: int,
    missing: npt.NDArray[np.bool_],
    no_population: npt.NDArray[np.bool_],
    no_rate: npt.NDArray[np.bool_],
) -> str:
    labels = np.arange(1, n_quantiles + 1)
    parts = []
    for flags, words in (
        (missing, "no row for"),
        (no_population, "no population in"),
        (no_rate, "no rate for"),
    ):
        if flags.any():
            parts.append(f"{words} quantile(s) {labels[flags].tolist()}")
    return f"all {n_quantiles} quantiles are needed: " + "; ".join(parts)


def _join(first: str, second: str) -> str:
    return f"{first}; {second}" if first else second


def inequality_sentence(
    *,
    measure: str,
    unit: str,
    status: str,
    sii: float,
    sii_lower: float,
    sii_upper: float,
    rii_int: float,
    polarity: Polarity | None,
) -> str:
    """One plain-English reading of an SII, honest about its confidence interval."""
    if status != OK:
        return f"{measure}: there are not enough data across the deprivation quintiles to measure inequality."
    interval = f"95% CI {sii_lower:.1f} to {sii_upper:.1f}"
    if sii_lower <= 0 <= sii_upper:
        return (
            f"{measure}: no clear gap between the most and least deprived areas "
            f"(slope index of inequality {sii:.1f}{unit}, {interval})."
        )
    higher = "higher" if sii > 0 else "lower"
    sentence = (
        f"{measure} is {abs(sii):.1f}{unit} {higher} in the most deprived areas than in the least "
        f"deprived (slope index of inequality, {interval}); the most deprived are "
        f"{abs(rii_int):.0f}% {'above' if rii_int > 0 else 'below'} the average."
    )
    if polarity is not None:
        worse = (-int(polarity) * sii) > 0
        sentence += f" The most deprived areas fare {'worse' if worse else 'better'}."
    return sentence


def inequality_trend(
    table: pd.DataFrame,
    *,
    group_columns: Sequence[str],
    time_column: str,
    value_column: str = "sii",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Whether inequality (by default the SII) is narrowing, widening or showing no clear change.

    Our choice (documented in ``docs/methods.md``): for each group, an ordinary least-squares line
    of the SII on time over every period with status ``"ok"``; the trend is *clear* when the
    ``confidence`` interval of the slope (t distribution, n − 2 df) excludes zero. A clear trend
    towards zero from the fitted first-period value is **narrowing**, away from zero **widening**,
    and one whose fitted line crosses zero (the gap changes side) **reversed**. Fewer than three
    periods → **insufficient data**. Using every period, not just the first and last, keeps one
    unusual year from deciding the answer; the residual scatter carries the year-to-year noise.

    Returns one row per group: ``n_periods``, ``first_time``, ``last_time``, ``fitted_first``,
    ``fitted_last``, ``slope`` (change per unit of time) with ``slope_lower``/``slope_upper``,
    ``trend`` (an :class:`~outcomes.types.InequalityTrend` value) and ``sentence``.
    """
    require_columns(table, [*group_columns, time_column, value_column], "inequality trend data")
    require_rows(table, "inequality trend data")
    if "status" in table.columns:
        table = table[table["status"] == OK]
    time = to_float_array(table[time_column].to_numpy(), time_column)
    value = to_float_array(table[value_column].to_numpy(), value_column)
    fail_where(
        ~np.isfinite(time),
        field=time_column,
        values=table[time_column].to_numpy(),
        rule="time must be a number (e.g. the first year of '2014/15', see trends.period_start_year)",
        labels=table.index,
    )
    keep = np.isfinite(value)
    table, time, value = table[keep], time[keep], value[keep]
    codes, keys = group_codes(table, group_columns)
    fit = fit_lines(codes, time, value, np.ones_like(time), len(keys))
    half = fit.t_quantile(confidence) * fit.slope_se
    first_time = np.full(len(keys), np.inf)
    last_time = np.full(len(keys), -np.inf)
    np.minimum.at(first_time, codes, time)
    np.maximum.at(last_time, codes, time)
    fitted_first = fit.intercept + fit.slope * first_time
    fitted_last = fit.intercept + fit.slope * last_time
    trend = _trend_words(fit.n, fit.slope - half, fit.slope + half, fitted_first, fitted_last)
    result = keys.copy()
    result["n_periods"] = fit.n
    result["first_time"] = first_time
    result["last_time"] = last_time
    result["fitted_first"] = fitted_first
    result["fitted_last"] = fitted_last
    result["slope"] = fit.slope
    result["slope_lower"] = fit.slope - half
    result["slope_upper"] = fit.slope + half
    result["trend"] = trend
    result["sentence"] = [
        _trend_sentence(*row)
        for row in zip(
            trend,
            first_time,
            last_time,
            fitted_first,
            fitted_last,
            fit.slope - half,
            fit.slope + half,
            strict=True,
        )
    ]
    return result


def _trend_words(
    n: IntArray,
    lower: FloatArray,
    upper: FloatArray,
    fitted_first: FloatArray,
    fitted_last: FloatArray,
) -> npt.NDArray[np.str_]:
    clear = (lower > 0) | (upper < 0)
    towards_zero = np.sign(lower + upper) == -np.sign(fitted_first)
    crossed = np.sign(fitted_first) * np.sign(fitted_last) < 0
    return select_words(
        [n < 3, ~clear, crossed, towards_zero],
        [
            InequalityTrend.INSUFFICIENT_DATA,
            InequalityTrend.NO_CLEAR_CHANGE,
            InequalityTrend.REVERSED,
            InequalityTrend.NARROWING,
        ],
        InequalityTrend.WIDENING,
    )


def _trend_sentence(
    trend: str,
    first: float,
    last: float,
    fitted_first: float,
    fitted_last: float,
    lower: float,
    upper: float,
) -> str:
    if trend == InequalityTrend.INSUFFICIENT_DATA:
        return "There are not enough years with a complete set of quintiles to judge the trend in inequality."
    span = f"between {first:.0f} and {last:.0f}"
    ci = f"change per year 95% CI {lower:.2f} to {upper:.2f}"
    if trend == InequalityTrend.NO_CLEAR_CHANGE:
        return f"No clear change in inequality {span} ({ci})."
    return (
        f"Inequality {_PAST_TENSE[trend]} {span}: the fitted gap went from {fitted_first:.1f} "
        f"to {fitted_last:.1f} ({ci})."
    )


_PAST_TENSE: dict[str, str] = {
    InequalityTrend.NARROWING: "narrowed",
    InequalityTrend.WIDENING: "widened",
    InequalityTrend.REVERSED: "reversed (the gap changed side)",
}
