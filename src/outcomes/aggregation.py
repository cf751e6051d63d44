"""Aggregation from small areas to any grouping, and small-number suppression for publication.

Rates are never averaged: numerators and denominators are summed and the rate of the group is
recomputed from the sums (ScotPHO ``main_analysis.R`` aggregates counts up the geography the same
way). Where only rates exist, the population-weighted mean is the nearest honest equivalent.

A *mapping* says which group(s) each area belongs to: a ``Mapping``/``Series`` from area code to
group code (data zone → intermediate zone, → council area, → Scotland), or a data frame
``(area, group[, level, …])`` for many-to-many memberships (a locality is any set of areas;
several levels can be aggregated in one pass by stacking their mappings). Areas are matched on
codes, never names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from outcomes._grouping import fits_dense, group_codes, number_values
from outcomes._validation import (
    frame_column,
    report_duplicates,
    require_columns,
    require_rows,
)
from outcomes.types import FloatArray, IntArray

AREA = "area"
GROUP = "group"
NUMERATOR = "numerator"
DENOMINATOR = "denominator"

AreaMapping = Mapping[str, str] | pd.Series | pd.DataFrame


def mapping_frame(mapping: AreaMapping, *, area_column: str = AREA) -> pd.DataFrame:
    """The mapping as a de-duplicated frame ``(area_column, "group", …extra columns)``."""
    if isinstance(mapping, pd.DataFrame):
        require_columns(mapping, [area_column, GROUP], "area mapping")
        frame = mapping
    elif isinstance(mapping, pd.Series):
        frame = pd.DataFrame({area_column: mapping.index, GROUP: mapping.to_numpy()})
    else:
        frame = pd.DataFrame({area_column: list(mapping), GROUP: list(mapping.values())})
    missing = frame[GROUP].isna().to_numpy()
    if missing.any():
        area = frame[area_column].iloc[int(np.flatnonzero(missing)[0])]
        raise ValueError(f"area mapping gives no group for area {area!r}: every area needs a group")
    return frame.drop_duplicates().reset_index(drop=True)


def level_mapping(
    lookup: pd.DataFrame, *, area_column: str, group_columns: Sequence[str]
) -> pd.DataFrame:
    """Stack several levels of a look-up (e.g. data zone → IZ, council, Scotland) into one mapping.

    ``lookup`` has one row per area with a column per level; the result has ``(area_column,
    "group", "level")`` so one call to :func:`aggregate_counts` produces every level.
    """
    require_columns(lookup, [area_column, *group_columns], "look-up")
    parts = [
        pd.DataFrame(
            {
                area_column: lookup[area_column].to_numpy(),
                GROUP: lookup[level].to_numpy(),
                "level": level,
            }
        )
        for level in group_columns
    ]
    return pd.concat(parts, ignore_index=True)


def aggregate_counts(
    data: pd.DataFrame,
    mapping: AreaMapping,
    *,
    by: Sequence[str] = ("indicator", "period"),
    area_column: str = AREA,
    sum_columns: Sequence[str] = (NUMERATOR, DENOMINATOR),
    unmapped: Literal["error", "drop"] = "error",
) -> pd.DataFrame:
    """Sum numerators and denominators from areas to groups, for every combination of ``by``.

    ``data`` is long: one row per area and ``by`` combination (indicator, period, breakdown, …).
    Returns one row per group and ``by`` combination with the summed ``sum_columns``,
    ``n_areas`` (areas that contributed) and ``expected_areas`` (areas the mapping puts in the
    group) and ``complete`` (every mapped area contributed — a group with missing areas is
    under-counted, so check ``complete`` before publishing). Extra mapping columns (e.g. ``level``)
    are carried through. Rows come out sorted by the group (and any extra mapping columns), then by
    the ``by`` columns.

    The sums are ``numpy.bincount`` over integer codes, so the cost is linear in the rows.

    Raises ``ValueError`` when a column is missing, there are no rows, a count is negative or
    missing, an area appears twice for the same ``by`` combination, or (with ``unmapped="error"``)
    an area is not in the mapping.
    """
    require_columns(data, [area_column, *by, *sum_columns], "data to aggregate")
    require_rows(data, "data to aggregate")
    values = [frame_column(data, column, rule="non-negative") for column in sum_columns]
    area_codes, areas = number_values(data[area_column])
    by_codes, by_keys = group_codes(data, by)
    _require_one_row_per_area(
        data, area_codes, len(areas), by_codes, len(by_keys), [area_column, *by]
    )
    links = mapping_frame(mapping, area_column=area_column)
    _check_unmapped(pd.Index(areas), links[area_column], unmapped)
    group_columns = [column for column in links.columns if column != area_column]
    link_group, groups = group_codes(links, group_columns)
    used, counts, totals = _layered_sums(
        _Codes(area_codes, len(areas), by_codes, len(by_keys)),
        pd.Index(areas).get_indexer(links[area_column]),
        link_group,
        len(groups),
        values,
    )
    result = pd.concat(
        [
            groups.iloc[used // len(by_keys)].reset_index(drop=True),
            by_keys.iloc[used % len(by_keys)].reset_index(drop=True),
        ],
        axis=1,
    )
    for column, total in zip(sum_columns, totals, strict=True):
        result[column] = total
    result["n_areas"] = counts
    result["expected_areas"] = np.bincount(link_group)[used // len(by_keys)]
    result["complete"] = result["n_areas"] == result["expected_areas"]
    return result


def _require_one_row_per_area(
    data: pd.DataFrame,
    area_codes: IntArray,
    n_areas: int,
    by_codes: IntArray,
    n_by: int,
    keys: Sequence[str],
) -> None:
    combined = area_codes * n_by + by_codes
    if np.all(combined[1:] > combined[:-1]):
        return  # sorted by area and key with none repeated (the usual layout): nothing to count
    if fits_dense(n_areas * n_by, len(data)):
        repeated = np.bincount(combined, minlength=n_areas * n_by)[combined] > 1
    else:
        compact, _ = pd.factorize(combined)
        repeated = np.bincount(compact)[compact] > 1
    report_duplicates(data, repeated, keys, "data to aggregate")


@dataclass(frozen=True)
class _Codes:
    """Integer codes of the data rows: their area and their ``by`` combination."""

    area: IntArray
    n_areas: int
    by: IntArray
    n_by: int


def _layered_sums(
    codes: _Codes,
    link_area: IntArray,
    link_group: IntArray,
    n_groups: int,
    values: list[FloatArray],
) -> tuple[IntArray, IntArray, list[FloatArray]]:
    """Sums per (group, ``by``) cell, over the mapping's links from areas to groups.

    The links are split into layers in which each area has at most one group (every area's
    first group, then every area's second group, …; a stacked level mapping gives one layer per
    level), so each layer is a plain many-to-one look-up over the data rows and no row is
    copied. Cells reached from several layers are added together at the end.
    """
    known = link_area >= 0
    link_area, link_group = link_area[known], link_group[known]
    layer = _occurrence(link_area)
    n_cells = n_groups * codes.n_by
    parts = []
    for number in range(int(layer.max(initial=-1)) + 1):
        chosen = layer == number
        group_of_area = np.full(codes.n_areas, -1, dtype=np.int64)
        group_of_area[link_area[chosen]] = link_group[chosen]
        row_group = group_of_area[codes.area]
        mapped = row_group >= 0
        if mapped.all():
            parts.append(_cell_sums(row_group * codes.n_by + codes.by, values, n_cells))
            continue
        rows = np.flatnonzero(mapped)
        cells = row_group[rows] * codes.n_by + codes.by[rows]
        parts.append(_cell_sums(cells, [column[rows] for column in values], n_cells))
    if not parts:  # no data area is in the mapping (all dropped)
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, [np.zeros(0) for _ in values]
    if len(parts) == 1:
        return parts[0]
    compact, occupied = pd.factorize(np.concatenate([part[0] for part in parts]), sort=True)
    counts = np.bincount(compact, np.concatenate([part[1] for part in parts]))
    totals = [
        np.asarray(
            np.bincount(compact, np.concatenate([part[2][i] for part in parts])), dtype=np.float64
        )
        for i in range(len(values))
    ]
    return np.asarray(occupied, dtype=np.int64), counts.astype(np.int64), totals


def _occurrence(values: IntArray) -> IntArray:
    """0 for the first time a value occurs, 1 for the second, … (in array order)."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    occurrence = np.empty(len(values), dtype=np.int64)
    occurrence[order] = np.arange(len(values)) - np.searchsorted(ordered, ordered, side="left")
    return occurrence


def _cell_sums(
    cells: IntArray, columns: list[FloatArray], n_cells: int
) -> tuple[IntArray, IntArray, list[FloatArray]]:
    """Sums of each column per occupied cell: dense ``bincount`` when the grid is small enough
    (memory bounded by the data), otherwise over hashed compact codes."""
    if fits_dense(n_cells, len(cells)):
        counts = np.bincount(cells, minlength=n_cells).astype(np.int64)
        used = np.flatnonzero(counts).astype(np.int64)
        totals = [
            np.asarray(np.bincount(cells, column, minlength=n_cells)[used], dtype=np.float64)
            for column in columns
        ]
        return used, counts[used], totals
    compact, occupied = pd.factorize(cells, sort=True)
    totals = [np.asarray(np.bincount(compact, column), dtype=np.float64) for column in columns]
    return np.asarray(occupied, dtype=np.int64), np.bincount(compact).astype(np.int64), totals


def weighted_mean(
    data: pd.DataFrame,
    mapping: AreaMapping,
    *,
    value_column: str = "rate",
    weight_column: str = "population",
    by: Sequence[str] = ("indicator", "period"),
    area_column: str = AREA,
    unmapped: Literal["error", "drop"] = "error",
) -> pd.DataFrame:
    """Population-weighted mean of a rate per group, for data that have no numerators.

    ``Σ w·r / Σ w`` over the group's areas; equals the rate of the summed counts when
    ``r = numerator/denominator`` and ``w`` is the denominator. Weights must be ≥ 0 and each group
    needs a positive total weight. Returns the group, ``by``, ``value_column`` (the mean),
    ``weight_column`` (the total weight), ``n_areas``, ``expected_areas`` and ``complete``.
    """
    require_columns(data, [area_column, *by, value_column, weight_column], "data to average")
    require_rows(data, "data to average")
    values = frame_column(data, value_column, rule="finite")
    weights = frame_column(data, weight_column, rule="non-negative")
    prepared = data[[area_column, *by]].assign(_weighted=values * weights, _weight=weights)
    summed = aggregate_counts(
        prepared,
        mapping,
        by=by,
        area_column=area_column,
        sum_columns=("_weighted", "_weight"),
        unmapped=unmapped,
    )
    empty = (summed["_weight"] <= 0).to_numpy()
    if empty.any():
        row = summed.iloc[int(np.flatnonzero(empty)[0])]
        raise ValueError(
            f"group {row[GROUP]!r} ({', '.join(f'{key}={row[key]!r}' for key in by)}) has a total "
            f"{weight_column} of 0: a weighted mean needs some weight"
        )
    summed[value_column] = summed["_weighted"] / summed["_weight"]
    return summed.rename(columns={"_weight": weight_column}).drop(columns="_weighted")


def _check_unmapped(areas: pd.Index, mapped: pd.Series, unmapped: str) -> None:
    if unmapped not in ("error", "drop"):
        raise ValueError(f"unmapped={unmapped!r}: use 'error' or 'drop'")
    if unmapped == "drop":
        return
    outside = ~np.asarray(areas.isin(mapped))
    if outside.any():
        missing = list(areas[outside])
        raise ValueError(
            f"{len(missing)} area code(s) are not in the mapping, e.g. {missing[:5]}: "
            "add them to the mapping or pass unmapped='drop'"
        )


@dataclass(frozen=True)
class Suppressed:
    """Publication-ready data and the record of what was suppressed and why."""

    data: pd.DataFrame
    cells: pd.DataFrame


def suppress_small_numbers(
    data: pd.DataFrame,
    *,
    count_columns: Sequence[str] = (NUMERATOR,),
    dependent_columns: Sequence[str] = (),
    threshold: float = 5,
    suppress_zero: bool = False,
) -> Suppressed:
    """Primary suppression of small counts for publication (statistical disclosure control).

    A row is suppressed when any of its ``count_columns`` is below ``threshold`` (and above zero
    unless ``suppress_zero``); its count columns and every ``dependent_columns`` figure derived
    from them (rate, confidence limits, …) become missing. The returned ``data`` gains a boolean
    ``suppressed`` column and a ``suppression_reason`` in words; ``cells`` lists every blanked cell
    (row label, column, reason). Secondary suppression — hiding a further cell so a suppressed one
    cannot be worked out from a total — depends on the table's layout and is not done here.
    """
    require_columns(data, [*count_columns, *dependent_columns], "data to suppress")
    if threshold <= 0:
        raise ValueError(f"threshold is {threshold}: it must be greater than zero")
    reasons: list[list[str]] = [[] for _ in range(len(data))]
    any_small = np.zeros(len(data), dtype=bool)
    for column in count_columns:
        counts = frame_column(data, column, rule="non-negative")
        small = (counts < threshold) & ((counts > 0) | suppress_zero)
        any_small |= small
        for position in np.flatnonzero(small):
            reasons[position].append(f"{column} is below {threshold:g} (disclosure control)")
    reason_text = np.array(["; ".join(parts) for parts in reasons], dtype=object)
    published = data.copy()
    blanked = [*count_columns, *dependent_columns]
    for column in blanked:
        published[column] = published[column].astype("float64")
        published.loc[any_small, column] = np.nan
    published["suppressed"] = any_small
    published["suppression_reason"] = reason_text
    rows = data.index[any_small]
    cells = pd.DataFrame(
        {
            "row": np.repeat(rows.to_numpy(), len(blanked)),
            "column": np.tile(blanked, len(rows)),
            "reason": np.repeat(reason_text[any_small], len(blanked)),
        }
    )
    return Suppressed(data=published, cells=cells)
