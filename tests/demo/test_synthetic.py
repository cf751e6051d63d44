"""The synthetic DZ series must reproduce the real IZ values they are generated from."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cplan.demo.synthetic import (
    DataZoneFrame,
    SyntheticMeasure,
    iz_check,
    synthesise_cpop_measures,
    synthesise_measure,
)

PERIODS = ["2019/20", "2020/21", "2021/22"]


def fictional_zones() -> DataZoneFrame:
    codes = [f"S01{900000 + i:06d}" for i in range(6)]
    zones = pd.DataFrame(
        {
            "iz": ["S02900001"] * 3 + ["S02900002"] * 3,
            "income_rate": [0.05, 0.10, 0.30, 0.02, 0.04, 0.08],
            "working_age_share": [0.6, 0.62, 0.58, 0.65, 0.6, 0.61],
        },
        index=codes,
    )
    population = pd.DataFrame(
        {2019: [800, 650, 900, 700, 720, 1000], 2020: [810, 640, 905, 700, 730, 990]},
        index=codes,
    )
    latest = pd.DataFrame({"% poor": [5.0, 10.0, np.nan, 2.0, 4.0, 8.0]}, index=codes)
    return DataZoneFrame(zones=zones, population=population, latest=latest)


def iz_series(values: dict[str, list[float]]) -> pd.DataFrame:
    rows = [
        {"iz": iz, "period": period, "value": value}
        for iz, series in values.items()
        for period, value in zip(PERIODS, series, strict=True)
    ]
    return pd.DataFrame(rows)


MEASURE = SyntheticMeasure("Poverty", 100.0, "working_age", "% poor", max_rate=100.0)


def test_dz_counts_add_up_to_the_real_iz_value_within_rounding() -> None:
    real = iz_series({"S02900001": [12.0, 11.5, 11.0], "S02900002": [4.0, 4.2, 4.4]})
    frame = synthesise_measure(fictional_zones(), MEASURE, real, np.random.default_rng(1))
    sums = frame.groupby(["iz", "period"])[["numerator", "denominator"]].sum().reset_index()
    merged = sums.merge(real, on=["iz", "period"])
    expected_count = merged["value"] / 100.0 * merged["denominator"]
    assert (merged["numerator"] - expected_count).abs().max() <= 0.5
    assert (frame["numerator"] == frame["numerator"].round()).all()
    assert (frame["numerator"] <= frame["denominator"]).all()


def test_latest_year_keeps_the_published_within_iz_pattern() -> None:
    real = iz_series({"S02900001": [12.0, 11.5, 11.0], "S02900002": [4.0, 4.2, 4.4]})
    frame = synthesise_measure(fictional_zones(), MEASURE, real, np.random.default_rng(1))
    latest = frame[(frame["period"] == "2021/22") & (frame["iz"] == "S02900002")]
    # Published DZ values 2 : 4 : 8 keep their order and roughly their ratios.
    values = latest["value"].to_numpy()
    assert values[0] < values[1] < values[2]
    assert values[2] / values[0] == pytest.approx(4.0, rel=0.35)


def test_percentages_never_exceed_100_even_when_the_iz_is_near_it() -> None:
    real = iz_series({"S02900001": [97.0, 98.0, 99.0], "S02900002": [95.0, 96.0, 97.0]})
    frame = synthesise_measure(fictional_zones(), MEASURE, real, np.random.default_rng(2))
    assert frame["value"].max() <= 100.0
    check = iz_check(frame, 100.0).merge(real, on=["iz", "period"], suffixes=("", "_real"))
    assert (check["value"] - check["value_real"]).abs().max() < 0.2


def test_same_seed_same_data_and_projections_are_left_out() -> None:
    iz_outcomes = pd.DataFrame(
        [
            {"InterZone": iz, "Indicator": "Poverty", "Type": kind, "Year": period, "value": v}
            for iz in ("S02900001", "S02900002")
            for period, kind, v in [
                ("2019/20", "Raw data", 10.0),
                ("2020/21", "Imputed", 9.0),
                ("2021/22", "Raw data", 8.0),
                ("2022/23", "Projected", 7.0),
            ]
        ]
    )
    first = synthesise_cpop_measures(fictional_zones(), iz_outcomes, measures=[MEASURE], seed=7)
    second = synthesise_cpop_measures(fictional_zones(), iz_outcomes, measures=[MEASURE], seed=7)
    pd.testing.assert_frame_equal(first["Poverty"], second["Poverty"])
    assert set(first["Poverty"]["period"]) == set(PERIODS)
