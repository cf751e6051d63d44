"""A measure's status is computed from the observations, so it follows the data as they arrive."""

from __future__ import annotations

from typing import Any

import pytest

from cplan.plans import services
from cplan.plans.models import PlanMeasure
from cplan.plans.selectors import measure_rows
from cplan.plans.status import MeasureState
from outcomes.types import InequalityTrend
from tests.geography.factories import IntermediateZoneFactory
from tests.plans.factories import (
    PlanParts,
    World,
    build_plan,
    build_world,
    locality,
    observe,
    quintile,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.fixture
def parts(world: World) -> PlanParts:
    return build_plan(world)  # child poverty (lower is better), baseline 2016, target 18 by 2030


def state_of(measure: PlanMeasure) -> MeasureState:
    [row] = measure_rows([PlanMeasure.objects.get(pk=measure.pk)])
    return row.status.state


def test_status_follows_the_data(world: World, parts: PlanParts) -> None:
    assert state_of(parts.measure) == MeasureState.NO_DATA
    observe(world.indicator, world.council_area, {2016: 25.0, 2019: 24.0})
    # CAGR (24/25)^(1/3) − 1 = −0.013515; needed (18/25)^(1/14) − 1 = −0.023191; R = 0.58277.
    [row] = measure_rows([parts.measure])
    assert row.status.state == MeasureState.OFF_TRACK
    assert row.status.progress is not None
    assert row.status.progress.progress_value == pytest.approx(0.582766, abs=1e-6)
    observe(world.indicator, world.council_area, {2021: 19.0})
    # (19/25)^(1/5) − 1 = −0.05342: R = 2.30, substantial progress.
    assert state_of(parts.measure) == MeasureState.ON_TRACK
    observe(world.indicator, world.council_area, {2022: 17.5})
    assert state_of(parts.measure) == MeasureState.TARGET_MET


def test_projections_do_not_count(world: World, parts: PlanParts) -> None:
    observe(world.indicator, world.council_area, {2016: 25.0, 2019: 24.0})
    observe(world.indicator, world.council_area, {2024: 10.0}, kind="projected")
    assert state_of(parts.measure) == MeasureState.OFF_TRACK
    observe(world.indicator, world.council_area, {2020: 16.0}, kind="imputed")
    [row] = measure_rows([parts.measure])
    assert row.status.state == MeasureState.TARGET_MET
    assert row.data.series.kinds == ["imputed", "observed"]


def test_a_quintile_measure_reads_its_quintile(world: World, parts: PlanParts) -> None:
    observe(world.indicator, world.council_area, {2016: 25.0, 2021: 24.0})  # the total
    observe(world.indicator, world.council_area, {2016: 40.0, 2021: 20.0}, breakdown=quintile(1))
    measure = services.measure_create(
        user=world.officer,
        outcome=parts.outcome,
        indicator=world.indicator,
        area=world.council_area,
        breakdown="simd_q1",
        baseline_period="2016",
        target_value=20.0,
        target_year=2030,
    )
    [total, most_deprived] = measure_rows([parts.measure, measure])
    assert total.status.state == MeasureState.OFF_TRACK
    assert most_deprived.status.state == MeasureState.TARGET_MET
    assert most_deprived.data.series.values == [40.0, 20.0]


def gap_measure(world: World, parts: PlanParts, **changes: Any) -> PlanMeasure:
    values: dict[str, Any] = {
        "user": world.officer,
        "outcome": parts.outcome,
        "indicator": world.indicator,
        "area": world.council_area,
        "breakdown": "simd_gap",
        "baseline_period": "2016",
        "target_value": 10.0,
        "target_year": 2030,
        **changes,
    }
    return services.measure_create(**values)


def test_a_widening_gap_is_found_and_judged(world: World, parts: PlanParts) -> None:
    # Lower is better: the gap is quintile 1 minus quintile 5: 20, 22.1, 23.9, 26 — widening.
    observe(
        world.indicator,
        world.council_area,
        {2016: 30.0, 2017: 32.1, 2018: 33.9, 2019: 36.0},
        breakdown=quintile(1),
    )
    observe(
        world.indicator,
        world.council_area,
        {2016: 10.0, 2017: 10.0, 2018: 10.0, 2019: 10.0},
        breakdown=quintile(5),
    )
    measure = gap_measure(world, parts)
    [total, gap] = measure_rows([parts.measure, measure])
    assert gap.data.series.values == pytest.approx([20.0, 22.1, 23.9, 26.0])
    assert gap.status.state == MeasureState.OFF_TRACK
    assert "moving away from the target" in gap.status.sentence
    assert gap.gap_trend is not None
    assert gap.gap_trend.trend == InequalityTrend.WIDENING
    # The total measure of the same indicator and place sees the same widening gap.
    assert total.gap_widening
    assert total.status.state == MeasureState.NO_DATA


def test_a_locality_measure_sums_counts_across_its_areas(world: World, parts: PlanParts) -> None:
    other = IntermediateZoneFactory(
        code="S02900012", name="Penny Hassett", parent=world.council_area
    )
    north = locality(world, world.zone, other)
    observe(
        world.indicator,
        world.zone,
        {2016: 25.0, 2019: 20.0},
        numerators={2016: (50, 200), 2019: (40, 200)},
    )
    observe(
        world.indicator,
        other,
        {2016: 30.0, 2019: 20.0, 2020: 10.0},
        numerators={2016: (30, 100), 2019: (20, 100), 2020: (10, 100)},
    )
    measure = services.measure_create(
        user=world.officer,
        outcome=parts.outcome,
        indicator=world.indicator,
        locality=north,
        baseline_period="2016",
        target_value=15.0,
        target_year=2030,
    )
    [row] = measure_rows([measure])
    # 2016: (50 + 30) / (200 + 100) = 26.667%; 2019: 60 / 300 = 20%; 2020 lacks Ambridge: left out.
    assert [p.period for p in row.data.series.points] == ["2016", "2019"]
    assert row.data.series.values == pytest.approx([80 / 3, 20.0])


def test_a_locality_without_counts_has_no_data_and_says_why(world: World, parts: PlanParts) -> None:
    north = locality(world, world.zone)
    observe(world.indicator, world.zone, {2016: 25.0, 2019: 20.0})
    measure = services.measure_create(
        user=world.officer,
        outcome=parts.outcome,
        indicator=world.indicator,
        locality=north,
        baseline_period="2016",
        target_value=15.0,
        target_year=2030,
    )
    [row] = measure_rows([measure])
    assert row.status.state == MeasureState.NO_DATA
    assert "no numerators and denominators" in row.status.sentence


def test_many_measures_cost_a_fixed_number_of_queries(
    world: World, parts: PlanParts, django_assert_num_queries: Any
) -> None:
    observe(world.indicator, world.council_area, {2016: 25.0, 2019: 24.0})
    north = locality(world, world.zone)
    for _ in range(3):
        gap_measure(world, parts)
        gap_measure(world, parts, area=None, locality=north)
    measures = list(
        PlanMeasure.objects.select_related(
            "indicator", "area", "locality", "outcome", "version__plan__partnership"
        )
    )
    assert len(measures) == 7
    with django_assert_num_queries(2):  # locality members, observations
        rows = measure_rows(measures)
    assert {row.status.state for row in rows} == {MeasureState.OFF_TRACK, MeasureState.NO_DATA}
