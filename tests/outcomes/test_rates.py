"""Rates and confidence intervals against ScotPHO's worked examples (METHODS §4) and PHE's methods."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from outcomes.rates import (
    DSR_MINIMUM_EVENTS,
    ESP2013_BANDS,
    ESP2013_WEIGHTS,
    compare_interval_with_value,
    compare_intervals,
    compare_proportions,
    compare_rates,
    crude_rate_interval,
    judge,
    poisson_count_limits,
    standardised_rate,
    wilson_interval,
)
from outcomes.types import Judgement, Polarity, Significance


class TestWilson:
    @pytest.mark.parametrize(
        ("numerator", "denominator", "estimate", "lower", "upper"),
        [
            (400, 2000, 20.0, 18.3052, 21.8099),
            (0, 50, 0.0, 0.0, 7.1350),
            (50, 50, 100.0, 92.8650, 100.0),
        ],
    )
    def test_reproduces_scotpho_worked_examples(
        self, numerator: int, denominator: int, estimate: float, lower: float, upper: float
    ) -> None:
        result = wilson_interval(numerator, denominator)
        assert float(result.estimate) == pytest.approx(estimate)
        assert float(result.lower) == pytest.approx(lower, abs=5e-5)
        assert float(result.upper) == pytest.approx(upper, abs=5e-5)

    def test_is_vectorised_and_keeps_full_precision(self) -> None:
        result = wilson_interval([400, 0], [2000, 50])
        assert result.lower.shape == (2,)
        assert result.lower[0] == pytest.approx(18.305173387881208, rel=1e-12)

    def test_multiplier_gives_a_proportion(self) -> None:
        assert float(wilson_interval(400, 2000, multiplier=1).upper) == pytest.approx(
            0.218099, abs=1e-6
        )

    @pytest.mark.parametrize(
        ("numerator", "denominator", "message"),
        [
            (-1, 10, "numerator at position 0 is -1.0: must not be negative"),
            (1, 0, "denominator at position 0 is 0.0: must be greater than zero"),
            (np.nan, 10, "numerator at position 0 is nan: every value must be a finite number"),
            (11, 10, "cannot exceed its denominator"),
        ],
    )
    def test_rejects_bad_counts(self, numerator: float, denominator: float, message: str) -> None:
        with pytest.raises(ValueError, match=message):
            wilson_interval(numerator, denominator)

    def test_rejects_mismatched_lengths(self) -> None:
        with pytest.raises(ValueError, match="same length"):
            wilson_interval([1, 2], [10, 10, 10])

    def test_names_the_count_of_other_bad_values(self) -> None:
        with pytest.raises(ValueError, match=r"position 1 is -1.0.*\(2 more values break"):
            wilson_interval([1, -1, -2, -3], [10, 10, 10, 10])

    def test_rejects_text(self) -> None:
        with pytest.raises(ValueError, match="numerator must be numbers"):
            wilson_interval(["a"], [10])

    @given(
        st.integers(min_value=0, max_value=10_000),
        st.integers(min_value=1, max_value=10_000),
        st.integers(min_value=2, max_value=50),
    )
    def test_contains_its_estimate_and_narrows_with_more_data(
        self, numerator: int, denominator: int, factor: int
    ) -> None:
        numerator = min(numerator, denominator)
        small = wilson_interval(numerator, denominator)
        large = wilson_interval(numerator * factor, denominator * factor)
        assert small.lower <= small.estimate <= small.upper
        assert large.upper - large.lower < small.upper - small.lower


class TestPoisson:
    @pytest.mark.parametrize(
        ("count", "denominator", "estimate", "lower", "upper"),
        [(50, 10_000, 500.0, 371.079, 659.205), (10, 25_000, 40.0, 19.1495, 73.5665)],
    )
    def test_byar_reproduces_scotpho_worked_examples(
        self, count: int, denominator: int, estimate: float, lower: float, upper: float
    ) -> None:
        result = crude_rate_interval(count, denominator)
        assert float(result.estimate) == pytest.approx(estimate)
        assert float(result.lower) == pytest.approx(lower, abs=5e-4)
        assert float(result.upper) == pytest.approx(upper, abs=5e-4)

    def test_exact_limits_match_the_chi_square_definition(self) -> None:
        lower, upper = poisson_count_limits([0, 3, 50], method="exact")
        alpha = 2 * stats.norm.sf(1.96)
        assert lower[0] == 0.0
        assert lower[1] == pytest.approx(stats.chi2.ppf(alpha / 2, 6) / 2)
        assert upper[2] == pytest.approx(stats.chi2.ppf(1 - alpha / 2, 102) / 2)
        # The textbook exact (Garwood) 95% limits of a count of 3 are 0.619 and 8.767.
        assert lower[1] == pytest.approx(0.6187, abs=1e-3)
        assert upper[1] == pytest.approx(8.7673, abs=1e-3)

    def test_byar_is_close_to_exact_from_ten_events(self) -> None:
        counts = np.arange(10, 500)
        byar = poisson_count_limits(counts)
        exact = poisson_count_limits(counts, method="exact")
        assert np.max(np.abs(byar[0] / exact[0] - 1)) < 0.002
        assert np.max(np.abs(byar[1] / exact[1] - 1)) < 0.002

    def test_zero_count_has_zero_lower_limit(self) -> None:
        result = crude_rate_interval(0, 1000)
        assert float(result.lower) == 0.0
        assert float(result.upper) > 0

    def test_unknown_method_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="method 'normal' is not known"):
            poisson_count_limits(3, method="normal")  # type: ignore[arg-type]

    @given(st.integers(min_value=0, max_value=100_000), st.integers(min_value=2, max_value=20))
    def test_contains_its_estimate_and_narrows_relatively(self, count: int, factor: int) -> None:
        small = crude_rate_interval(count, 1_000_000)
        large = crude_rate_interval(count * factor, 1_000_000 * factor)
        assert small.lower <= small.estimate <= small.upper
        assert large.upper - large.lower < small.upper - small.lower


class TestStandardisedRate:
    def test_esp2013_has_19_bands_summing_to_100000(self) -> None:
        assert ESP2013_WEIGHTS.sum() == 100_000
        assert len(ESP2013_BANDS) == ESP2013_WEIGHTS.size == 19
        assert ESP2013_BANDS[0] == "0-4"
        assert ESP2013_BANDS[-1] == "90+"

    def test_population_shaped_like_the_standard_gives_the_crude_rate(self) -> None:
        populations = ESP2013_WEIGHTS / 10
        rates = np.linspace(0.001, 0.05, 19)
        counts = rates * populations
        result = standardised_rate(counts, populations)
        assert float(result.estimate) == pytest.approx(counts.sum() / populations.sum() * 100_000)

    def test_single_band_interval_equals_the_crude_byar_interval(self) -> None:
        # With one band, Dobson's interval reduces to the Poisson interval of the crude rate.
        result = standardised_rate([[50]], [[10_000]], standard=[1.0])
        crude = crude_rate_interval(50, 10_000)
        assert result.lower.shape == (1,)
        assert result.lower[0] == pytest.approx(float(crude.lower))
        assert result.upper[0] == pytest.approx(float(crude.upper))

    def test_dobson_formula_on_a_two_band_example(self) -> None:
        # Worked by hand: w = (1, 3), O = (10, 30), n = (1000, 2000).
        # DSR = (1·0.01 + 3·0.015)/4 = 0.01375; Var = (1·10/1000² + 9·30/2000²)/16 = 4.84375e-6.
        result = standardised_rate([10, 30], [1000, 2000], standard=[1, 3], multiplier=1)
        lower_count, upper_count = poisson_count_limits(40)
        spread = np.sqrt(4.84375e-6 / 40)
        assert float(result.estimate) == pytest.approx(0.01375)
        assert float(result.lower) == pytest.approx(0.01375 + spread * (lower_count - 40))
        assert float(result.upper) == pytest.approx(0.01375 + spread * (upper_count - 40))

    def test_many_areas_and_publishable_flag(self) -> None:
        counts = np.vstack([np.full(19, 1.0), np.zeros(19), np.full(19, 0.2)])
        populations = np.full((3, 19), 1000.0)
        result = standardised_rate(counts, populations, method="exact")
        assert result.publishable.tolist() == [True, False, False]
        assert result.total_count[2] == pytest.approx(3.8)
        assert result.estimate[1] == 0.0
        assert np.isnan(result.upper[1])
        assert DSR_MINIMUM_EVENTS == 10

    def test_empty_band_without_events_contributes_nothing(self) -> None:
        result = standardised_rate([5, 0], [1000, 0], standard=[1, 1], multiplier=1)
        assert float(result.estimate) == pytest.approx(0.0025)

    def test_events_in_an_empty_band_are_rejected(self) -> None:
        with pytest.raises(ValueError, match="band with events must have a population"):
            standardised_rate([5, 1], [1000, 0], standard=[1, 1])

    def test_band_count_must_match_the_standard(self) -> None:
        with pytest.raises(
            ValueError, match="counts have 2 age bands but the standard population has 19"
        ):
            standardised_rate([5, 1], [1000, 10])


class TestComparison:
    def test_interval_against_value(self) -> None:
        result = compare_interval_with_value([18.3, 10, 1], [21.8, 12, 30], 15)
        assert result.tolist() == [
            Significance.HIGHER,
            Significance.LOWER,
            Significance.NOT_SIGNIFICANT,
        ]

    def test_interval_overlap(self) -> None:
        result = compare_intervals([10, 10], [12, 12], [12.5, 11], [14, 13])
        assert result.tolist() == [Significance.LOWER, Significance.NOT_SIGNIFICANT]

    def test_interval_checks_reject_missing_values(self) -> None:
        with pytest.raises(ValueError, match="comparator value at position 0 is nan"):
            compare_interval_with_value([1], [2], [np.nan])
        with pytest.raises(ValueError, match="comparator upper limit at position 0 is nan"):
            compare_intervals([1], [2], [1], [np.nan])

    def test_two_proportion_z_test_matches_statsmodels(self) -> None:
        from statsmodels.stats.proportion import proportions_ztest

        result = compare_proportions(400, 2000, 3000, 20_000)
        expected_z, expected_p = proportions_ztest([400, 3000], [2000, 20_000])
        assert float(result.statistic) == pytest.approx(expected_z)
        assert float(result.p_value) == pytest.approx(expected_p)
        assert str(result.significance) == Significance.HIGHER

    def test_identical_extreme_proportions_are_not_different(self) -> None:
        result = compare_proportions(0, 10, 0, 20)
        assert float(result.statistic) == 0.0
        assert str(result.significance) == Significance.NOT_SIGNIFICANT

    def test_rate_ratio_test(self) -> None:
        result = compare_rates([50, 200], [10_000, 10_000], [400, 400], [100_000, 100_000])
        expected = np.log((200 / 10_000) / (400 / 100_000)) / np.sqrt(1 / 200 + 1 / 400)
        assert result.statistic[1] == pytest.approx(expected)
        assert result.significance.tolist() == [Significance.NOT_SIGNIFICANT, Significance.HIGHER]

    def test_rate_ratio_needs_events(self) -> None:
        with pytest.raises(ValueError, match="at least one event in each group"):
            compare_rates(0, 100, 5, 100)

    def test_proportion_test_rejects_impossible_counts(self) -> None:
        with pytest.raises(ValueError, match=r"comparator numerator at position 0 is 30\.0"):
            compare_proportions(1, 10, 30, 20)

    def test_judge_uses_polarity(self) -> None:
        significance = [Significance.HIGHER, Significance.LOWER, Significance.NOT_SIGNIFICANT]
        assert judge(significance, Polarity.HIGHER_IS_BETTER).tolist() == [
            Judgement.BETTER,
            Judgement.WORSE,
            Judgement.SIMILAR,
        ]
        assert judge(significance, Polarity.LOWER_IS_BETTER).tolist() == [
            Judgement.WORSE,
            Judgement.BETTER,
            Judgement.SIMILAR,
        ]

    def test_judge_rejects_unknown_words(self) -> None:
        with pytest.raises(ValueError, match="significance at position 0 is 'maybe'"):
            judge(["maybe"], Polarity.HIGHER_IS_BETTER)
