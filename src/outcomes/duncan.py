"""The Duncan index of inequality between a CPP's communities, exactly as CPOP computes it.

Source: Improvement Service, CPOP, ``Duncan_Index/Final code for IGZ indicators.R`` (function
``dindex``; read for the idea, the code here is our own). For one council area, year and measure,
over its intermediate zones:

1. the index is missing when more than 20 % of the measure's values are missing;
2. order the zones by the measure, ascending, missing values last, ties kept in input order (R's
   ``order`` is stable and puts ``NA`` last);
3. ``a_k`` = cumulative share of the income-deprived people, ``b_k`` = cumulative share of the
   people who are not income-deprived, in that order;
4. ``DI = Σ_{k=1}^{N−1} a_k·b_{k+1} − Σ_{k=1}^{N−1} a_{k+1}·b_k`` (twice the signed area between
   the concentration curve and the diagonal).

The raw index is positive when income-deprived people live where the measure is low (e.g. low
attainment) and negative when they live where it is high (e.g. high crime); −1 ≤ DI ≤ 1. CPOP
reports change over time as ``|DI_last| / |DI_first| − 1`` (:func:`duncan_trend`).

Verified against CPOP's published ``Duncan_Index/DIData/Duncan index by FINALSep23.csv`` to 3e-14
for every council area, year (2010–2021) and measure: see ``tests/outcomes/published/README.md``.
The computation is vectorised: all areas, years and measures are done with one sort and cumulative
sums per measure, no Python loop over groups.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from enum import StrEnum

import numpy as np
import numpy.typing as npt
import pandas as pd

from outcomes._validation import (
    fail_where,
    require_columns,
    require_rows,
    require_unique_keys,
    to_float_array,
)
from outcomes.types import FloatArray, IntArray

#: CPOP leaves the index missing when more than this share of the zones have no value.
MAX_MISSING_SHARE = 0.2


class DuncanStatus(StrEnum):
    OK = "ok"
    TOO_MANY_MISSING = "more than 20% of values missing"
    NO_POPULATION = "no income-deprived or no other people"
    TOO_FEW_AREAS = "fewer than two areas"


def duncan_index(
    measure: npt.ArrayLike,
    income_deprived: npt.ArrayLike,
    not_income_deprived: npt.ArrayLike,
    *,
    max_missing_share: float = MAX_MISSING_SHARE,
) -> float:
    """The Duncan index of one area: ``measure`` and the two populations of each of its zones.

    Returns NaN (CPOP's ``NA``) when more than ``max_missing_share`` of the measure is missing.
    Raises ``ValueError`` for arrays of different lengths, fewer than two zones, negative or
    missing populations, or a population group that sums to zero.
    """
    value = to_float_array(measure, "measure")
    y = to_float_array(income_deprived, "income_deprived")
    x = to_float_array(not_income_deprived, "not_income_deprived")
    if not (value.shape == y.shape == x.shape) or value.ndim != 1:
        raise ValueError(
            f"inputs must be 1-d and of one length: measure {value.shape}, "
            f"income_deprived {y.shape}, not_income_deprived {x.shape}"
        )
    if value.size < 2:
        raise ValueError(f"the Duncan index needs at least two zones; got {value.size}")
    _check_population(y, "income_deprived")
    _check_population(x, "not_income_deprived")
    if y.sum() <= 0 or x.sum() <= 0:
        raise ValueError("income_deprived and not_income_deprived must each sum to more than zero")
    if np.isnan(value).mean() > max_missing_share:
        return float("nan")
    order = np.lexsort((value, np.isnan(value)))  # stable; missing last
    a = np.cumsum(y[order]) / y.sum()
    b = np.cumsum(x[order]) / x.sum()
    return float(np.sum(a[:-1] * b[1:]) - np.sum(a[1:] * b[:-1]))


def _check_population(values: FloatArray, field: str, labels: pd.Index | None = None) -> None:
    fail_where(
        ~np.isfinite(values) | (values < 0),
        field=field,
        values=values,
        rule="must be a finite, non-negative number of people",
        labels=labels,
    )


def duncan_table(
    data: pd.DataFrame,
    *,
    measures: Sequence[str],
    area_of: Mapping[str, Hashable] | pd.Series,
    zone_column: str = "InterZone",
    year_column: str = "year",
    income_deprived: str = "income_deprived",
    not_income_deprived: str = "not_income_deprived",
    max_missing_share: float = MAX_MISSING_SHARE,
) -> pd.DataFrame:
    """The Duncan index for every area × year × measure of a wide table of zones.

    ``data`` has one row per zone and year with the two population columns and one column per
    measure; ``area_of`` maps each zone code to its area (council area / CPP). Returns a long frame
    ``area, year, measure, duncan_index, zones, missing, status``; where the index is missing the
    ``status`` says why (:class:`DuncanStatus`). Bad input (missing columns, repeated zone-years,
    negative or missing populations, zones without an area) raises ``ValueError``.
    """
    require_columns(
        data, [zone_column, year_column, income_deprived, not_income_deprived, *measures]
    )
    require_rows(data, "Duncan index data")
    if not measures:
        raise ValueError("choose at least one measure")
    require_unique_keys(data, [zone_column, year_column], "Duncan index data")
    areas = data[zone_column].map(pd.Series(area_of) if isinstance(area_of, Mapping) else area_of)
    fail_where(
        areas.isna().to_numpy(),
        field=zone_column,
        values=data[zone_column].to_numpy(),
        rule="the zone has no area in the map given",
        labels=data.index,
    )
    y = to_float_array(data[income_deprived].to_numpy(), income_deprived)
    x = to_float_array(data[not_income_deprived].to_numpy(), not_income_deprived)
    _check_population(y, income_deprived, data.index)
    _check_population(x, not_income_deprived, data.index)

    keys = pd.DataFrame({"area": areas.to_numpy(), "year": data[year_column].to_numpy()})
    group = keys.groupby(["area", "year"], sort=True).ngroup().to_numpy().astype(np.int64)
    table = keys.drop_duplicates().sort_values(["area", "year"]).reset_index(drop=True)
    n_groups = len(table)
    sizes = np.bincount(group, minlength=n_groups).astype(np.int64)
    y_total = np.bincount(group, weights=y, minlength=n_groups).astype(np.float64)
    x_total = np.bincount(group, weights=x, minlength=n_groups).astype(np.float64)

    frames = []
    for measure in measures:
        value = to_float_array(data[measure].to_numpy(), measure)
        fail_where(
            np.isinf(value), field=measure, values=value, rule="must be finite", labels=data.index
        )
        index, missing = _grouped_index(value, y, x, group, n_groups, y_total, x_total)
        status = np.select(
            [
                sizes < 2,
                (y_total <= 0) | (x_total <= 0),
                missing / np.maximum(sizes, 1) > max_missing_share,
            ],
            [
                DuncanStatus.TOO_FEW_AREAS.value,
                DuncanStatus.NO_POPULATION.value,
                DuncanStatus.TOO_MANY_MISSING.value,
            ],
            DuncanStatus.OK.value,
        )
        frames.append(
            table.assign(
                measure=measure,
                duncan_index=np.where(status == DuncanStatus.OK.value, index, np.nan),
                zones=sizes,
                missing=missing.astype(np.int64),
                status=status,
            )
        )
    return pd.concat(frames, ignore_index=True)


def _grouped_index(
    value: FloatArray,
    y: FloatArray,
    x: FloatArray,
    group: IntArray,
    n_groups: int,
    y_total: FloatArray,
    x_total: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """DI for every group at once: one stable sort by (group, missing last, value)."""
    is_missing = np.isnan(value)
    order = np.lexsort((value, is_missing, group))
    g = group[order]
    with np.errstate(invalid="ignore", divide="ignore"):
        a = _grouped_cumsum(y[order], g) / y_total[g]
        b = _grouped_cumsum(x[order], g) / x_total[g]
    same = g[1:] == g[:-1]  # consecutive pairs within one group
    forward = np.where(same, a[:-1] * b[1:], 0.0)
    backward = np.where(same, a[1:] * b[:-1], 0.0)
    index = np.bincount(g[1:], weights=forward, minlength=n_groups) - np.bincount(
        g[1:], weights=backward, minlength=n_groups
    )
    missing = np.bincount(group, weights=is_missing.astype(np.float64), minlength=n_groups)
    return index.astype(np.float64), missing.astype(np.float64)


def _grouped_cumsum(values: FloatArray, sorted_group: IntArray) -> FloatArray:
    """Cumulative sum restarting at each group (summed within the group, so no cancellation)."""
    sums = pd.Series(values).groupby(sorted_group, sort=False).cumsum()
    result: FloatArray = np.asarray(sums.to_numpy(), dtype=np.float64)
    return result


def duncan_trend(
    table: pd.DataFrame, *, first_year: int | str, last_year: int | str
) -> pd.DataFrame:
    """CPOP's trend of the Duncan index: ``|DI_last| / |DI_first| − 1`` per area and measure.

    Positive means inequality between communities has grown. Missing (with a ``status``) where
    either index is missing or the first is zero.
    """
    require_columns(table, ["area", "year", "measure", "duncan_index"], "Duncan index table")
    wide = table.pivot_table(
        index=["area", "measure"], columns="year", values="duncan_index", dropna=False
    )
    for year in (first_year, last_year):
        if year not in wide.columns:
            raise ValueError(f"the Duncan index table has no year {year!r}")
    first = wide[first_year].to_numpy(dtype=np.float64)
    last = wide[last_year].to_numpy(dtype=np.float64)
    out = wide.index.to_frame(index=False)
    out = out.assign(first_year=first_year, last_year=last_year)
    out["first"], out["last"] = first, last
    ok = np.isfinite(first) & np.isfinite(last) & (first != 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["trend"] = np.where(ok, np.abs(last) / np.abs(first) - 1.0, np.nan)
    out["status"] = np.where(ok, "ok", "insufficient data")
    return out
