"""Measure status from a series, with the worked examples of METHODS §5 (Open SDG progress)."""

from __future__ import annotations

import pytest

from cplan.plans.status import MeasureState, measure_polarity, measure_status
from outcomes.types import Polarity, ProgressStatus

HIGHER = Polarity.HIGHER_IS_BETTER
LOWER = Polarity.LOWER_IS_BETTER


def status(years: list[int], values: list[float], **options: object) -> object:
    settings: dict[str, object] = {
        "name": "Attainment",
        "polarity": HIGHER,
        "baseline_year": 2015,
        "target_value": 80.0,
        "target_year": 2030,
        **options,
    }
    return measure_status(years=years, values=values, **settings)  # type: ignore[arg-type]


def test_moderate_progress_towards_a_target_is_off_track() -> None:
    # METHODS §5: 50 (2015) → 55 (2020), target 80 in 2030: CAGR_req 0.0318296, R 0.604621.
    result = status([2015, 2020], [50.0, 55.0])
    assert result.state == MeasureState.OFF_TRACK
    assert result.progress.status == ProgressStatus.MODERATE
    assert result.progress.progress_value == pytest.approx(0.604621, abs=1e-6)
    assert result.progress.required_growth == pytest.approx(0.0318296, abs=1e-7)
    assert "at 60% of the pace needed" in result.sentence


def test_substantial_progress_is_on_track() -> None:
    # Target 56 by 2022: CAGR_req = (56/50)^(1/7) − 1 = 0.0163216; R = 0.0192449 / 0.0163216.
    result = status([2015, 2020], [50.0, 55.0], target_value=56.0, target_year=2022)
    assert result.state == MeasureState.ON_TRACK
    assert result.progress.progress_value == pytest.approx(1.179106, abs=1e-6)


def test_reaching_the_target_is_target_met() -> None:
    result = status([2015, 2020], [50.0, 55.0], target_value=55.0)
    assert result.state == MeasureState.TARGET_MET
    assert result.sentence == "Attainment has met its target of 55.0: 55.0 in 2020."


def test_moving_away_from_the_target_is_off_track() -> None:
    # METHODS §5: 20 → 22 where lower is better is deterioration.
    result = status([2015, 2020], [20.0, 22.0], polarity=LOWER, target_value=15.0)
    assert result.state == MeasureState.OFF_TRACK
    assert result.progress.status == ProgressStatus.DETERIORATION
    assert "moving away from the target" in result.sentence


@pytest.mark.parametrize(
    ("years", "values"),
    [([], []), ([2020], [55.0]), ([2012, 2014], [40.0, 45.0])],
    ids=["no values", "one year", "only before the baseline"],
)
def test_too_few_data_is_no_data(years: list[int], values: list[float]) -> None:
    assert status(years, values).state == MeasureState.NO_DATA


def test_a_passed_target_year_without_the_target_is_off_track() -> None:
    result = status([2015, 2020], [50.0, 55.0], target_value=60.0, target_year=2019)
    assert result.state == MeasureState.OFF_TRACK
    assert result.sentence == "Attainment missed its target of 60.0 by 2019: 55.0 in 2020."


def test_a_trajectory_decides_between_on_and_off_track() -> None:
    # Straight line 50 (2015) → 54 (2020 milestone): 55 in 2020 is ahead of it, although the
    # Open SDG pace alone (R 0.60) would call it off track.
    ahead = status([2015, 2020], [50.0, 55.0], trajectory=[{"year": 2020, "value": 54.0}])
    assert ahead.state == MeasureState.ON_TRACK
    assert ahead.trajectory_value == pytest.approx(54.0)
    behind = status([2015, 2020], [50.0, 55.0], trajectory=[{"year": 2025, "value": 70.0}])
    # 2020 lies half way from 50 (2015) to 70 (2025): 60 planned, 55 observed.
    assert behind.state == MeasureState.OFF_TRACK
    assert behind.trajectory_value == pytest.approx(60.0)
    assert "behind its trajectory: 55.0 in 2020 against 60.0 planned" in behind.sentence


def test_the_percent_sign_is_shown_for_percentages() -> None:
    result = status([2015, 2020], [50.0, 55.0], target_value=55.0, unit="%")
    assert result.sentence == "Attainment has met its target of 55.0%: 55.0% in 2020."


def test_a_neutral_indicator_takes_its_direction_from_the_target() -> None:
    assert measure_polarity("neutral", baseline_value=10.0, target_value=12.0) == HIGHER
    assert measure_polarity("neutral", baseline_value=10.0, target_value=8.0) == LOWER
    assert measure_polarity("lower_is_better", baseline_value=None, target_value=8.0) == LOWER
    with pytest.raises(ValueError, match="baseline value"):
        measure_polarity("neutral", baseline_value=None, target_value=8.0)
