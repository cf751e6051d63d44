"""The rules every imported observation obeys, checked on whole columns at once (no Django import).

Input: a layout's canonical frame and :class:`Lookups` (codes the database holds). Output: the frame
with database ids and parsed periods, ready to write, or the errors naming each offending row.
Rows of area types the user chose to skip are dropped first and counted per type.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cplan.indicators.errors import ErrorCollector
from cplan.indicators.layouts.base import is_blank
from cplan.indicators.periods import parse_period_column

AREA_TYPE_LENGTH = 3  # S12000033 → S12: the first three characters of a GSS code name its type

UNKNOWN_AREA = "unknown area code"
UNKNOWN_INDICATOR = "unknown indicator: not in the catalogue"
NEGATIVE_COUNT = "a count must not be negative"
NUMERATOR_ABOVE_DENOMINATOR = (
    "numerator is greater than denominator (the indicator is a proportion)"
)
LIMITS_REVERSED = "lower confidence limit is above the upper confidence limit"
UNKNOWN_KIND = "kind must be one of: {kinds}"
DUPLICATE = "repeats line {line}: the same indicator, area, period and breakdown"
AREA_TYPE_NOT_HELD = (
    "area type {prefix} is not held by the platform: "
    "name it in --skip-area-types to skip these rows"
)


@dataclass(frozen=True)
class IndicatorRef:
    id: int
    is_proportion: bool  # a percentage of a whole: its numerator cannot exceed its denominator


@dataclass(frozen=True)
class Lookups:
    indicators: Mapping[str, IndicatorRef]
    areas: Mapping[str, int]  # code or former code → area id
    held_area_types: frozenset[str]  # e.g. {"S92", "S08", "S12", "S02", "S01"}
    kinds: frozenset[str]


@dataclass
class Validated:
    frame: pd.DataFrame
    skipped_by_area_type: dict[str, int] = field(default_factory=dict)


def area_type(code: str) -> str:
    return code.strip().upper()[:AREA_TYPE_LENGTH]


def validate(
    frame: pd.DataFrame, lookups: Lookups, skip_area_types: frozenset[str], errors: ErrorCollector
) -> Validated:
    """Resolve codes and periods and check every rule; append row errors to ``errors``."""
    frame, skipped = _drop_skipped_area_types(frame, skip_area_types)
    lines = frame["line"]
    area_id = _resolve_areas(frame, lookups, errors)
    indicator_id, proportion = _resolve_indicators(frame, lookups, errors)
    periods = parse_period_column(frame["period"])
    errors.add_rows(
        periods.errors.notna() & ~is_blank(frame["period"]),
        lines,
        "period",
        frame["period"],
        periods.errors,
    )
    _check_numbers(frame, proportion, errors)
    kinds = frame["kind"]  # missing where a layout could not map it (already reported)
    unknown_kind = ~kinds.isin(lookups.kinds) & kinds.notna()
    allowed = ", ".join(sorted(lookups.kinds))
    errors.add_rows(unknown_kind, lines, "kind", kinds, UNKNOWN_KIND.format(kinds=allowed))
    resolved = pd.DataFrame(
        {
            "line": lines.to_numpy(),
            "indicator_id": indicator_id,
            "area_id": area_id,
            "period": periods.table["label"].to_numpy(),
            "period_start": periods.table["start"].to_numpy(),
            "period_end": periods.table["end"].to_numpy(),
            "breakdown": frame["breakdown"].to_numpy(),
            **{
                c: frame[c].to_numpy()
                for c in ["value", "numerator", "denominator", "lower_ci", "upper_ci"]
            },
            "kind": frame["kind"].to_numpy(),
            "provisional": frame["provisional"].to_numpy(dtype=bool),
        }
    )
    _check_duplicates(resolved, frame, errors)
    return Validated(frame=resolved, skipped_by_area_type=skipped)


def _drop_skipped_area_types(
    frame: pd.DataFrame, skip: frozenset[str]
) -> tuple[pd.DataFrame, dict[str, int]]:
    if not skip:
        return frame.reset_index(drop=True), {}
    types = pd.Series(_per_category(frame["area_code"], area_type), index=frame.index)
    skipped = types.isin(skip)
    counts = {str(k): int(v) for k, v in types[skipped].value_counts().items() if v}
    return frame[~skipped.to_numpy()].reset_index(drop=True), counts


def _resolve_areas(frame: pd.DataFrame, lookups: Lookups, errors: ErrorCollector) -> np.ndarray:
    codes = frame["area_code"]
    area_id = _per_category(codes, lambda code: lookups.areas.get(code.strip().upper()), np.nan)
    area_id = area_id.astype(float)
    unknown = pd.Series(np.isnan(area_id), index=frame.index) & ~is_blank(codes)
    if unknown.any():
        types = pd.Series(_per_category(codes, area_type), index=frame.index)
        held = types.isin(lookups.held_area_types)
        errors.add_rows(unknown & held, frame["line"], "area_code", codes, UNKNOWN_AREA)
        rules = types[unknown & ~held].map(lambda prefix: AREA_TYPE_NOT_HELD.format(prefix=prefix))
        errors.add_rows(unknown & ~held, frame["line"], "area_code", codes, rules)
    return area_id


def _resolve_indicators(
    frame: pd.DataFrame, lookups: Lookups, errors: ErrorCollector
) -> tuple[np.ndarray, np.ndarray]:
    codes = frame["indicator"]
    unknown_ref = IndicatorRef(id=-1, is_proportion=False)
    refs = {code: lookups.indicators.get(code.strip(), unknown_ref) for code in _categories(codes)}
    ids = _per_category(codes, lambda code: refs[code].id, -1).astype(float)
    ids[ids < 0] = np.nan
    unknown = pd.Series(np.isnan(ids), index=frame.index) & ~is_blank(codes)
    errors.add_rows(unknown, frame["line"], "indicator", codes, UNKNOWN_INDICATOR)
    proportion = _per_category(codes, lambda code: refs[code].is_proportion, False)
    return ids, proportion.astype(bool)


def _check_numbers(frame: pd.DataFrame, proportion: np.ndarray, errors: ErrorCollector) -> None:
    lines = frame["line"]
    for column in ("numerator", "denominator"):
        errors.add_rows(frame[column] < 0, lines, column, frame[column], NEGATIVE_COUNT)
    above = (frame["numerator"] > frame["denominator"]) & proportion
    errors.add_rows(above, lines, "numerator", frame["numerator"], NUMERATOR_ABOVE_DENOMINATOR)
    reversed_limits = frame["lower_ci"] > frame["upper_ci"]
    errors.add_rows(reversed_limits, lines, "lower_ci", frame["lower_ci"], LIMITS_REVERSED)


def _check_duplicates(resolved: pd.DataFrame, frame: pd.DataFrame, errors: ErrorCollector) -> None:
    key = ["indicator_id", "area_id", "period", "breakdown"]
    complete = resolved[key].notna().all(axis=1)
    candidates = resolved[complete]
    duplicate = candidates.duplicated(key)
    if not duplicate.any():
        return
    first = candidates.groupby(key, observed=True, sort=False)["line"].transform("first")
    described = (
        frame["indicator"].astype(str)
        + " "
        + frame["area_code"].astype(str)
        + " "
        + frame["period"].astype(str)
        + " "
        + frame["breakdown"].astype(str)
    )[candidates.index]
    rules = "repeats line " + first.astype(str) + ": the same indicator, area, period and breakdown"
    errors.add_rows(
        duplicate, candidates["line"], "indicator+area+period+breakdown", described, rules
    )


def _categories(series: pd.Series) -> list[str]:
    return [str(value) for value in series.astype("category").cat.categories]


def _per_category(
    series: pd.Series, function: Callable[[str], object], missing: object = None
) -> np.ndarray:
    """``function`` of each row's value, computed once per distinct value (series are categorical,
    with few distinct values); ``missing`` where the value is missing."""
    categorical = series.astype("category")
    results = np.empty(len(categorical.cat.categories) + 1, dtype=object)  # last: code -1
    results[:-1] = [function(str(value)) for value in categorical.cat.categories]
    results[-1] = missing
    taken: np.ndarray = results[categorical.cat.codes.to_numpy()]
    return taken
