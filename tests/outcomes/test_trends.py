"""Trends and progress against the worked examples of METHODS §5."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from outcomes.trends import (
    change_from_baseline,
    commitment_status,
    compound_annual_growth_rate,
    cpop_traffic_light,
    describe_change,
    direction_against_recent_average,
    direction_of_travel,
    format_value,
    improvement_rate,
    period_start_year,
    sdg_progress,
    trend_table,
)
from outcomes.types import CommitmentStatus, Direction, Polarity, ProgressStatus, TrafficLight

UP = Polarity.HIGHER_IS_BETTER
DOWN = Polarity.LOWER_IS_BETTER


class TestGrowthAndChange:
    def test_cagr_worked_example(self) -> None:
        assert float(compound_annual_growth_rate(50, 55, 5)) == pytest.approx(0.0192449, abs=5e-8)

    def test_change_from_baseline(self) -> None:
        change = change_from_baseline([12.1, 20], [14.3, 15])
        assert change.absolute == pytest.approx([2.2, -5])
        assert change.relative_percent == pytest.approx([2.2 / 12.1 * 100, -25])

    def test_cpop_improvement_rate(self) -> None:
        assert float(improvement_rate(80, 90)) == pytest.approx(12.5)

    @pytest.mark.parametrize(
        ("first", "last", "years", "message"),
        [
            (0, 5, 5, "first value at position 0 is 0.0: growth needs non-zero"),
            (-1, 5, 5, "growth needs non-zero first and last values of the same sign"),
            (1, 5, 0, "years at position 0 is 0.0: must be greater than zero"),
            (np.nan, 5, 1, "first value at position 0 is nan"),
        ],
    )
    def test_cagr_rejects_undefined_growth(
        self, first: float, last: float, years: float, message: str
    ) -> None:
        with pytest.raises(ValueError, match=message):
            compound_annual_growth_rate(first, last, years)

    def test_relative_change_from_zero_is_undefined(self) -> None:
        with pytest.raises(ValueError, match="relative change from a baseline of 0 is undefined"):
            change_from_baseline([0], [1])

    def test_period_start_year(self) -> None:
        labels: list[str | int] = ["2014/15", "2015-2017", 2019]
        assert period_start_year(labels).tolist() == [2014, 2015, 2019]
        with pytest.raises(ValueError, match="period at position 1 is 'latest'"):
            period_start_year(["2014/15", "latest"])


class TestDirection:
    def test_polarity_and_tolerance(self) -> None:
        result = direction_of_travel(
            [10, 10, 10, 10, 10], [12, 8, 10.1, 12, np.nan], polarity=DOWN, tolerance=0.02
        )
        assert result.tolist() == [
            Direction.WORSENING,
            Direction.IMPROVING,
            Direction.MAINTAINING,
            Direction.WORSENING,
            Direction.INSUFFICIENT_DATA,
        ]
        assert str(direction_of_travel(10, 12, polarity=UP)) == Direction.IMPROVING

    def test_absolute_tolerance(self) -> None:
        assert (
            str(
                direction_of_travel(
                    1.0, 1.08, polarity=UP, tolerance=0.1, tolerance_kind="absolute"
                )
            )
            == Direction.MAINTAINING
        )

    def test_overlapping_intervals_mean_no_clear_change(self) -> None:
        result = direction_of_travel(
            [20, 20],
            [22, 30],
            polarity=UP,
            baseline_interval=([18.3, 18.3], [21.8, 21.8]),
            current_interval=([20.2, 28.0], [23.9, 32.0]),
        )
        assert result.tolist() == [Direction.NO_CLEAR_CHANGE, Direction.IMPROVING]

    def test_bad_settings(self) -> None:
        with pytest.raises(ValueError, match="tolerance is -1"):
            direction_of_travel(1, 2, polarity=UP, tolerance=-1)
        with pytest.raises(ValueError, match="tolerance_kind='percent'"):
            direction_of_travel(1, 2, polarity=UP, tolerance_kind="percent")  # type: ignore[arg-type]

    def test_npf_latest_against_previous_three_years(self) -> None:
        # Economic growth: latest against the average of the previous three, ±0.1 points.
        assert (
            direction_against_recent_average([1.0, 1.2, 0.8, 1.05], polarity=UP, tolerance=0.1)
            == Direction.MAINTAINING
        )
        assert (
            direction_against_recent_average([1.0, 1.2, 0.8, 1.2], polarity=UP, tolerance=0.1)
            == Direction.IMPROVING
        )
        assert (
            direction_against_recent_average([1.2, 0.8, 0.5], polarity=UP, tolerance=0.1)
            == Direction.INSUFFICIENT_DATA
        )


class TestTrafficLight:
    def test_both_better_green_both_worse_red_else_amber(self) -> None:
        # Lower is better (e.g. crime): value and improvement rate both against the comparator.
        result = cpop_traffic_light(
            value=[10, 12, 10, 11],
            first_value=[12, 11, 9, 12],
            comparator_value=[11, 11, 11, 11],
            comparator_first_value=[12, 12, 12, 12],
            polarity=DOWN,
        )
        assert result.light.tolist() == [
            TrafficLight.GREEN,
            TrafficLight.RED,
            TrafficLight.AMBER,
            TrafficLight.AMBER,
        ]
        assert result.improvement_rate[0] == pytest.approx(-100 / 6)
        assert result.comparator_improvement_rate[0] == pytest.approx(-100 / 12)

    def test_higher_is_better(self) -> None:
        result = cpop_traffic_light(
            value=90, first_value=80, comparator_value=85, comparator_first_value=80, polarity=UP
        )
        assert str(result.light) == TrafficLight.GREEN


class TestOpenSdgProgress:
    def test_no_target_substantial_progress(self) -> None:
        result = sdg_progress([2015, 2020], [50, 55], polarity=UP)
        assert result.status == ProgressStatus.SUBSTANTIAL
        assert result.observed_growth == pytest.approx(0.0192449, abs=5e-8)
        assert result.sentence == (
            "This measure went from 50.0 in 2015 to 55.0 in 2020 (+1.9% a year): substantial progress."
        )

    def test_with_target_moderate_progress(self) -> None:
        result = sdg_progress([2015, 2020], [50, 55], polarity=UP, target=80, target_year=2030)
        assert result.required_growth == pytest.approx(0.0318296, abs=5e-8)
        assert result.progress_value == pytest.approx(0.604621, abs=5e-7)
        assert result.status == ProgressStatus.MODERATE

    def test_lower_is_better_rising_is_deterioration(self) -> None:
        result = sdg_progress([2015, 2020], [20, 22], polarity=DOWN)
        assert result.status == ProgressStatus.DETERIORATION

    def test_limited_progress_and_target_achieved(self) -> None:
        assert sdg_progress([2015, 2020], [50, 51], polarity=UP).status == ProgressStatus.LIMITED
        achieved = sdg_progress([2015, 2020], [20, 14], polarity=DOWN, target=15, measure="Crime")
        assert achieved.status == ProgressStatus.TARGET_ACHIEVED
        assert achieved.sentence == "Crime has reached its target: 14.0 in 2020, from 20.0 in 2015."

    def test_base_year_moves_to_the_next_year_with_data(self) -> None:
        result = sdg_progress([2013, 2016, 2018], [40, 50, 52], polarity=UP, base_year=2015)
        assert result.base_year == 2016
        assert result.base_value == 50

    def test_missing_values_are_dropped(self) -> None:
        result = sdg_progress([2015, 2016, 2020], [50, np.nan, 55], polarity=UP)
        assert result.current_year == 2020

    def test_no_data_and_insufficient_data(self) -> None:
        assert sdg_progress([], [], polarity=UP).status == ProgressStatus.NO_DATA
        one_year = sdg_progress([2020], [5], polarity=UP, measure="Attainment")
        assert one_year.status == ProgressStatus.INSUFFICIENT_DATA
        assert one_year.sentence == (
            "Attainment: progress cannot be assessed because progress needs data in at least two "
            "years from 2015."
        )
        assert (
            sdg_progress([2010, 2012], [5, 6], polarity=UP).status
            == ProgressStatus.INSUFFICIENT_DATA
        )
        crossing = sdg_progress([2015, 2020], [-5, 6], polarity=UP)
        assert crossing.status == ProgressStatus.INSUFFICIENT_DATA

    def test_zero_base_and_zero_target_use_open_sdg_substitute(self) -> None:
        result = sdg_progress([2015, 2020], [0, 0.002], polarity=UP)
        assert result.observed_growth == pytest.approx(2 ** (1 / 5) - 1)
        towards_zero = sdg_progress([2015, 2020], [10, 5], polarity=DOWN, target=0)
        assert towards_zero.required_growth == pytest.approx((0.001 / 10) ** (1 / 15) - 1)

    def test_negative_base_value_flips_the_sign(self) -> None:
        result = sdg_progress([2015, 2020], [-10, -8], polarity=UP)
        assert result.progress_value == pytest.approx(-((0.8) ** 0.2 - 1))
        assert result.status == ProgressStatus.SUBSTANTIAL

    def test_bad_input(self) -> None:
        with pytest.raises(ValueError, match="year 2015 appears more than once"):
            sdg_progress([2015, 2015, 2020], [1, 2, 3], polarity=UP)
        with pytest.raises(ValueError, match="target year 2010 must be after the base year 2015"):
            sdg_progress([2015, 2020], [1, 2], polarity=UP, target=5, target_year=2010)
        with pytest.raises(ValueError, match="same length"):
            sdg_progress([2015, 2020], [1], polarity=UP)


class TestCommitmentStatus:
    def test_worked_example(self) -> None:
        result = commitment_status(
            start=date(2024, 1, 1),
            end=date(2024, 12, 31),
            as_of=date(2024, 7, 1),
            percent_complete=40,
        )
        assert result.percent_time_elapsed == pytest.approx(49.863, abs=5e-4)
        assert result.performance == pytest.approx(80.2, abs=0.05)
        assert result.status == CommitmentStatus.MONITOR
        assert result.sentence == (
            "This commitment is 40% complete with 49.9% of its time gone (performance 80.2): monitor."
        )

    @pytest.mark.parametrize(
        ("as_of", "percent", "status"),
        [
            (date(2024, 7, 1), 45, CommitmentStatus.ON_TRACK),
            (date(2024, 7, 1), 34.9, CommitmentStatus.OFF_TRACK),
            (date(2025, 3, 1), 100, CommitmentStatus.ON_TRACK),
            (date(2025, 3, 1), 80, CommitmentStatus.MONITOR),
            (date(2025, 3, 1), 70, CommitmentStatus.OFF_TRACK),
            (date(2023, 12, 1), 0, CommitmentStatus.NOT_STARTED),
            (date(2023, 12, 1), 100, CommitmentStatus.ON_TRACK),
        ],
    )
    def test_thresholds_and_edges(
        self, as_of: date, percent: float, status: CommitmentStatus
    ) -> None:
        result = commitment_status(
            start=date(2024, 1, 1), end=date(2024, 12, 31), as_of=as_of, percent_complete=percent
        )
        assert result.status == status

    def test_sentences_for_complete_and_future(self) -> None:
        done = commitment_status(
            start=date(2024, 1, 1),
            end=date(2024, 12, 31),
            as_of=date(2024, 3, 1),
            percent_complete=100,
            title="Open the hub",
        )
        assert done.sentence == "Open the hub is complete."
        future = commitment_status(
            start=date(2024, 1, 1),
            end=date(2024, 12, 31),
            as_of=date(2023, 3, 1),
            percent_complete=0,
        )
        assert future.sentence == "This commitment starts on 1 January 2024."
        assert future.performance is None

    def test_bad_input(self) -> None:
        with pytest.raises(
            ValueError, match="end date 2024-01-01 must be after start date 2024-06-01"
        ):
            commitment_status(
                start=date(2024, 6, 1),
                end=date(2024, 1, 1),
                as_of=date(2024, 3, 1),
                percent_complete=5,
            )
        with pytest.raises(ValueError, match="percent complete is 120"):
            commitment_status(
                start=date(2024, 1, 1),
                end=date(2024, 6, 1),
                as_of=date(2024, 3, 1),
                percent_complete=120,
            )


class TestSentences:
    def test_the_example_sentence(self) -> None:
        sentence = describe_change(
            measure="Child poverty",
            baseline=12.1,
            current=14.3,
            baseline_period="2014/15",
            unit="%",
            comparator_baseline=12.0,
            comparator_current=13.0,
        )
        assert (
            sentence
            == "Child poverty rose from 12.1% to 14.3% since 2014/15, faster than in similar areas."
        )

    @pytest.mark.parametrize(
        ("comparator", "ending"),
        [
            ((10.0, 8.0), "slower than in Scotland."),
            ((10.0, 9.5), "faster than in Scotland."),
            ((10.0, 9.0), "at about the same pace as in Scotland."),
            ((10.0, 11.0), "while it rose in Scotland."),
            ((10.0, 10.0), "while it was unchanged in Scotland."),
        ],
    )
    def test_pace_against_a_comparator(self, comparator: tuple[float, float], ending: str) -> None:
        sentence = describe_change(
            measure="Crime",
            baseline=500,
            current=450,
            baseline_period="2010/11",
            unit="per 10,000",
            comparator_baseline=comparator[0],
            comparator_current=comparator[1],
            comparator_name="Scotland",
        )
        assert (
            sentence
            == f"Crime fell from 500.0 per 10,000 to 450.0 per 10,000 since 2010/11, {ending}"
        )

    def test_unchanged_and_uncertain(self) -> None:
        assert (
            describe_change(
                measure="Attainment", baseline=5.0, current=5.01, baseline_period="2015"
            )
            == "Attainment stayed at 5.0 since 2015."
        )
        assert (
            describe_change(
                measure="Attainment",
                baseline=5.0,
                current=5.0,
                baseline_period="2015",
                comparator_baseline=4.0,
                comparator_current=4.4,
            )
            == "Attainment stayed at 5.0 since 2015, while it rose in similar areas."
        )
        assert (
            describe_change(
                measure="Attainment",
                baseline=5.0,
                current=6.0,
                baseline_period="2015",
                direction=Direction.NO_CLEAR_CHANGE,
            )
            == "Attainment was 5.0 in 2015 and is 6.0 now: no clear change, given the uncertainty in the figures."
        )
        assert (
            describe_change(
                measure="Attainment",
                baseline=5.0,
                current=6.0,
                baseline_period="2015",
                direction=Direction.INSUFFICIENT_DATA,
            )
            == "Attainment: there are not enough data to describe the change since 2015."
        )

    def test_format_value(self) -> None:
        assert format_value(1234.56, "per 100,000") == "1,234.6 per 100,000"
        assert format_value(12.345, "%", decimals=2) == "12.35%"
        assert format_value(3) == "3.0"


def series_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area": ["A"] * 3 + ["B"] * 3 + ["C"] + ["D"] * 2 + ["E"] * 2,
            "indicator": ["poverty"] * 11,
            "year": [2014, 2016, 2021, 2014, 2016, 2021, 2014, 2014, 2021, 2014, 2021],
            "value": [12.1, 13.0, 14.3, 20.0, 18.0, np.nan, 5.0, 0.0, 2.0, 3.0, -1.0],
        }
    )


class TestTrendTable:
    def test_per_series_figures(self) -> None:
        table = trend_table(
            series_frame(),
            group_columns=["area", "indicator"],
            time_column="year",
            value_column="value",
            polarity=DOWN,
            tolerance=0.02,
        ).set_index("area")
        a = table.loc["A"]
        assert (a["baseline_time"], a["baseline_value"], a["latest_time"], a["latest_value"]) == (
            2014,
            12.1,
            2021,
            14.3,
        )
        assert a["annual_growth"] == pytest.approx((14.3 / 12.1) ** (1 / 7) - 1)
        assert a["relative_change"] == pytest.approx((14.3 / 12.1 - 1) * 100)
        assert a["direction"] == Direction.WORSENING
        assert table.loc["B", "latest_time"] == 2016  # the missing 2021 value is skipped
        assert table.loc["B", "direction"] == Direction.IMPROVING
        assert table.loc["C", "direction"] == Direction.INSUFFICIENT_DATA
        assert table.loc["C", "note"] == "needs values in two periods (including the baseline)"
        assert (
            table.loc["D", "note"]
            == "the baseline is 0, so relative change and growth are undefined"
        )
        assert (
            table.loc["E", "note"]
            == "the values change sign or reach 0, so annual growth is undefined"
        )
        assert table["annual_growth"].isna().tolist() == [False, False, True, True, True]

    def test_row_order_does_not_matter(self) -> None:
        def table(frame: pd.DataFrame) -> pd.DataFrame:
            result = trend_table(
                frame,
                group_columns=["area"],
                time_column="year",
                value_column="value",
                polarity=DOWN,
            )
            return result.set_index("area").sort_index()

        shuffled = series_frame().sample(frac=1, random_state=8)
        pd.testing.assert_frame_equal(table(shuffled), table(series_frame()))

    def test_fixed_baseline_and_intervals(self) -> None:
        frame = (
            series_frame()
            .iloc[:6]
            .assign(low=lambda f: f["value"] - 1, high=lambda f: f["value"] + 1)
        )
        table = trend_table(
            frame,
            group_columns=["area"],
            time_column="year",
            value_column="value",
            polarity=DOWN,
            baseline_time=2016,
            lower_column="low",
            upper_column="high",
        ).set_index("area")
        assert table.loc["A", "baseline_value"] == 13.0
        assert table.loc["A", "direction"] == Direction.NO_CLEAR_CHANGE
        assert table.loc["B", "direction"] == Direction.INSUFFICIENT_DATA

    def test_polarity_column(self) -> None:
        frame = series_frame().iloc[:3].assign(polarity=1)
        frame = pd.concat([frame, frame.assign(indicator="crime", polarity=-1)])
        table = trend_table(
            frame,
            group_columns=["indicator"],
            time_column="year",
            value_column="value",
            polarity="polarity",
        ).set_index("indicator")
        assert table.loc["poverty", "direction"] == Direction.IMPROVING
        assert table.loc["crime", "direction"] == Direction.WORSENING

    def test_bad_input(self) -> None:
        with pytest.raises(ValueError, match="give both lower_column and upper_column"):
            trend_table(
                series_frame(),
                group_columns=["area"],
                time_column="year",
                value_column="value",
                polarity=UP,
                lower_column="value",
            )
        with pytest.raises(ValueError, match="repeat the same \\['area', 'year'\\]"):
            trend_table(
                pd.concat([series_frame(), series_frame().iloc[[0]]]),
                group_columns=["area"],
                time_column="year",
                value_column="value",
                polarity=UP,
            )
        with pytest.raises(ValueError, match="year must be numbers"):
            trend_table(
                series_frame().assign(year="2014/15").iloc[[0]],
                group_columns=["area"],
                time_column="year",
                value_column="value",
                polarity=UP,
            )
