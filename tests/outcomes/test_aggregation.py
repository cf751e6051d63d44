"""Aggregation from data zones to any grouping, weighted means and small-number suppression."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outcomes.aggregation import (
    aggregate_counts,
    level_mapping,
    mapping_frame,
    suppress_small_numbers,
    weighted_mean,
)

LOOKUP = pd.DataFrame(
    {
        "area": ["DZ1", "DZ2", "DZ3", "DZ4"],
        "iz": ["IZ1", "IZ1", "IZ2", "IZ2"],
        "council": ["CA1", "CA1", "CA1", "CA1"],
        "scotland": ["S92000003"] * 4,
    }
)


def small_data() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area": ["DZ1", "DZ2", "DZ3", "DZ4"] * 2,
            "indicator": ["poverty"] * 4 + ["crime"] * 4,
            "period": ["2021/22"] * 8,
            "numerator": [10, 20, 30, 40, 1, 2, 3, 4],
            "denominator": [100, 200, 300, 400, 1000, 1000, 1000, 1000],
        }
    )


class TestAggregateCounts:
    def test_sums_numerators_and_denominators_per_group(self) -> None:
        result = aggregate_counts(small_data(), LOOKUP.set_index("area")["iz"])
        poverty = result[result["indicator"] == "poverty"].set_index("group")
        assert poverty.loc["IZ1", "numerator"] == 30
        assert poverty.loc["IZ2", "denominator"] == 700
        assert poverty["n_areas"].tolist() == [2, 2]
        assert poverty["complete"].all()

    def test_every_level_in_one_pass(self) -> None:
        mapping = level_mapping(
            LOOKUP, area_column="area", group_columns=["iz", "council", "scotland"]
        )
        result = aggregate_counts(small_data(), mapping)
        crime = result[result["indicator"] == "crime"].set_index(["level", "group"])
        assert crime.loc[("scotland", "S92000003"), "numerator"] == 10
        assert crime.loc[("council", "CA1"), "denominator"] == 4000
        assert crime.loc[("iz", "IZ2"), "numerator"] == 7
        assert len(result) == 2 * (2 + 1 + 1)

    def test_a_locality_is_any_set_of_areas_and_may_overlap(self) -> None:
        localities = pd.DataFrame(
            {"area": ["DZ1", "DZ3", "DZ3", "DZ4"], "group": ["North", "North", "East", "East"]}
        )
        result = aggregate_counts(small_data(), localities, unmapped="drop")
        poverty = result[result["indicator"] == "poverty"].set_index("group")
        assert poverty.loc["North", "numerator"] == 40
        assert poverty.loc["East", "numerator"] == 70

    def test_missing_areas_make_a_group_incomplete(self) -> None:
        data = small_data().drop(index=0)
        result = aggregate_counts(data, {"DZ1": "IZ1", "DZ2": "IZ1", "DZ3": "IZ2", "DZ4": "IZ2"})
        poverty = result[result["indicator"] == "poverty"].set_index("group")
        assert poverty.loc["IZ1", "n_areas"] == 1
        assert poverty.loc["IZ1", "expected_areas"] == 2
        assert not poverty.loc["IZ1", "complete"]

    def test_unmapped_areas_are_an_error_unless_dropped(self) -> None:
        mapping = {"DZ1": "IZ1", "DZ2": "IZ1"}
        with pytest.raises(
            ValueError, match=r"2 area code\(s\) are not in the mapping, e.g. \['DZ3', 'DZ4'\]"
        ):
            aggregate_counts(small_data(), mapping)
        assert len(aggregate_counts(small_data(), mapping, unmapped="drop")) == 2

    @pytest.mark.parametrize(
        ("column", "value", "message"),
        [
            ("numerator", -1, "numerator at row 2 is -1.0: must not be negative"),
            ("denominator", np.nan, "denominator at row 2 is nan: every value must be a finite"),
        ],
    )
    def test_bad_counts_are_rejected(self, column: str, value: float, message: str) -> None:
        data = small_data()
        data[column] = data[column].astype(float)
        data.loc[2, column] = value
        with pytest.raises(ValueError, match=message):
            aggregate_counts(data, LOOKUP.set_index("area")["iz"])

    def test_duplicate_rows_are_rejected(self) -> None:
        data = pd.concat([small_data(), small_data().iloc[[0]]])
        with pytest.raises(ValueError, match="repeat the same \\['area', 'indicator', 'period'\\]"):
            aggregate_counts(data, LOOKUP.set_index("area")["iz"])

    def test_structural_errors(self) -> None:
        with pytest.raises(ValueError, match="has no rows"):
            aggregate_counts(small_data().iloc[:0], LOOKUP.set_index("area")["iz"])
        with pytest.raises(ValueError, match=r"missing column\(s\) \['period'\]"):
            aggregate_counts(small_data().drop(columns="period"), LOOKUP.set_index("area")["iz"])
        with pytest.raises(ValueError, match="unmapped='keep': use 'error' or 'drop'"):
            aggregate_counts(small_data(), LOOKUP.set_index("area")["iz"], unmapped="keep")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="gives no group for area 'DZ2'"):
            mapping_frame({"DZ1": "IZ1", "DZ2": None})  # type: ignore[dict-item]

    @settings(max_examples=30, deadline=None)
    @given(
        counts=st.lists(st.integers(0, 500), min_size=12, max_size=12),
        extra=st.lists(st.integers(0, 500), min_size=12, max_size=12),
        iz_of_zone=st.lists(st.integers(0, 3), min_size=12, max_size=12),
    )
    def test_parts_add_up_to_the_whole(
        self, counts: list[int], extra: list[int], iz_of_zone: list[int]
    ) -> None:
        zones = [f"DZ{i}" for i in range(12)]
        data = pd.DataFrame(
            {
                "area": zones,
                "indicator": "x",
                "period": 2020,
                "numerator": counts,
                "denominator": np.add(counts, extra),
            }
        )
        to_iz = pd.Series([f"IZ{i}" for i in iz_of_zone], index=zones)
        iz_to_council = pd.Series(
            ["CA0" if i < 2 else "CA1" for i in range(4)], index=[f"IZ{i}" for i in range(4)]
        )
        by_iz = aggregate_counts(data, to_iz).rename(columns={"group": "area"})
        via_iz = aggregate_counts(by_iz, iz_to_council, unmapped="drop").set_index("group")
        direct = aggregate_counts(data, to_iz.map(iz_to_council)).set_index("group")
        assert via_iz["numerator"].to_dict() == direct["numerator"].to_dict()
        assert via_iz["denominator"].to_dict() == direct["denominator"].to_dict()
        assert direct["numerator"].sum() == sum(counts)


class TestWeightedMean:
    def test_equals_the_rate_of_summed_counts(self) -> None:
        data = small_data().assign(rate=lambda f: f["numerator"] / f["denominator"])
        result = weighted_mean(
            data, LOOKUP.set_index("area")["council"], weight_column="denominator"
        ).set_index("indicator")
        assert result.loc["poverty", "rate"] == pytest.approx(100 / 1000)
        assert result.loc["crime", "rate"] == pytest.approx(10 / 4000)
        assert result.loc["crime", "denominator"] == 4000

    def test_a_group_without_weight_is_an_error(self) -> None:
        data = small_data().assign(rate=1.0, population=0.0)
        with pytest.raises(
            ValueError,
            match="group 'CA1' \\(indicator='crime', period='2021/22'\\) has a total population of 0",
        ):
            weighted_mean(data, LOOKUP.set_index("area")["council"])

    def test_missing_rates_are_rejected(self) -> None:
        data = small_data().assign(rate=[1, 2, np.nan, 4, 5, 6, 7, 8], population=1.0)
        with pytest.raises(ValueError, match="rate at row 2 is nan"):
            weighted_mean(data, LOOKUP.set_index("area")["council"])


class TestSuppression:
    def test_small_counts_and_their_rates_are_blanked_with_reasons(self) -> None:
        data = pd.DataFrame(
            {
                "area": ["A", "B", "C", "D"],
                "numerator": [0, 3, 5, 12],
                "denominator": [100, 4, 50, 60],
                "rate": [0.0, 75.0, 10.0, 20.0],
            }
        )
        result = suppress_small_numbers(
            data, count_columns=["numerator", "denominator"], dependent_columns=["rate"]
        )
        assert result.data["suppressed"].tolist() == [False, True, False, False]
        assert result.data.loc[1, ["numerator", "denominator", "rate"]].isna().all()
        assert result.data.loc[2, "rate"] == 10.0
        assert result.data.loc[1, "suppression_reason"] == (
            "numerator is below 5 (disclosure control); denominator is below 5 (disclosure control)"
        )
        assert result.cells["column"].tolist() == ["numerator", "denominator", "rate"]
        assert result.cells["row"].tolist() == [1, 1, 1]
        assert data.loc[1, "numerator"] == 3  # the input is unchanged

    def test_zero_counts_can_be_suppressed_too(self) -> None:
        data = pd.DataFrame({"numerator": [0, 7]})
        result = suppress_small_numbers(data, suppress_zero=True, threshold=10)
        assert result.data["suppressed"].tolist() == [True, True]
        assert (
            result.data.loc[0, "suppression_reason"] == "numerator is below 10 (disclosure control)"
        )

    def test_bad_settings_and_counts(self) -> None:
        with pytest.raises(ValueError, match="threshold is 0"):
            suppress_small_numbers(pd.DataFrame({"numerator": [1]}), threshold=0)
        with pytest.raises(ValueError, match=r"numerator at row 0 is -2\.0"):
            suppress_small_numbers(pd.DataFrame({"numerator": [-2]}))


@pytest.mark.realdata
def test_real_data_zone_populations_add_up_to_published_iz_and_council_estimates(
    real_data_dir: Path,
) -> None:
    """NRS small-area estimates: our sums of data zones equal NRS's own IZ and council figures."""
    wide = pd.read_csv(real_data_dir / "timeseries" / "population_estimates_dz_2001_2019_wide.csv")
    years = [str(year) for year in (2011, 2019)]
    zones = wide.groupby("FeatureCode")[years].sum().reset_index()
    data = zones.melt(id_vars="FeatureCode", var_name="period", value_name="numerator")
    data = data.rename(columns={"FeatureCode": "area"}).assign(
        denominator=1, indicator="population", period=lambda f: f["period"].astype(int)
    )
    lookup = pd.read_csv(real_data_dir / "datazone2011_lookup.csv")
    mapping = level_mapping(
        lookup.rename(columns={"DZ2011_Code": "area"}),
        area_column="area",
        group_columns=["IZ2011_Code", "LA_Code"],
    )
    ours = aggregate_counts(data, mapping).set_index(["group", "period"])["numerator"]
    published = pd.read_csv(real_data_dir / "timeseries" / "population_estimates_2001_2019.csv")
    published = published[published["FeatureCode"].str.match(r"S0?2|S12")]
    published = published[published["DateCode"].isin([2011, 2019])]
    totals = published.groupby(["FeatureCode", "DateCode"])["Value"].sum()
    totals.index.names = ["group", "period"]
    assert len(ours) == (1279 + 32) * 2
    assert (ours.sort_index() == totals.reindex(ours.index).sort_index()).all()
    assert ours.loc[("S12000033", 2019)] == 228_670  # Aberdeen City, NRS mid-2019 estimate


class TestLargeKeySpaces:
    """Layouts that take the hashed paths instead of dense ``bincount`` arrays."""

    def test_many_areas_and_periods_in_any_order(self) -> None:
        rng = np.random.default_rng(3)
        n = 1100
        data = pd.DataFrame(
            {
                "area": [f"DZ{i}" for i in range(n)],
                "period": rng.permutation(n),
                "numerator": rng.integers(0, 50, n),
                "denominator": 100,
            }
        ).sample(frac=1, random_state=4)
        mapping = {f"DZ{i}": f"G{i % 1000}" for i in range(n)}
        result = aggregate_counts(data, mapping, by=["period"])
        expected = (
            data.assign(group=data["area"].map(mapping))
            .groupby(["group", "period"])["numerator"]
            .sum()
        )
        ours = result.set_index(["group", "period"])["numerator"]
        assert ours.sort_index().to_dict() == expected.astype(float).to_dict()
        with pytest.raises(ValueError, match="repeat the same"):
            aggregate_counts(pd.concat([data, data.iloc[[5]]]), mapping, by=["period"])

    def test_many_key_columns_with_many_values(self) -> None:
        # 70,000 distinct values in each of four columns: 70,000⁴ combinations overflow int64,
        # so the codes are renumbered on the way; the keys must still come back right.
        rng = np.random.default_rng(5)
        n = 70_000
        keys = {f"k{i}": rng.permutation(n) for i in range(4)}
        data = pd.DataFrame({"area": "DZ1", **keys, "numerator": 1.0, "denominator": 2.0})
        result = aggregate_counts(data, {"DZ1": "IZ1"}, by=list(keys))
        assert len(result) == n
        expected = data.sort_values(list(keys))[list(keys)].to_numpy()
        assert (result[list(keys)].to_numpy() == expected).all()

    def test_nothing_left_after_dropping_unmapped_areas(self) -> None:
        result = aggregate_counts(small_data(), {"DZ9": "IZ9"}, unmapped="drop")
        assert result.empty
        assert {"group", "indicator", "numerator", "n_areas", "complete"} <= set(result.columns)
