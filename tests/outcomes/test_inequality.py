"""Inequality across deprivation quintiles: ScotPHO's method (METHODS §3) and its properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from outcomes.inequality import inequality_table, inequality_trend, quantile_inequality
from outcomes.types import InequalityTrend, Polarity

NUMERATORS = [400, 378, 304, 287, 195]
DENOMINATORS = [2000, 2100, 1900, 2050, 1950]


def worked_example() -> pd.DataFrame:
    frame = pd.DataFrame(
        {"quintile": range(1, 6), "numerator": NUMERATORS, "denominator": DENOMINATORS}
    )
    frame["rate"] = frame["numerator"] / frame["denominator"] * 100
    return frame


def statsmodels_sii(rates: np.ndarray, populations: np.ndarray) -> tuple[float, float, float]:
    share = populations / populations.sum()
    midpoint = np.cumsum(share) - share / 2
    fit = sm.WLS(rates, sm.add_constant(midpoint), weights=share).fit()
    low, high = fit.conf_int()[1]
    return -fit.params[1], -high, -low


class TestWorkedExample:
    def test_reproduces_methods_section_3_to_published_precision(self) -> None:
        result = quantile_inequality([20, 18, 16, 14, 10], DENOMINATORS)
        assert result.status == "ok"
        assert result.overall_rate == pytest.approx(15.64)
        assert result.sii == pytest.approx(11.94999, abs=5e-6)
        assert result.sii_lower == pytest.approx(8.22928, abs=5e-6)
        assert result.sii_upper == pytest.approx(15.67071, abs=5e-6)
        assert result.rii == pytest.approx(0.764066, abs=5e-7)
        assert result.rii_lower == pytest.approx(0.526169, abs=5e-7)
        assert result.rii_upper == pytest.approx(1.001963, abs=5e-7)
        assert result.rii_int == pytest.approx(38.2033, abs=5e-5)
        assert result.par_percent == pytest.approx(36.0614, abs=5e-5)
        assert result.par == pytest.approx(5.64)
        assert result.absolute_range == pytest.approx(10)
        assert result.relative_range == pytest.approx(2.0)

    def test_table_from_counts_gives_the_same(self) -> None:
        table = inequality_table(worked_example(), group_columns=())
        row = table.iloc[0]
        assert row["sii"] == pytest.approx(11.94999, abs=5e-6)
        assert row["total_population"] == 10_000
        assert row["most_deprived_rate"] == 20
        assert row["least_deprived_rate"] == 10
        assert row["note"] == ""

    def test_sentence_reads_the_result_with_polarity(self) -> None:
        result = quantile_inequality(
            [20, 18, 16, 14, 10],
            DENOMINATORS,
            polarity=Polarity.LOWER_IS_BETTER,
            measure="Child poverty",
            unit=" percentage points",
        )
        assert result.adverse_sii == pytest.approx(11.94999, abs=5e-6)
        assert result.sentence == (
            "Child poverty is 11.9 percentage points higher in the most deprived areas than in "
            "the least deprived (slope index of inequality, 95% CI 8.2 to 15.7); the most "
            "deprived are 38% above the average. The most deprived areas fare worse."
        )

    def test_no_clear_gap_is_said_plainly(self) -> None:
        result = quantile_inequality([15, 10, 16, 9, 14], DENOMINATORS, measure="Crime")
        assert result.sii_lower < 0 < result.sii_upper
        assert result.sentence.startswith("Crime: no clear gap between the most and least deprived")

    def test_given_overall_rate_is_used_for_the_rii(self) -> None:
        result = quantile_inequality([20, 18, 16, 14, 10], DENOMINATORS, overall_rate=16.0)
        assert result.rii == pytest.approx(11.949992186279 / 16.0)

    def test_mismatched_lengths_are_rejected(self) -> None:
        with pytest.raises(ValueError, match="5 rates, 4 populations"):
            quantile_inequality([20, 18, 16, 14, 10], DENOMINATORS[:4])


class TestAgainstStatsmodels:
    def test_many_random_groups_agree_with_wls_to_1e_9(self) -> None:
        rng = np.random.default_rng(20240501)
        n_groups = 400
        rates = rng.gamma(2.0, 20.0, size=(n_groups, 5))
        populations = rng.integers(50, 50_000, size=(n_groups, 5)).astype(float)
        frame = pd.DataFrame(
            {
                "group": np.repeat(np.arange(n_groups), 5),
                "quintile": np.tile(np.arange(1, 6), n_groups),
                "rate": rates.ravel(),
                "denominator": populations.ravel(),
            }
        )
        table = inequality_table(frame.sample(frac=1, random_state=1), group_columns=["group"])
        table = table.set_index("group").sort_index()
        for group in range(n_groups):
            sii, low, high = statsmodels_sii(rates[group], populations[group])
            row = table.loc[group]
            assert abs(row["sii"] - sii) < 1e-9
            assert abs(row["sii_lower"] - low) < 1e-9
            assert abs(row["sii_upper"] - high) < 1e-9
            overall = (populations[group] * rates[group]).sum() / populations[group].sum()
            assert abs(row["rii"] - sii / overall) < 1e-9

    @settings(max_examples=60, deadline=None)
    @given(
        rates=arrays(np.float64, 10, elements=st.floats(0, 1000)),
        populations=arrays(np.float64, 10, elements=st.floats(1, 1e6)),
    )
    def test_deciles_agree_with_wls(self, rates: np.ndarray, populations: np.ndarray) -> None:
        result = quantile_inequality(rates, populations)
        sii, low, high = statsmodels_sii(rates, populations)
        scale = max(1.0, float(np.abs(rates).max()))
        assert result.sii == pytest.approx(sii, abs=1e-9 * scale)
        assert result.sii_lower == pytest.approx(low, abs=1e-9 * scale)
        assert result.sii_upper == pytest.approx(high, abs=1e-9 * scale)


class TestProperties:
    @settings(max_examples=40, deadline=None)
    @given(
        rates=arrays(np.float64, 5, elements=st.floats(0.1, 500)),
        populations=arrays(np.float64, 5, elements=st.floats(10, 1e5)),
        seed=st.integers(0, 2**32 - 1),
    )
    def test_invariant_to_row_order(
        self, rates: np.ndarray, populations: np.ndarray, seed: int
    ) -> None:
        frame = pd.DataFrame(
            {"quintile": np.arange(1, 6), "rate": rates, "denominator": populations}
        )
        shuffled = frame.sample(frac=1, random_state=seed % 2**32)
        first = inequality_table(frame, group_columns=())
        second = inequality_table(shuffled, group_columns=())
        for column in ("sii", "sii_lower", "rii", "par_percent", "absolute_range"):
            assert first.loc[0, column] == pytest.approx(second.loc[0, column], rel=1e-12)

    @settings(max_examples=40, deadline=None)
    @given(
        rates=arrays(np.float64, 5, elements=st.floats(0.1, 500)),
        populations=arrays(np.float64, 5, elements=st.floats(10, 1e5)),
    )
    def test_polarity_flips_the_adverse_sign(
        self, rates: np.ndarray, populations: np.ndarray
    ) -> None:
        good = quantile_inequality(rates, populations, polarity=Polarity.HIGHER_IS_BETTER)
        bad = quantile_inequality(rates, populations, polarity=Polarity.LOWER_IS_BETTER)
        assert good.adverse_sii == pytest.approx(-bad.sii)
        assert bad.adverse_sii == pytest.approx(bad.sii)

    @settings(max_examples=40, deadline=None)
    @given(
        rates=arrays(np.float64, 5, elements=st.floats(0.1, 500)),
        populations=arrays(np.float64, 5, elements=st.floats(10, 1e5)),
    )
    def test_reversing_the_gradient_changes_the_sign(
        self, rates: np.ndarray, populations: np.ndarray
    ) -> None:
        forward = quantile_inequality(rates, populations)
        mirrored = quantile_inequality(rates[::-1], populations[::-1])
        assert mirrored.sii == pytest.approx(-forward.sii, abs=1e-9 * max(1.0, rates.max()))
        assert mirrored.rii == pytest.approx(-forward.rii, abs=1e-9 * max(1.0, abs(forward.rii)))


class TestGroupsAndGaps:
    def test_incomplete_groups_are_reported_not_modelled(self) -> None:
        complete = worked_example().assign(area="A")
        missing_one = worked_example().iloc[1:].assign(area="B")
        empty_quintile = worked_example().assign(area="C")
        empty_quintile.loc[2, "denominator"] = 0
        empty_quintile.loc[2, "rate"] = np.nan
        no_rate = worked_example().assign(area="D")
        no_rate.loc[4, "rate"] = np.nan
        frame = pd.concat([complete, missing_one, empty_quintile, no_rate], ignore_index=True)
        table = inequality_table(frame, group_columns=["area"]).set_index("area")
        assert table.loc["A", "status"] == "ok"
        assert table.loc[["B", "C", "D"], "status"].eq("insufficient data").all()
        assert table.loc[["B", "C", "D"], "sii"].isna().all()
        assert table.loc["B", "note"] == "all 5 quantiles are needed: no row for quantile(s) [1]"
        assert table.loc["C", "note"] == (
            "all 5 quantiles are needed: no population in quantile(s) [3]; no rate for quantile(s) [3]"
        )
        assert table.loc["D", "note"] == "all 5 quantiles are needed: no rate for quantile(s) [5]"
        assert table.loc["B", "n_quantiles"] == 4

    def test_a_missing_rate_is_insufficient_data_in_words(self) -> None:
        result = quantile_inequality([20, np.nan, 16, 14, 10], DENOMINATORS, measure="Crime")
        assert result.status == "insufficient data"
        assert np.isnan(result.sii)
        assert result.sentence == (
            "Crime: there are not enough data across the deprivation quintiles to measure inequality."
        )

    def test_deciles(self) -> None:
        rates = np.linspace(30, 12, 10)
        result = quantile_inequality(rates, np.full(10, 1000.0))
        assert result.sii == pytest.approx(20.0)  # a perfect line from 30 to 12 over x 0.05..0.95
        assert result.sii_lower == pytest.approx(20.0)
        assert result.relative_range == pytest.approx(2.5)

    def test_no_inequality_gives_zero_rii(self) -> None:
        result = quantile_inequality([0, 0, 0, 0, 0], DENOMINATORS)
        assert result.sii == 0
        assert result.rii == 0
        assert "relative range and PAR are undefined" in result.note

    def test_zero_overall_rate_leaves_rii_undefined_with_a_reason(self) -> None:
        result = quantile_inequality([-2, -1, 0, 1, 2], [1, 1, 1, 1, 1], overall_rate=0)
        assert np.isnan(result.rii)
        assert "the overall rate is 0, so the RII is undefined" in result.note

    def test_polarity_from_a_column(self) -> None:
        frame = pd.concat(
            [
                worked_example().assign(indicator="poverty", polarity=-1),
                worked_example().assign(indicator="attainment", polarity="higher is better"),
            ]
        )
        table = inequality_table(frame, group_columns=["indicator"], polarity="polarity")
        assert table["indicator"].tolist() == ["attainment", "poverty"]  # sorted by the group keys
        assert table["polarity"].tolist() == [1, -1]
        assert table["adverse_sii"].to_numpy() == pytest.approx([-11.94999, 11.94999], abs=5e-6)


class TestBadInput:
    @pytest.mark.parametrize(
        ("change", "message"),
        [
            (
                {"quintile": [1, 2, 3, 4, 6]},
                r"quintile at row 4 is 6: must be a whole number from 1",
            ),
            ({"quintile": [1, 2, 3, 4, 4.5]}, "quintile at row 4 is 4.5"),
            ({"quintile": [1, 2, 3, 4, 4]}, "this quantile appears more than once in its group"),
            ({"denominator": [1, 2, -3, 4, 5]}, "denominator at row 2 is -3"),
            ({"denominator": [1, 2, np.nan, 4, 5]}, "denominator at row 2 is nan"),
            ({"rate": [1, 2, np.inf, 4, 5]}, "rate at row 2 is inf: a rate must be finite"),
        ],
    )
    def test_structural_errors_raise(self, change: dict[str, list[float]], message: str) -> None:
        frame = worked_example()
        for column, values in change.items():
            frame[column] = values
        with pytest.raises(ValueError, match=message):
            inequality_table(frame, group_columns=())

    def test_too_few_quantiles(self) -> None:
        with pytest.raises(ValueError, match="at least 3 quantiles are needed"):
            quantile_inequality([2, 1], [1, 1])

    def test_missing_column_and_no_rows(self) -> None:
        with pytest.raises(ValueError, match=r"missing column\(s\) \['rate'\]"):
            inequality_table(worked_example().drop(columns="rate"), group_columns=())
        with pytest.raises(ValueError, match="has no rows"):
            inequality_table(worked_example().iloc[:0], group_columns=())

    def test_overall_rate_must_agree_within_a_group(self) -> None:
        frame = worked_example().assign(total=[15.64, 15.64, 15.64, 15.64, 99])
        with pytest.raises(ValueError, match="the same on every row of its group"):
            inequality_table(frame, group_columns=(), overall_rate_column="total")


def sii_series(values: list[float], group: str = "A") -> pd.DataFrame:
    return pd.DataFrame(
        {"area": group, "year": np.arange(2010, 2010 + len(values)), "sii": values, "status": "ok"}
    )


class TestInequalityTrend:
    def test_narrowing_widening_reversed_and_unclear(self) -> None:
        frame = pd.concat(
            [
                sii_series([12.0, 11.2, 10.9, 9.8, 9.1, 8.3], "narrowing"),
                sii_series([-5.0, -5.9, -6.4, -7.2, -8.1, -8.8], "widening"),
                sii_series([4.0, 2.1, 0.2, -1.9, -4.1, -6.0], "reversed"),
                sii_series([10.0, 12.0, 9.0, 11.5, 9.5, 10.5], "noisy"),
                sii_series([10.0, 9.0], "short"),
            ]
        )
        table = inequality_trend(frame, group_columns=["area"], time_column="year").set_index(
            "area"
        )
        assert table.loc["narrowing", "trend"] == InequalityTrend.NARROWING
        assert table.loc["widening", "trend"] == InequalityTrend.WIDENING
        assert table.loc["reversed", "trend"] == InequalityTrend.REVERSED
        assert table.loc["noisy", "trend"] == InequalityTrend.NO_CLEAR_CHANGE
        assert table.loc["short", "trend"] == InequalityTrend.INSUFFICIENT_DATA
        slope, intercept = np.polyfit(np.arange(6), [12.0, 11.2, 10.9, 9.8, 9.1, 8.3], 1)
        assert table.loc["narrowing", "slope"] == pytest.approx(slope)
        assert table.loc["narrowing", "fitted_first"] == pytest.approx(intercept)
        assert table.loc["narrowing", "fitted_last"] == pytest.approx(intercept + 5 * slope)
        low, high = table.loc["narrowing", ["slope_lower", "slope_upper"]].to_numpy(dtype=float)
        assert table.loc["narrowing", "sentence"] == (
            "Inequality narrowed between 2010 and 2015: the fitted gap went from "
            f"{intercept:.1f} to {intercept + 5 * slope:.1f} (change per year 95% CI "
            f"{low:.2f} to {high:.2f})."
        )
        assert str(table.loc["noisy", "sentence"]).startswith("No clear change in inequality")
        assert str(table.loc["short", "sentence"]).startswith("There are not enough years")

    def test_groups_without_a_complete_set_are_left_out(self) -> None:
        frame = sii_series([12.0, 11.0, 10.0, 9.0])
        frame.loc[3, "status"] = "insufficient data"
        frame.loc[2, "sii"] = np.nan
        table = inequality_trend(frame, group_columns=["area"], time_column="year")
        assert table.loc[0, "n_periods"] == 2
        assert table.loc[0, "trend"] == InequalityTrend.INSUFFICIENT_DATA

    def test_time_must_be_numeric(self) -> None:
        frame = sii_series([12.0, 11.0, 10.0]).assign(year=["2010/11", "2011/12", "2012/13"])
        with pytest.raises(ValueError, match="year must be numbers"):
            inequality_trend(frame, group_columns=["area"], time_column="year")
