"""Ranks, family groups and each community's expected value given its deprivation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from outcomes.benchmarking import (
    compare_with_family,
    derive_family_groups,
    expected_given_deprivation,
    family_groups_from_table,
    rank_areas,
)
from outcomes.types import Expectation, Judgement, Polarity


class TestRanks:
    def test_rank_one_is_best_with_shared_ranks_for_ties(self) -> None:
        data = pd.DataFrame({"area": list("ABCDE"), "value": [10.0, 12.0, 12.0, 8.0, np.nan]})
        ranked = rank_areas(data, value_column="value", polarity=Polarity.HIGHER_IS_BETTER)
        assert ranked["rank"].tolist()[:4] == [3, 1, 1, 4]
        assert ranked["rank"].isna().tolist() == [False, False, False, False, True]
        assert ranked["n_ranked"].unique().tolist() == [4]
        lower = rank_areas(data, value_column="value", polarity=Polarity.LOWER_IS_BETTER)
        assert lower["rank"].tolist()[:4] == [2, 3, 3, 1]

    def test_within_groups_and_dense_ties(self) -> None:
        data = pd.DataFrame(
            {"indicator": ["x", "x", "x", "y", "y"], "value": [1.0, 1.0, 2.0, 5.0, 4.0]}
        )
        ranked = rank_areas(
            data,
            value_column="value",
            polarity=Polarity.LOWER_IS_BETTER,
            group_columns=["indicator"],
            tie_method="dense",
        )
        assert ranked["rank"].tolist() == [1, 1, 2, 2, 1]
        averaged = rank_areas(
            data, value_column="value", polarity=Polarity.LOWER_IS_BETTER, tie_method="average"
        )
        assert averaged["rank"].tolist() == [1.5, 1.5, 3.0, 5.0, 4.0]

    def test_polarity_per_row_must_be_given(self) -> None:
        data = pd.DataFrame({"value": [1.0, 2.0], "polarity": [1.0, np.nan]})
        with pytest.raises(
            ValueError, match="polarity at row 1 is nan: every row needs a polarity"
        ):
            rank_areas(data, value_column="value", polarity="polarity")

    def test_infinite_values_are_rejected(self) -> None:
        data = pd.DataFrame({"value": [1.0, np.inf]})
        with pytest.raises(ValueError, match="value at row 1 is inf: must be finite"):
            rank_areas(data, value_column="value", polarity=Polarity.HIGHER_IS_BETTER)


def councils() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "deprivation": [5, 7, 9, 30, 32, 35, 60, 62, 64],
            "rurality": [0.9, 0.8, 0.85, 0.4, 0.5, 0.45, 0.1, 0.05, 0.1],
            "density": [10, 12, 8, 300, 280, 320, 3000, 3300, 2900],
        },
        index=[f"S120000{n:02d}" for n in range(9)],
    )


class TestFamilyGroups:
    def test_configured_groups(self) -> None:
        table = pd.DataFrame({"code": ["S12000033", "S12000034"], "group": [1, 1]})
        groups = family_groups_from_table(table, area_column="code", group_column="group")
        assert groups.to_dict() == {"S12000033": 1, "S12000034": 1}
        with pytest.raises(
            ValueError, match="group at row 1 is nan: every area needs a family group"
        ):
            family_groups_from_table(
                table.assign(group=[1, np.nan]), area_column="code", group_column="group"
            )

    def test_banding_on_one_feature_is_equal_sized_groups_in_order(self) -> None:
        groups = derive_family_groups(councils()[["deprivation"]], n_groups=3)
        assert groups.tolist() == [1, 1, 1, 2, 2, 2, 3, 3, 3]

    def test_kmeans_finds_the_clusters_and_is_reproducible(self) -> None:
        features = councils()
        first = derive_family_groups(features, n_groups=3, method="kmeans")
        second = derive_family_groups(features, n_groups=3, method="kmeans")
        assert first.tolist() == second.tolist()
        assert (
            len(set(first.iloc[:3])) == len(set(first.iloc[3:6])) == len(set(first.iloc[6:])) == 1
        )
        assert first.nunique() == 3

    def test_bad_features(self) -> None:
        with pytest.raises(ValueError, match="n_groups is 10"):
            derive_family_groups(councils(), n_groups=10)
        with pytest.raises(ValueError, match="feature 'flat' is the same for every area"):
            derive_family_groups(councils().assign(flat=1.0))
        with pytest.raises(ValueError, match="density at row 'S12000001' is nan"):
            derive_family_groups(councils().assign(density=[1, np.nan, *range(7)]))
        with pytest.raises(ValueError, match="method 'tree' is not known"):
            derive_family_groups(councils(), method="tree")  # type: ignore[arg-type]

    def test_compare_with_family(self) -> None:
        data = pd.DataFrame(
            {
                "area": ["A", "B", "C", "D"],
                "indicator": "crime",
                "period": 2021,
                "value": [10.0, 20.0, 30.0, 30.0],
            }
        )
        compared = compare_with_family(
            data, {"A": 1, "B": 1, "C": 2, "D": 2}, polarity=Polarity.LOWER_IS_BETTER
        ).set_index("area")
        assert compared.loc["A", "family_mean"] == 15.0
        assert compared.loc["A", "difference"] == -5.0
        assert compared.loc["A", "compared"] == Judgement.BETTER
        assert compared.loc["B", "compared"] == Judgement.WORSE
        assert compared.loc["C", "compared"] == "the same"
        assert compared.loc["B", "family_rank"] == 2
        assert compared.loc["C", "family_size"] == 2

    def test_every_area_needs_a_family(self) -> None:
        data = pd.DataFrame(
            {"area": ["A", "Z"], "indicator": "x", "period": 1, "value": [1.0, 2.0]}
        )
        with pytest.raises(ValueError, match="area at row 1 is 'Z': this area has no family group"):
            compare_with_family(data, {"A": 1}, polarity=Polarity.HIGHER_IS_BETTER)


class TestExpectedGivenDeprivation:
    def test_matches_ols_prediction_intervals_and_flags_outliers(self) -> None:
        rng = np.random.default_rng(7)
        deprivation = rng.uniform(2, 45, 200)
        value = 3 + 0.8 * deprivation + rng.normal(0, 2, 200)
        value[0] = 3 + 0.8 * deprivation[0] + 15  # far above: worse, as high is bad
        value[1] = 3 + 0.8 * deprivation[1] - 15
        data = pd.DataFrame(
            {
                "indicator": "child poverty",
                "period": "2021/22",
                "deprivation": deprivation,
                "value": value,
            }
        )
        result = expected_given_deprivation(
            data,
            deprivation_column="deprivation",
            value_column="value",
            polarity=Polarity.LOWER_IS_BETTER,
        )
        fit = sm.OLS(value, sm.add_constant(deprivation)).fit()
        frame = fit.get_prediction(sm.add_constant(deprivation)).summary_frame(alpha=0.05)
        assert result["expected"].to_numpy() == pytest.approx(frame["mean"].to_numpy(), abs=1e-9)
        assert result["expected_lower"].to_numpy() == pytest.approx(
            frame["obs_ci_lower"].to_numpy(), abs=1e-9
        )
        assert result["expected_upper"].to_numpy() == pytest.approx(
            frame["obs_ci_upper"].to_numpy(), abs=1e-9
        )
        assert result.loc[0, "fares"] == Expectation.WORSE
        assert result.loc[1, "fares"] == Expectation.BETTER
        outside = (value < frame["obs_ci_lower"]) | (value > frame["obs_ci_upper"])
        assert (result["fares"] != Expectation.AS_EXPECTED).to_numpy().tolist() == outside.tolist()

    def test_missing_values_and_small_groups_are_insufficient(self) -> None:
        data = pd.DataFrame(
            {
                "indicator": ["a"] * 4 + ["b"] * 2,
                "period": 2021,
                "deprivation": [1.0, 2.0, 3.0, 4.0, 1.0, 2.0],
                "value": [1.0, 2.1, np.nan, 3.9, 5.0, 6.0],
            }
        )
        result = expected_given_deprivation(
            data,
            deprivation_column="deprivation",
            value_column="value",
            polarity=Polarity.HIGHER_IS_BETTER,
        )
        assert result["fares"].tolist() == [
            Expectation.AS_EXPECTED,
            Expectation.AS_EXPECTED,
            Expectation.INSUFFICIENT_DATA,
            Expectation.AS_EXPECTED,
            Expectation.INSUFFICIENT_DATA,
            Expectation.INSUFFICIENT_DATA,
        ]
        assert result.loc[2, "expected"] == pytest.approx(3.0, abs=0.1)

    def test_deprivation_is_required(self) -> None:
        data = pd.DataFrame(
            {"indicator": "a", "period": 1, "deprivation": [1.0, np.nan], "value": [1.0, 2.0]}
        )
        with pytest.raises(ValueError, match="deprivation at row 1 is nan: every community needs"):
            expected_given_deprivation(
                data,
                deprivation_column="deprivation",
                value_column="value",
                polarity=Polarity.HIGHER_IS_BETTER,
            )
