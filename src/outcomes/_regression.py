"""Straight-line weighted least squares for many groups at once, in closed form.

For each group g the model ``y = a + b·x`` is fitted with weights ``w`` by the textbook formulas
(e.g. Draper & Smith, *Applied Regression Analysis*, 3rd ed., §9.2): with weighted means x̄, ȳ,
``Sxx = Σ w (x − x̄)²``, ``Sxy = Σ w (x − x̄)(y − ȳ)``, ``b = Sxy / Sxx``, ``a = ȳ − b x̄``; residual
variance ``σ² = Σ w e² / (n − 2)``; ``se(b) = √(σ² / Sxx)``. This is exactly what R's
``lm(..., weights = w)`` and statsmodels' ``WLS`` compute, but with ``numpy.bincount`` group sums
instead of one fit per group. Sums are taken on centred values for accuracy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from outcomes.types import FloatArray, IntArray


@dataclass(frozen=True)
class GroupedLineFit:
    """Per-group results of :func:`fit_lines`; a group with n < 3 or all x equal has NaN slope s.e."""

    n: IntArray
    sum_weights: FloatArray
    x_mean: FloatArray
    y_mean: FloatArray
    sxx: FloatArray
    slope: FloatArray
    intercept: FloatArray
    residual_variance: FloatArray
    slope_se: FloatArray

    @property
    def degrees_of_freedom(self) -> IntArray:
        return self.n - 2

    def t_quantile(self, confidence: float) -> FloatArray:
        """Two-sided t quantile with n − 2 degrees of freedom (NaN where df < 1)."""
        df = self.degrees_of_freedom.astype(np.float64)
        with np.errstate(invalid="ignore"):
            return np.where(df >= 1, stats.t.ppf(0.5 + confidence / 2, np.maximum(df, 1)), np.nan)

    def predict(self, codes: IntArray, x: FloatArray) -> FloatArray:
        return self.intercept[codes] + self.slope[codes] * x

    def prediction_se(self, codes: IntArray, x: FloatArray, weight: FloatArray) -> FloatArray:
        """Standard error for predicting a new observation of weight ``weight`` at ``x``."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.sqrt(
                self.residual_variance[codes]
                * (
                    1.0 / weight
                    + 1.0 / self.sum_weights[codes]
                    + (x - self.x_mean[codes]) ** 2 / self.sxx[codes]
                )
            )


def fit_lines(
    codes: IntArray, x: FloatArray, y: FloatArray, weights: FloatArray, n_groups: int
) -> GroupedLineFit:
    """Fit ``y ~ a + b x`` with ``weights`` separately in each group ``codes`` (0..n_groups−1)."""
    n = np.bincount(codes, minlength=n_groups).astype(np.int64)

    def group_sum(values: FloatArray) -> FloatArray:
        return np.asarray(np.bincount(codes, values, minlength=n_groups), dtype=np.float64)

    sum_w = group_sum(weights)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_mean = group_sum(weights * x) / sum_w
        y_mean = group_sum(weights * y) / sum_w
        dx = x - x_mean[codes]
        dy = y - y_mean[codes]
        sxx = group_sum(weights * dx * dx)
        sxy = group_sum(weights * dx * dy)
        slope = np.where(sxx > 0, sxy / sxx, np.nan)
        intercept = y_mean - slope * x_mean
        residual = dy - slope[codes] * dx
        rss = group_sum(weights * residual * residual)
        df = n - 2
        residual_variance = np.where(df > 0, rss / np.maximum(df, 1), np.nan)
        slope_se = np.sqrt(residual_variance / sxx)
    return GroupedLineFit(
        n=n,
        sum_weights=sum_w,
        x_mean=x_mean,
        y_mean=y_mean,
        sxx=sxx,
        slope=slope,
        intercept=intercept,
        residual_variance=residual_variance,
        slope_se=slope_se,
    )
