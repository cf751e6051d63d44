"""Trends and progress: change from baseline, compound annual growth, direction of travel, CPOP's
traffic light, Open SDG progress status and commitment status — each with a sentence the UI can
show, using honest words for uncertainty.

Sources: Open SDG ``open-sdg/sdg-build: sdg/ProgressMeasure.py`` and ``open-sdg/open-sdg:
docs/progress-methodology.md`` (progress status); Improvement Service, Community Planning Outcomes
Profile (traffic light, improvement rate); Scottish Government, National Performance Framework
"criteria for change" (latest value against the average of the previous three); the commitment
rule (% complete against % of time elapsed) is METHODS §5. Formulas in ``docs/methods.md``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, TypedDict

import numpy as np
import numpy.typing as npt
import pandas as pd

from outcomes._grouping import group_codes, select_categories, select_words
from outcomes._validation import (
    PolarityArg,
    fail_where,
    polarity_array,
    require_columns,
    require_finite,
    require_rows,
    require_same_shape,
    require_unique_keys,
    to_float_array,
)
from outcomes.types import (
    CommitmentStatus,
    Direction,
    FloatArray,
    IntArray,
    Polarity,
    ProgressStatus,
    TrafficLight,
)

ToleranceKind = Literal["relative", "absolute"]

_YEAR = re.compile(r"(\d{4})")


def period_start_year(periods: npt.ArrayLike) -> IntArray:
    """The first year of each period label: ``"2014/15"`` → 2014, ``"2015-2017"`` → 2015, 2019 → 2019.

    Open SDG does the same with year ranges (``filter_data``: "take the first year in the range").
    """
    labels = np.asarray(periods).ravel().tolist()
    years = []
    for position, label in enumerate(labels):
        match = _YEAR.search(str(label))
        if match is None:
            raise ValueError(
                f"period at position {position} is {label!r}: it must contain a four-digit year"
            )
        years.append(int(match.group(1)))
    return np.asarray(years, dtype=np.int64)


@dataclass(frozen=True)
class Change:
    absolute: FloatArray
    relative_percent: FloatArray


def change_from_baseline(baseline: npt.ArrayLike, current: npt.ArrayLike) -> Change:
    """``current − baseline`` and ``(current / baseline − 1) × 100`` (baseline must not be 0)."""
    base = to_float_array(baseline, "baseline")
    now = to_float_array(current, "current value")
    require_same_shape(baseline=base, current=now)
    require_finite(base, "baseline")
    require_finite(now, "current value")
    fail_where(
        base == 0,
        field="baseline",
        values=base,
        rule="relative change from a baseline of 0 is undefined",
    )
    return Change(absolute=now - base, relative_percent=(now / base - 1) * 100)


def compound_annual_growth_rate(
    first: npt.ArrayLike, last: npt.ArrayLike, years: npt.ArrayLike
) -> FloatArray:
    """``CAGR = (y_t / y_0)^(1 / (t − t_0)) − 1`` (Open SDG ``growth_calculation``).

    Example (METHODS §5): 50 in 2015 → 55 in 2020 gives 0.0192449. Values must be non-zero and of
    the same sign; ``years`` (t − t_0) must be positive.
    """
    start = to_float_array(first, "first value")
    end = to_float_array(last, "last value")
    span = np.broadcast_to(to_float_array(years, "years"), start.shape)
    require_same_shape(first=start, last=end, years=span)
    for values, name in ((start, "first value"), (end, "last value"), (span, "years")):
        require_finite(values, name)
    fail_where(
        (start == 0) | (start * end <= 0),
        field="first value",
        values=start,
        rule="growth needs non-zero first and last values of the same sign",
    )
    fail_where(span <= 0, field="years", values=span, rule="must be greater than zero")
    growth: FloatArray = (end / start) ** (1 / span) - 1
    return growth


def direction_of_travel(
    baseline: npt.ArrayLike,
    current: npt.ArrayLike,
    *,
    polarity: Polarity,
    tolerance: float = 0.0,
    tolerance_kind: ToleranceKind = "relative",
    baseline_interval: tuple[npt.ArrayLike, npt.ArrayLike] | None = None,
    current_interval: tuple[npt.ArrayLike, npt.ArrayLike] | None = None,
) -> npt.NDArray[np.str_]:
    """Improving / maintaining / worsening, polarity-aware, with a stated tolerance.

    A change within ``tolerance`` (a fraction of the baseline when ``"relative"``, e.g. 0.02 = 2 %;
    in the measure's units when ``"absolute"``) is *maintaining*. When both 95 % intervals are
    given and they overlap, the answer is *no clear change*: the data cannot tell the two values
    apart. A missing value gives *insufficient data*.
    """
    base = to_float_array(baseline, "baseline")
    now = to_float_array(current, "current value")
    require_same_shape(baseline=base, current=now)
    if tolerance < 0:
        raise ValueError(f"tolerance is {tolerance}: it must be zero or more")
    if tolerance_kind not in ("relative", "absolute"):
        raise ValueError(f"tolerance_kind={tolerance_kind!r}: use 'relative' or 'absolute'")
    overlap = np.zeros(np.shape(base), dtype=bool)
    if baseline_interval is not None and current_interval is not None:
        base_low, base_high = (to_float_array(v, "baseline interval") for v in baseline_interval)
        now_low, now_high = (to_float_array(v, "current interval") for v in current_interval)
        overlap = (base_low <= now_high) & (now_low <= base_high)
    return select_words(
        _direction_conditions(base, now, int(polarity), tolerance, tolerance_kind, overlap),
        _DIRECTION_WORDS,
        Direction.WORSENING,
    )


_DIRECTION_WORDS = (
    Direction.INSUFFICIENT_DATA,
    Direction.NO_CLEAR_CHANGE,
    Direction.MAINTAINING,
    Direction.IMPROVING,
)


def _direction_conditions(
    base: FloatArray,
    now: FloatArray,
    sign: int | IntArray,
    tolerance: float,
    tolerance_kind: ToleranceKind,
    overlap: npt.NDArray[np.bool_],
) -> list[npt.NDArray[np.bool_]]:
    """Conditions for :data:`_DIRECTION_WORDS`, in order (worsening otherwise)."""
    change = now - base
    allowed = tolerance * np.abs(base) if tolerance_kind == "relative" else tolerance
    missing = ~np.isfinite(base) | ~np.isfinite(now)
    with np.errstate(invalid="ignore"):
        return [missing, overlap, np.abs(change) <= allowed, sign * change > 0]


def direction_against_recent_average(
    values: Sequence[float],
    *,
    polarity: Polarity,
    tolerance: float,
    window: int = 3,
) -> Direction:
    """NPF-style criterion: the latest value against the mean of the previous ``window`` values,
    within ± ``tolerance`` (absolute, in the measure's units) = maintaining.

    E.g. NPF economic growth: latest year against the average of the previous three, ±0.1
    percentage points. ``values`` are in time order; fewer than ``window + 1`` gives insufficient
    data.
    """
    series = to_float_array(values, "values").ravel()
    if series.size < window + 1 or not np.all(np.isfinite(series[-(window + 1) :])):
        return Direction.INSUFFICIENT_DATA
    reference = float(series[-(window + 1) : -1].mean())
    return Direction(
        str(
            direction_of_travel(
                reference,
                series[-1],
                polarity=polarity,
                tolerance=tolerance,
                tolerance_kind="absolute",
            )
        )
    )


def improvement_rate(first: npt.ArrayLike, last: npt.ArrayLike) -> FloatArray:
    """CPOP's improvement rate ``(v_last / v_first − 1) × 100`` (first value must not be 0)."""
    return change_from_baseline(first, last).relative_percent


@dataclass(frozen=True)
class TrafficLightResult:
    light: npt.NDArray[np.str_]
    improvement_rate: FloatArray
    comparator_improvement_rate: FloatArray


def cpop_traffic_light(
    *,
    value: npt.ArrayLike,
    first_value: npt.ArrayLike,
    comparator_value: npt.ArrayLike,
    comparator_first_value: npt.ArrayLike,
    polarity: Polarity,
) -> TrafficLightResult:
    """CPOP's traffic light for a CPP against a comparator (e.g. its family group or Scotland).

    Green when the latest value **and** the improvement rate are both better than the comparator's
    (polarity-aware); red when both are worse; amber otherwise (including ties).
    """
    rate = improvement_rate(first_value, value)
    comparator_rate = improvement_rate(comparator_first_value, comparator_value)
    now = to_float_array(value, "value")
    other = to_float_array(comparator_value, "comparator value")
    require_same_shape(value=now, comparator_value=other)
    sign = int(polarity)
    value_better = sign * (now - other)
    # The improvement rate is a relative change, so a rise is good only when high is good.
    rate_better = sign * (rate - comparator_rate)
    light = select_words(
        [(value_better > 0) & (rate_better > 0), (value_better < 0) & (rate_better < 0)],
        [TrafficLight.GREEN, TrafficLight.RED],
        TrafficLight.AMBER,
    )
    return TrafficLightResult(
        light=light, improvement_rate=rate, comparator_improvement_rate=comparator_rate
    )


#: Open SDG default thresholds (``get_progress_thresholds``): without and with a target.
SDG_THRESHOLDS_NO_TARGET: Mapping[str, float] = {"high": 0.015, "med": 0.005, "low": 0.0}
SDG_THRESHOLDS_TARGET: Mapping[str, float] = {"high": 0.95, "med": 0.6, "low": 0.0}


@dataclass(frozen=True)
class Progress:
    """Open SDG progress of one series: status, the figures behind it and a sentence."""

    status: ProgressStatus
    progress_value: float | None
    observed_growth: float | None
    required_growth: float | None
    base_year: int | None
    base_value: float | None
    current_year: int | None
    current_value: float | None
    sentence: str


def sdg_progress(
    years: Sequence[int] | npt.ArrayLike,
    values: Sequence[float] | npt.ArrayLike,
    *,
    polarity: Polarity,
    base_year: int = 2015,
    target: float | None = None,
    target_year: int = 2030,
    thresholds: Mapping[str, float] | None = None,
    measure: str = "This measure",
) -> Progress:
    """Open SDG progress status of one series, with and without a target.

    Follows ``sdg/ProgressMeasure.py``: missing values are dropped; the current year is the latest
    with data; the base year is ``base_year`` or the next year with data. Without a target,
    ``v = sign·d·CAGR`` against 0.015 / 0.005 / 0 (substantial / moderate / limited /
    deterioration). With a target: achieved if the current value is at or beyond it; else
    ``R = sign·d·CAGR_obs / |CAGR_req|``, ``CAGR_req = (target / y_0)^(1/(T − t_0)) − 1``, against
    0.95 / 0.6 / 0. ``d`` is the polarity, ``sign`` is −1 when the base value is negative. As in
    Open SDG, a base value or target of 0 is replaced by 0.001. No data → *no data*; one year, a
    base year after the latest data, or values that change sign → *insufficient data*.

    Examples (METHODS §5): 50 (2015) → 55 (2020), higher is better → CAGR 0.0192449, substantial
    progress; with target 80 in 2030 → CAGR_req 0.0318296, R 0.604621, moderate progress.
    """
    year_values = to_float_array(years, "years").ravel()
    series = to_float_array(values, "values").ravel()
    require_same_shape(years=year_values, values=series)
    present = np.isfinite(series)
    year_values, series = year_values[present], series[present]
    _require_distinct_years(year_values)
    if series.size == 0:
        return _progress(ProgressStatus.NO_DATA, measure, note="there are no data")
    current_year = int(year_values.max())
    current_value = float(series[year_values == current_year][0])
    after_base = year_values[year_values >= base_year]
    if after_base.size == 0 or current_year - int(after_base.min()) < 1:
        return _progress(
            ProgressStatus.INSUFFICIENT_DATA,
            measure,
            note=f"progress needs data in at least two years from {base_year}",
        )
    start_year = int(after_base.min())
    base_value = float(series[year_values == start_year][0])
    direction = int(polarity)
    figures = _Figures(
        base_year=start_year,
        base_value=base_value,
        current_year=current_year,
        current_value=current_value,
    )
    if target is not None and direction * (current_value - target) >= 0:
        return _progress(ProgressStatus.TARGET_ACHIEVED, measure, **figures)
    base_for_growth = 0.001 if base_value == 0 else base_value
    if base_for_growth * current_value < 0:
        return _progress(
            ProgressStatus.INSUFFICIENT_DATA,
            measure,
            note="growth is undefined when the values change sign",
            **figures,
        )
    sign = -1 if base_for_growth < 0 else 1
    observed = (current_value / base_for_growth) ** (1 / (current_year - start_year)) - 1
    if target is None:
        progress_value = sign * direction * observed
        limits, required = dict(thresholds or SDG_THRESHOLDS_NO_TARGET), None
    else:
        goal = 0.001 if target == 0 else target
        if target_year <= start_year:
            raise ValueError(f"target year {target_year} must be after the base year {start_year}")
        required = (goal / base_for_growth) ** (1 / (target_year - start_year)) - 1
        with np.errstate(divide="ignore"):
            progress_value = float(sign * direction * observed / np.float64(abs(required)))
        limits = dict(thresholds or SDG_THRESHOLDS_TARGET)
    return _progress(
        _status_from_value(progress_value, limits),
        measure,
        progress_value=progress_value,
        observed_growth=observed,
        required_growth=required,
        **figures,
    )


class _Figures(TypedDict):
    base_year: int
    base_value: float
    current_year: int
    current_value: float


def _require_distinct_years(years: FloatArray) -> None:
    unique, counts = np.unique(years, return_counts=True)
    if (counts > 1).any():
        raise ValueError(
            f"year {int(unique[counts > 1][0])} appears more than once: give one value per year"
        )


def _status_from_value(value: float, limits: Mapping[str, float]) -> ProgressStatus:
    if value >= limits["high"]:
        return ProgressStatus.SUBSTANTIAL
    if value >= limits["med"]:
        return ProgressStatus.MODERATE
    if value >= limits["low"]:
        return ProgressStatus.LIMITED
    return ProgressStatus.DETERIORATION


def _progress(
    status: ProgressStatus,
    measure: str,
    *,
    note: str = "",
    progress_value: float | None = None,
    observed_growth: float | None = None,
    required_growth: float | None = None,
    base_year: int | None = None,
    base_value: float | None = None,
    current_year: int | None = None,
    current_value: float | None = None,
) -> Progress:
    if status in (ProgressStatus.NO_DATA, ProgressStatus.INSUFFICIENT_DATA):
        sentence = f"{measure}: progress cannot be assessed because {note}."
    elif status == ProgressStatus.TARGET_ACHIEVED:
        sentence = (
            f"{measure} has reached its target: {current_value:,.1f} in {current_year}, "
            f"from {base_value:,.1f} in {base_year}."
        )
    else:
        growth = f"{observed_growth:+.1%} a year" if observed_growth is not None else ""
        sentence = (
            f"{measure} went from {base_value:,.1f} in {base_year} to {current_value:,.1f} in "
            f"{current_year} ({growth}): {status}."
        )
    return Progress(
        status=status,
        progress_value=progress_value,
        observed_growth=observed_growth,
        required_growth=required_growth,
        base_year=base_year,
        base_value=base_value,
        current_year=current_year,
        current_value=current_value,
        sentence=sentence,
    )


@dataclass(frozen=True)
class CommitmentProgress:
    status: CommitmentStatus
    performance: float | None
    percent_time_elapsed: float
    sentence: str


#: Performance (% complete / % of time elapsed × 100) at or above which a commitment is on track,
#: and at or below which it is off track (METHODS §5).
ON_TRACK_FROM = 90.0
OFF_TRACK_AT = 70.0


def commitment_status(
    *,
    start: date,
    end: date,
    as_of: date,
    percent_complete: float,
    title: str = "This commitment",
) -> CommitmentProgress:
    """On track / monitor / off track from % complete against % of the time elapsed.

    ``performance = % complete / % time elapsed × 100``: ≥ 90 on track, ≤ 70 off track, otherwise
    monitor; a completed commitment is on track; before its start date it is *not started yet*.
    Time elapsed is counted in days and capped at 100 % after the end date. Example (METHODS §5):
    2024-01-01 to 2024-12-31, on 2024-07-01 (49.863 % of the time), 40 % complete → 80.2, monitor.
    """
    if end <= start:
        raise ValueError(f"end date {end} must be after start date {start}")
    if not 0 <= percent_complete <= 100:
        raise ValueError(f"percent complete is {percent_complete}: it must be from 0 to 100")
    elapsed = min(max((as_of - start).days / (end - start).days, 0.0), 1.0) * 100
    performance = percent_complete / elapsed * 100 if elapsed > 0 else None
    if percent_complete == 100:
        status = CommitmentStatus.ON_TRACK
    elif performance is None:
        status = CommitmentStatus.NOT_STARTED
    elif performance >= ON_TRACK_FROM:
        status = CommitmentStatus.ON_TRACK
    elif performance <= OFF_TRACK_AT:
        status = CommitmentStatus.OFF_TRACK
    else:
        status = CommitmentStatus.MONITOR
    if percent_complete == 100:
        sentence = f"{title} is complete."
    elif performance is None:
        sentence = f"{title} starts on {start.day} {start:%B %Y}."
    else:
        sentence = (
            f"{title} is {percent_complete:g}% complete with {elapsed:.1f}% of its time gone "
            f"(performance {performance:.1f}): {status}."
        )
    return CommitmentProgress(
        status=status, performance=performance, percent_time_elapsed=elapsed, sentence=sentence
    )


def format_value(value: float, unit: str = "", decimals: int = 1) -> str:
    """``12.1%`` for percentages, ``500.0 per 100,000`` for other units, plain number otherwise."""
    number = f"{value:,.{decimals}f}"
    if unit == "%":
        return f"{number}%"
    return f"{number} {unit}" if unit else number


def describe_change(
    *,
    measure: str,
    baseline: float,
    current: float,
    baseline_period: str,
    unit: str = "",
    decimals: int = 1,
    direction: Direction | str | None = None,
    comparator_baseline: float | None = None,
    comparator_current: float | None = None,
    comparator_name: str = "similar areas",
    pace_tolerance: float = 0.1,
) -> str:
    """A plain-English sentence for a change since a baseline, optionally against a comparator.

    e.g. "Child poverty rose from 12.1% to 14.3% since 2014/15, faster than in similar areas."
    With ``direction`` *no clear change* the sentence says so rather than claiming a rise or fall.
    The pace is compared on relative change; within ``pace_tolerance`` (a fraction of the
    comparator's change) it is "about the same pace".
    """
    before = format_value(baseline, unit, decimals)
    after = format_value(current, unit, decimals)
    if direction == Direction.INSUFFICIENT_DATA:
        return (
            f"{measure}: there are not enough data to describe the change since {baseline_period}."
        )
    if direction == Direction.NO_CLEAR_CHANGE:
        return (
            f"{measure} was {before} in {baseline_period} and is {after} now: no clear change, "
            "given the uncertainty in the figures."
        )
    if round(current, decimals) == round(baseline, decimals):
        sentence = f"{measure} stayed at {after} since {baseline_period}"
    else:
        verb = "rose" if current > baseline else "fell"
        sentence = f"{measure} {verb} from {before} to {after} since {baseline_period}"
    if comparator_baseline is not None and comparator_current is not None:
        sentence += ", " + _pace(
            baseline,
            current,
            comparator_baseline,
            comparator_current,
            comparator_name,
            pace_tolerance,
        )
    return sentence + "."


def _pace(
    baseline: float,
    current: float,
    comparator_baseline: float,
    comparator_current: float,
    name: str,
    tolerance: float,
) -> str:
    own = _relative(baseline, current)
    other = _relative(comparator_baseline, comparator_current)
    if other == 0:
        return f"while it was unchanged in {name}"
    if own == 0:
        return f"while it {'rose' if other > 0 else 'fell'} in {name}"
    if np.sign(own) != np.sign(other):
        return f"while it {'rose' if other > 0 else 'fell'} in {name}"
    if abs(abs(own) - abs(other)) <= tolerance * abs(other):
        return f"at about the same pace as in {name}"
    return f"{'faster' if abs(own) > abs(other) else 'slower'} than in {name}"


def _relative(baseline: float, current: float) -> float:
    return (current - baseline) / abs(baseline) if baseline != 0 else current - baseline


def trend_table(
    data: pd.DataFrame,
    *,
    group_columns: Sequence[str],
    time_column: str,
    value_column: str,
    polarity: PolarityArg,
    baseline_time: float | None = None,
    tolerance: float = 0.0,
    tolerance_kind: ToleranceKind = "relative",
    lower_column: str | None = None,
    upper_column: str | None = None,
) -> pd.DataFrame:
    """Change since baseline, annual growth and direction for every series at once.

    ``data`` is long (one row per group and time; ``time_column`` numeric, see
    :func:`period_start_year`). For each group: the baseline is the value at ``baseline_time``
    (default: the group's first time with a value), the latest is the last time with a value.
    Returns the group columns and ``baseline_time``, ``baseline_value``, ``latest_time``,
    ``latest_value``, ``change``, ``relative_change`` (%), ``annual_growth`` (CAGR), ``direction``
    (with CIs overlapping → *no clear change* when ``lower_column``/``upper_column`` are given) and
    ``note`` (why a figure is missing). Missing values are skipped; a group with a single period or
    no value at the baseline has direction *insufficient data*.
    """
    interval = [c for c in (lower_column, upper_column) if c is not None]
    if len(interval) == 1:
        raise ValueError("give both lower_column and upper_column, or neither")
    require_columns(data, [*group_columns, time_column, value_column, *interval], "trend data")
    require_rows(data, "trend data")
    require_unique_keys(data, [*group_columns, time_column], "trend data")
    time = to_float_array(data[time_column].to_numpy(), time_column)
    fail_where(
        ~np.isfinite(time),
        field=time_column,
        values=data[time_column].to_numpy(),
        rule="time must be a number (convert '2014/15' with period_start_year)",
        labels=data.index,
    )
    sign = polarity_array(polarity, data)
    codes, keys = group_codes(data, group_columns)
    value = to_float_array(data[value_column].to_numpy(), value_column)
    rows = _in_group_and_time_order(np.flatnonzero(np.isfinite(value)), codes, time)
    group_of_row = codes[rows]
    starts = np.searchsorted(group_of_row, np.arange(len(keys)), side="left")
    ends = np.searchsorted(group_of_row, np.arange(len(keys)), side="right") - 1
    has_rows = ends >= starts
    last = rows[np.where(has_rows, ends, 0)]
    if baseline_time is None:
        first = rows[np.where(has_rows, starts, 0)]
        has_baseline = has_rows
    else:
        first, has_baseline = _rows_at_time(rows, group_of_row, time, baseline_time, len(keys))
    usable = has_baseline & has_rows & (time[last] > time[first])
    result = keys.copy()
    result["baseline_time"] = np.where(usable, time[first], np.nan)
    result["baseline_value"] = np.where(usable, value[first], np.nan)
    result["latest_time"] = np.where(usable, time[last], np.nan)
    result["latest_value"] = np.where(usable, value[last], np.nan)
    base, latest = result["baseline_value"].to_numpy(), result["latest_value"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = latest / base
        span = result["latest_time"].to_numpy() - result["baseline_time"].to_numpy()
        growable = usable & (base != 0) & (ratio > 0)
        result["change"] = latest - base
        result["relative_change"] = np.where(usable & (base != 0), (ratio - 1) * 100, np.nan)
        result["annual_growth"] = np.where(growable, ratio ** (1 / span) - 1, np.nan)
    result["direction"] = _directions(
        data, result, usable, first, last, sign[last], tolerance, tolerance_kind, interval
    )
    result["note"] = select_categories(
        [~usable, usable & (base == 0), usable & ~growable],
        [
            "needs values in two periods (including the baseline)",
            "the baseline is 0, so relative change and growth are undefined",
            "the values change sign or reach 0, so annual growth is undefined",
        ],
        "",
    )
    return result


def _in_group_and_time_order(rows: IntArray, codes: IntArray, time: FloatArray) -> IntArray:
    """``rows`` sorted by group, then time; data already in that order is not sorted again."""
    group_step = np.diff(codes[rows])
    if np.all((group_step > 0) | ((group_step == 0) & (np.diff(time[rows]) > 0))):
        return rows
    ordered: IntArray = rows[np.lexsort((time[rows], codes[rows]))]
    return ordered


def _rows_at_time(
    rows: IntArray, group_of_row: IntArray, time: FloatArray, at: float, n_groups: int
) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """For each group, the row (from ``rows``) at time ``at`` and whether there is one."""
    found = np.zeros(n_groups, dtype=bool)
    chosen = np.zeros(n_groups, dtype=np.int64)
    match = time[rows] == at
    chosen[group_of_row[match]] = rows[match]
    found[group_of_row[match]] = True
    return chosen, found


def _directions(
    data: pd.DataFrame,
    result: pd.DataFrame,
    usable: npt.NDArray[np.bool_],
    first: IntArray,
    last: IntArray,
    sign: IntArray,
    tolerance: float,
    tolerance_kind: ToleranceKind,
    interval: Sequence[str],
) -> pd.Categorical[str]:
    base = np.where(usable, result["baseline_value"].to_numpy(), np.nan)
    latest = result["latest_value"].to_numpy()
    overlap = np.zeros(len(result), dtype=bool)
    if interval:
        low = to_float_array(data[interval[0]].to_numpy(), interval[0])
        high = to_float_array(data[interval[1]].to_numpy(), interval[1])
        overlap = usable & (low[first] <= high[last]) & (low[last] <= high[first])
    return select_categories(
        _direction_conditions(base, latest, sign, tolerance, tolerance_kind, overlap),
        _DIRECTION_WORDS,
        Direction.WORSENING,
    )
