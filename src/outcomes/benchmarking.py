"""Benchmarking: ranks among all CPPs, family groups of similar CPPs (configured, or derived from
deprivation, rurality and population density), comparison with the family, and each community's
expected value given its deprivation.

Sources: Improvement Service, Local Government Benchmarking Framework (family groups of 8 councils
by deprivation and by population density; ranks 1–32 with 1 the best); CPOP ("similar CPPs" = the
deprivation family group). The expected-value regression is **our own addition** (METHODS §6),
described in ``docs/methods.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.cluster.vq import kmeans2

from outcomes._grouping import group_codes, select_categories
from outcomes._regression import fit_lines
from outcomes._validation import (
    PolarityArg,
    fail_where,
    polarity_array,
    require_columns,
    require_rows,
    require_unique_keys,
    to_float_array,
)
from outcomes.types import Expectation, FloatArray, IntArray, Judgement

#: Seed of the k-means start, fixed so the derived groups are reproducible.
FAMILY_GROUP_SEED = 2012


def rank_areas(
    data: pd.DataFrame,
    *,
    value_column: str,
    polarity: PolarityArg,
    group_columns: Sequence[str] = (),
    tie_method: Literal["min", "max", "average", "dense"] = "min",
) -> pd.DataFrame:
    """Rank areas within each group (e.g. indicator × period): rank 1 is the best, polarity-aware.

    Ties share a rank; with the default ``"min"`` ("competition" ranking, 1, 2, 2, 4) two areas
    tied for second are both 2nd. Areas without a value are not ranked (``rank`` is missing) and
    do not count in ``n_ranked``. Returns a copy with ``rank`` (nullable integer) and
    ``n_ranked``.
    """
    require_columns(data, [value_column, *group_columns], "data to rank")
    require_rows(data, "data to rank")
    value = to_float_array(data[value_column].to_numpy(), value_column)
    fail_where(
        np.isinf(value), field=value_column, values=value, rule="must be finite", labels=data.index
    )
    oriented = pd.Series(-polarity_array(polarity, data) * value, index=data.index)
    grouper = [data[column] for column in group_columns] if group_columns else np.zeros(len(data))
    ranked = data.copy()
    ranks = oriented.groupby(grouper, sort=False).rank(method=tie_method, ascending=True)
    ranked["rank"] = ranks.round().astype("Int64") if tie_method != "average" else ranks
    ranked["n_ranked"] = oriented.notna().groupby(grouper, sort=False).transform("sum").astype(int)
    return ranked


def family_groups_from_table(
    table: pd.DataFrame, *, area_column: str, group_column: str
) -> pd.Series:
    """Configured family groups (e.g. ``family_groups.csv``) as a Series area code → group."""
    require_columns(table, [area_column, group_column], "family group table")
    require_unique_keys(table, [area_column], "family group table")
    missing = table[group_column].isna().to_numpy()
    fail_where(
        missing,
        field=group_column,
        values=table[group_column].to_numpy(),
        rule="every area needs a family group",
        labels=table.index,
    )
    return pd.Series(
        table[group_column].to_numpy(), index=table[area_column].to_numpy(), name="family_group"
    )


def derive_family_groups(
    features: pd.DataFrame,
    *,
    n_groups: int = 4,
    method: Literal["banding", "kmeans"] = "banding",
    seed: int = FAMILY_GROUP_SEED,
) -> pd.Series:
    """Group similar areas from features such as deprivation, rurality and population density.

    ``features`` is indexed by area code with one numeric column per feature. Each feature is
    standardised (z-score), so no unit dominates.

    - ``"banding"`` (LGBF-style): areas are ordered by the mean of their z-scores and cut into
      ``n_groups`` groups of (near) equal size; group 1 has the lowest scores. With a single
      feature this is exactly LGBF's "4 groups of 8" banding; with several, make them point the
      same way (e.g. higher = more deprived, more rural, sparser).
    - ``"kmeans"``: k-means on the z-scores (``scipy.cluster.vq.kmeans2``, k-means++ start with a
      fixed ``seed``), so areas alike on all features group together even when the features do
      not point the same way; groups are numbered by their mean score, so labels are stable.

    Returns a Series area → group number (1..n_groups).
    """
    require_rows(features, "features")
    if not 2 <= n_groups <= len(features):
        raise ValueError(
            f"n_groups is {n_groups}: it must be at least 2 and at most the number of areas "
            f"({len(features)})"
        )
    scores = _standardised(features)
    composite = scores.mean(axis=1)
    if method == "banding":
        order = np.argsort(composite, kind="stable")
        labels = np.empty(len(features), dtype=np.int64)
        for number, members in enumerate(np.array_split(order, n_groups), start=1):
            labels[members] = number
    elif method == "kmeans":
        _, clusters = kmeans2(
            scores, n_groups, minit="++", seed=np.random.default_rng(seed), missing="raise"
        )
        means = np.bincount(clusters, composite, n_groups) / np.bincount(clusters, None, n_groups)
        rank_of_cluster = np.argsort(np.argsort(means, kind="stable"), kind="stable")
        labels = rank_of_cluster[clusters] + 1
    else:
        raise ValueError(f"method {method!r} is not known: use 'banding' or 'kmeans'")
    return pd.Series(labels, index=features.index, name="family_group")


def _standardised(features: pd.DataFrame) -> FloatArray:
    columns = []
    for column in features.columns:
        values = to_float_array(features[column].to_numpy(), str(column))
        fail_where(
            ~np.isfinite(values),
            field=str(column),
            values=values,
            rule="every area needs a value for each feature",
            labels=features.index,
        )
        spread = values.std()
        if spread == 0:
            raise ValueError(
                f"feature {column!r} is the same for every area, so it cannot group them"
            )
        columns.append((values - values.mean()) / spread)
    return np.column_stack(columns)


def compare_with_family(
    data: pd.DataFrame,
    family_groups: Mapping[str, int] | pd.Series,
    *,
    area_column: str = "area",
    value_column: str = "value",
    polarity: PolarityArg,
    by: Sequence[str] = ("indicator", "period"),
) -> pd.DataFrame:
    """Each area against its family group: the family mean, the area's rank in the family and
    whether it is better or worse than the family mean (polarity-aware).

    The family mean is the plain mean of the members' values (as LGBF's family averages); areas
    without a value are left out of it. Returns a copy with ``family_group``, ``family_mean``,
    ``family_size`` (members with a value), ``difference`` (value − family mean), ``family_rank``
    (1 = best) and ``compared`` (better / worse / the same as the family).
    """
    require_columns(data, [area_column, value_column, *by], "data to compare")
    require_rows(data, "data to compare")
    groups = pd.Series(family_groups) if not isinstance(family_groups, pd.Series) else family_groups
    missing = ~data[area_column].isin(groups.index).to_numpy()
    fail_where(
        missing,
        field=area_column,
        values=data[area_column].to_numpy(),
        rule="this area has no family group",
        labels=data.index,
    )
    compared = data.copy()
    compared["family_group"] = data[area_column].map(groups).to_numpy()
    keys = [compared[column] for column in [*by, "family_group"]]
    family = compared.groupby(keys, sort=False)[value_column]
    compared["family_mean"] = family.transform("mean")
    compared["family_size"] = family.transform("count").astype(int)
    compared["difference"] = compared[value_column] - compared["family_mean"]
    ranked = rank_areas(
        compared, value_column=value_column, polarity=polarity, group_columns=[*by, "family_group"]
    )
    compared["family_rank"] = ranked["rank"]
    oriented = polarity_array(polarity, data) * compared["difference"].to_numpy()
    compared["compared"] = select_categories(
        [oriented > 0, oriented < 0, np.isfinite(oriented)],
        [Judgement.BETTER, Judgement.WORSE, "the same"],
        "insufficient data",
    )
    return compared


def expected_given_deprivation(
    data: pd.DataFrame,
    *,
    deprivation_column: str,
    value_column: str,
    polarity: PolarityArg,
    by: Sequence[str] = ("indicator", "period"),
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Each community's expected value given its deprivation, and whether it fares better or worse.

    **Our own method** (METHODS §6). Within each ``by`` group (e.g. indicator × period), an
    ordinary least-squares line of the measure on deprivation (e.g. % income-deprived) across all
    of Scotland's intermediate zones; ``expected`` is the fitted value and ``expected_lower`` /
    ``expected_upper`` the ``confidence`` *prediction* interval for a single community,
    ``ŷ ± t(n−2) · s · √(1 + 1/n + (x − x̄)² / Sxx)``. A community outside that interval fares
    significantly better or worse than communities equally deprived (polarity-aware); inside it,
    *as expected*. Rows without a value, or groups with fewer than 3 communities, are
    *insufficient data*.

    Limits: a straight line (check the residuals if the relation curves); constant scatter at all
    levels of deprivation assumed; 5 % of communities fall outside a 95 % interval by chance.
    """
    require_columns(data, [deprivation_column, value_column, *by], "community data")
    require_rows(data, "community data")
    deprivation = to_float_array(data[deprivation_column].to_numpy(), deprivation_column)
    fail_where(
        ~np.isfinite(deprivation),
        field=deprivation_column,
        values=deprivation,
        rule="every community needs a deprivation value",
        labels=data.index,
    )
    value = to_float_array(data[value_column].to_numpy(), value_column)
    sign = polarity_array(polarity, data)
    codes, keys = group_codes(data, by)
    present = np.isfinite(value)
    fit = fit_lines(
        codes[present], deprivation[present], value[present], np.ones(int(present.sum())), len(keys)
    )
    expected = fit.predict(codes, deprivation)
    half = fit.t_quantile(confidence)[codes] * fit.prediction_se(
        codes, deprivation, np.ones_like(deprivation)
    )
    result = data.copy()
    result["expected"] = expected
    result["expected_lower"] = expected - half
    result["expected_upper"] = expected + half
    result["residual"] = value - expected
    result["fares"] = _expectation(value, expected, half, sign, present, fit.n[codes])
    return result


def _expectation(
    value: FloatArray,
    expected: FloatArray,
    half_width: FloatArray,
    sign: IntArray,
    present: npt.NDArray[np.bool_],
    n_in_group: IntArray,
) -> pd.Categorical[str]:
    usable = present & (n_in_group >= 3) & np.isfinite(half_width)
    oriented = sign * (value - expected)
    return select_categories(
        [~usable, oriented > half_width, oriented < -half_width],
        [Expectation.INSUFFICIENT_DATA, Expectation.BETTER, Expectation.WORSE],
        Expectation.AS_EXPECTED,
    )
