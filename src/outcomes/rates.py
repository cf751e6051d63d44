"""Rates, proportions and their 95 % confidence intervals, vectorised over arrays; and tests of
whether an area differs from a comparator.

Sources:

- Wilson score interval for proportions — ScotPHO ``calculate_percent.R``; Wilson, J Am Stat Assoc
  1927; 22:209–212; PHE *Technical Guide: Confidence Intervals* (2018), Appendix 3.
- Byar's approximation for counts and crude rates — ScotPHO ``calculate_crude_rate.R``; Breslow &
  Day, *Statistical Methods in Cancer Research* vol. II (1987); PHE guide, Appendix 1.
- Exact Poisson limits from the χ² distribution — Armitage & Berry (2002); PHE guide, Appendix 2.
- Directly standardised rates with Dobson's interval — Dobson et al., Stat Med 1991; 10:457–462;
  ScotPHO ``calculate_easr.R``; PHE guide, Appendix 4; the 2013 European Standard Population from
  Eurostat, *Revision of the European Standard Population* (2013).

``z = 1.96`` by default, as ScotPHO and PHE use, so their published intervals are reproduced.
Results keep full precision; round only for display.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import stats

from outcomes._grouping import select_words
from outcomes._validation import (
    counts_and_denominators,
    fail_where,
    require_non_negative,
    require_same_shape,
    to_float_array,
)
from outcomes.types import Z_95, BoolArray, FloatArray, Judgement, Polarity, Significance

#: 2013 European Standard Population: weights of the 19 five-year age bands 0–4, 5–9, …, 85–89,
#: 90+ (Eurostat 2013, Table 1 of the task-force report), summing to 100,000. ScotPHO's
#: ``calculate_easr.R`` uses the same values ("normal" age range).
ESP2013_WEIGHTS: FloatArray = np.array(
    [
        5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
        7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
    ],
    dtype=np.float64,
)  # fmt: skip

#: Labels of the 19 ESP2013 age bands, in the order of :data:`ESP2013_WEIGHTS`.
ESP2013_BANDS: tuple[str, ...] = (
    *(f"{start}-{start + 4}" for start in range(0, 90, 5)),
    "90+",
)

#: PHE and Morris et al. (Popul Health Metr 2018; 16:3): do not publish a DSR on fewer than 10 events.
DSR_MINIMUM_EVENTS = 10

PoissonMethod = Literal["byar", "exact"]


@dataclass(frozen=True)
class Interval:
    """A point estimate with its lower and upper confidence limits (arrays of one shape)."""

    estimate: FloatArray
    lower: FloatArray
    upper: FloatArray


@dataclass(frozen=True)
class StandardisedRate(Interval):
    """A directly standardised rate with its interval, the events it rests on, and whether it may be
    published (at least :data:`DSR_MINIMUM_EVENTS` events). Where the total count is 0 the
    interval is undefined by Dobson's method and ``lower``/``upper`` are NaN, ``publishable`` false.
    """

    total_count: FloatArray
    publishable: BoolArray


def wilson_interval(
    numerator: npt.ArrayLike,
    denominator: npt.ArrayLike,
    *,
    multiplier: float = 100.0,
    z: float = Z_95,
) -> Interval:
    """Proportion ``numerator/denominator × multiplier`` with Wilson's score interval.

    ``(2O + z² ∓ z√(z² + 4O(1 − p))) / (2(n + z²))``, as ScotPHO's ``calculate_percent.R``. Worked
    examples (METHODS §4): 400/2000 → 20 (18.3052, 21.8099); 0/50 → 0 (0, 7.1350).
    """
    num, den = counts_and_denominators(numerator, denominator)
    fail_where(
        num > den,
        field="numerator",
        values=num,
        rule="a proportion's numerator cannot exceed its denominator",
    )
    p = num / den
    centre = 2 * num + z * z
    half = z * np.sqrt(z * z + 4 * num * (1 - p))
    scale = multiplier / (2 * (den + z * z))
    # At p = 0 and p = 1 the limits are exactly 0 and the multiplier; avoid rounding just inside.
    lower = np.where(num == 0, 0.0, np.clip((centre - half) * scale, 0.0, None))
    upper = np.where(num == den, multiplier, np.clip((centre + half) * scale, None, multiplier))
    return Interval(estimate=p * multiplier, lower=lower, upper=upper)


def poisson_count_limits(
    count: npt.ArrayLike, *, method: PoissonMethod = "byar", z: float = Z_95
) -> tuple[FloatArray, FloatArray]:
    """Lower and upper confidence limits of a Poisson count ``O``.

    Byar: ``O(1 − 1/(9O) − z/(3√O))³`` and ``(O+1)(1 − 1/(9(O+1)) + z/(3√(O+1)))³``; the lower limit
    of a zero count is 0. Exact: ``χ²(α/2; 2O)/2`` and ``χ²(1 − α/2; 2O + 2)/2`` with the
    confidence level implied by ``z``. PHE recommends exact limits below 10 events; ScotPHO uses
    Byar throughout (the default here).
    """
    observed = to_float_array(count, "count")
    require_non_negative(observed, "count")
    if method == "exact":
        alpha = 2 * stats.norm.sf(z)
        lower = np.where(observed > 0, stats.chi2.ppf(alpha / 2, 2 * observed) / 2, 0.0)
        upper = stats.chi2.ppf(1 - alpha / 2, 2 * observed + 2) / 2
        return np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64)
    if method != "byar":
        raise ValueError(f"method {method!r} is not known: use 'byar' or 'exact'")
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = observed * (1 - 1 / (9 * observed) - z / (3 * np.sqrt(observed))) ** 3
    lower = np.where(observed > 0, np.clip(lower, 0.0, None), 0.0)
    above = observed + 1
    upper = above * (1 - 1 / (9 * above) + z / (3 * np.sqrt(above))) ** 3
    return lower, upper


def crude_rate_interval(
    count: npt.ArrayLike,
    denominator: npt.ArrayLike,
    *,
    multiplier: float = 100_000.0,
    method: PoissonMethod = "byar",
    z: float = Z_95,
) -> Interval:
    """Crude rate ``count/denominator × multiplier`` with Byar's (default) or exact Poisson limits.

    Worked examples (METHODS §4, Byar): 50/10,000 → 500 (371.079, 659.205); 10/25,000 → 40
    (19.1495, 73.5665).
    """
    num, den = counts_and_denominators(count, denominator)
    lower, upper = poisson_count_limits(num, method=method, z=z)
    scale = multiplier / den
    return Interval(estimate=num * scale, lower=lower * scale, upper=upper * scale)


def standardised_rate(
    counts: npt.ArrayLike,
    populations: npt.ArrayLike,
    *,
    standard: npt.ArrayLike = ESP2013_WEIGHTS,
    multiplier: float = 100_000.0,
    method: PoissonMethod = "byar",
    z: float = Z_95,
) -> StandardisedRate:
    """Directly standardised rate with Dobson's confidence interval, for many areas at once.

    ``counts`` and ``populations`` have shape ``(areas, bands)``, or ``(bands,)`` for one area
    (then every result is a 0-d array),
    one column per band of ``standard`` (by default the 19 ESP2013 bands). With standard weights
    ``w_i``, events ``O_i`` and populations ``n_i``::

        DSR = Σ w_i O_i / n_i / Σ w_i          Var(DSR) = Σ w_i² O_i / n_i² / (Σ w_i)²
        limits = DSR + √(Var / O) · (O_lower − O)  and  DSR + √(Var / O) · (O_upper − O)

    with ``O = Σ O_i`` and ``O_lower``/``O_upper`` its Poisson limits (Byar, as ScotPHO; or exact,
    as Dobson's paper). A band with no population and no events contributes nothing (ScotPHO);
    events in a band with no population are an error. Use a subset of the standard (e.g. ages
    16+) by passing those bands' weights.
    """
    weights = to_float_array(standard, "standard population")
    require_non_negative(weights, "standard population")
    one_area = np.ndim(counts) == 1
    observed = np.atleast_2d(to_float_array(counts, "counts"))
    population = np.atleast_2d(to_float_array(populations, "populations"))
    require_same_shape(counts=observed, populations=population)
    if observed.shape[1] != weights.size:
        raise ValueError(
            f"counts have {observed.shape[1]} age bands but the standard population has "
            f"{weights.size}; give one column per band of the standard"
        )
    require_non_negative(observed, "counts")
    require_non_negative(population, "populations")
    fail_where(
        (population == 0) & (observed > 0),
        field="counts",
        values=observed,
        rule="an age band with events must have a population greater than zero",
    )
    safe_population = np.where(population > 0, population, 1.0)
    total_weight = weights.sum()
    dsr = (weights * observed / safe_population).sum(axis=1) / total_weight
    variance = (weights**2 * observed / safe_population**2).sum(axis=1) / total_weight**2
    total = observed.sum(axis=1)
    lower_count, upper_count = poisson_count_limits(total, method=method, z=z)
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = np.where(total > 0, np.sqrt(variance / total), np.nan)
    lower = np.clip(dsr + spread * (lower_count - total), 0.0, None) * multiplier
    upper = (dsr + spread * (upper_count - total)) * multiplier
    if one_area:
        dsr, lower, upper, total = dsr[0], lower[0], upper[0], total[0]
    return StandardisedRate(
        estimate=np.asarray(dsr * multiplier),
        lower=np.asarray(lower),
        upper=np.asarray(upper),
        total_count=np.asarray(total),
        publishable=np.asarray(total >= DSR_MINIMUM_EVENTS),
    )


def compare_interval_with_value(
    lower: npt.ArrayLike, upper: npt.ArrayLike, comparator: npt.ArrayLike
) -> npt.NDArray[np.str_]:
    """Significance as ScotPHO and PHE Fingertips profiles judge it: an area is significantly
    higher (lower) than the comparator when its whole 95 % interval lies above (below) the
    comparator's *value*. Used for spine charts against Scotland.
    """
    low = to_float_array(lower, "lower limit")
    high = to_float_array(upper, "upper limit")
    value = np.broadcast_to(to_float_array(comparator, "comparator value"), low.shape)
    require_same_shape(lower=low, upper=high, comparator=value)
    for array, name in ((low, "lower limit"), (high, "upper limit"), (value, "comparator value")):
        fail_where(~np.isfinite(array), field=name, values=array, rule="must be a finite number")
    return _significance(low > value, high < value)


def compare_intervals(
    lower: npt.ArrayLike,
    upper: npt.ArrayLike,
    comparator_lower: npt.ArrayLike,
    comparator_upper: npt.ArrayLike,
) -> npt.NDArray[np.str_]:
    """Significance by non-overlap of two 95 % intervals (conservative: overlapping intervals can
    still differ significantly). Used where only intervals are published, e.g. two years.
    """
    low, high = to_float_array(lower, "lower limit"), to_float_array(upper, "upper limit")
    other_low = to_float_array(comparator_lower, "comparator lower limit")
    other_high = to_float_array(comparator_upper, "comparator upper limit")
    require_same_shape(
        lower=low, upper=high, comparator_lower=other_low, comparator_upper=other_high
    )
    for array, name in (
        (low, "lower limit"),
        (high, "upper limit"),
        (other_low, "comparator lower limit"),
        (other_high, "comparator upper limit"),
    ):
        fail_where(~np.isfinite(array), field=name, values=array, rule="must be a finite number")
    return _significance(low > other_high, high < other_low)


@dataclass(frozen=True)
class TestResult:
    """A two-sided test of an area against a comparator: statistic, p-value and the verdict."""

    statistic: FloatArray
    p_value: FloatArray
    significance: npt.NDArray[np.str_]


def compare_proportions(
    numerator: npt.ArrayLike,
    denominator: npt.ArrayLike,
    comparator_numerator: npt.ArrayLike,
    comparator_denominator: npt.ArrayLike,
    *,
    z: float = Z_95,
) -> TestResult:
    """Pooled two-proportion z-test (e.g. Altman, *Practical Statistics for Medical Research*,
    §10.7.2): ``Z = (p₁ − p₂) / √(p̄(1 − p̄)(1/n₁ + 1/n₂))`` with ``p̄`` the pooled proportion.

    It assumes the two groups are independent: compare an area with the *rest* of Scotland (the
    comparator minus the area), not with a total that contains it.
    """
    n1, d1 = counts_and_denominators(numerator, denominator)
    n2, d2 = counts_and_denominators(comparator_numerator, comparator_denominator)
    require_same_shape(numerator=n1, comparator_numerator=n2)
    for num, den, name in ((n1, d1, "numerator"), (n2, d2, "comparator numerator")):
        fail_where(
            num > den, field=name, values=num, rule="a numerator cannot exceed its denominator"
        )
    pooled = (n1 + n2) / (d1 + d2)
    se = np.sqrt(pooled * (1 - pooled) * (1 / d1 + 1 / d2))
    difference = n1 / d1 - n2 / d2
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = np.where(se > 0, difference / se, 0.0)
    return _z_result(statistic, z)


def compare_rates(
    count: npt.ArrayLike,
    denominator: npt.ArrayLike,
    comparator_count: npt.ArrayLike,
    comparator_denominator: npt.ArrayLike,
    *,
    z: float = Z_95,
) -> TestResult:
    """Test of two Poisson rates on the log rate ratio (e.g. Breslow & Day 1987, vol. II §2.3):
    ``Z = ln(r₁ / r₂) / √(1/O₁ + 1/O₂)``. Both counts must be greater than zero. As with
    :func:`compare_proportions`, the two populations must not overlap.
    """
    c1, d1 = counts_and_denominators(count, denominator)
    c2, d2 = counts_and_denominators(comparator_count, comparator_denominator)
    require_same_shape(count=c1, comparator_count=c2)
    for counts, name in ((c1, "count"), (c2, "comparator count")):
        fail_where(
            counts <= 0,
            field=name,
            values=counts,
            rule="the rate-ratio test needs at least one event in each group",
        )
    statistic = np.log((c1 / d1) / (c2 / d2)) / np.sqrt(1 / c1 + 1 / c2)
    return _z_result(statistic, z)


def judge(significance: npt.ArrayLike, polarity: Polarity) -> npt.NDArray[np.str_]:
    """Read significance through polarity: significantly higher is *better* when high is good."""
    values = np.asarray(significance, dtype=np.str_)
    known = {str(member) for member in Significance}
    fail_where(
        ~np.isin(values, list(known)),
        field="significance",
        values=values,
        rule=f"must be one of {sorted(known)}",
    )
    good, bad = (
        (Significance.HIGHER, Significance.LOWER)
        if polarity == Polarity.HIGHER_IS_BETTER
        else (Significance.LOWER, Significance.HIGHER)
    )
    return select_words(
        [values == good, values == bad], [Judgement.BETTER, Judgement.WORSE], Judgement.SIMILAR
    )


def _z_result(statistic: FloatArray, z: float) -> TestResult:
    p_value = 2 * stats.norm.sf(np.abs(statistic))
    return TestResult(
        statistic=statistic,
        p_value=np.asarray(p_value, dtype=np.float64),
        significance=_significance(statistic > z, statistic < -z),
    )


def _significance(higher: BoolArray, lower: BoolArray) -> npt.NDArray[np.str_]:
    return select_words(
        [higher, lower], [Significance.HIGHER, Significance.LOWER], Significance.NOT_SIGNIFICANT
    )
