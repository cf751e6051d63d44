"""Within-council quintiles, population-weighted, on small fictional councils with known answers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cplan.geography.deprivation import local_quintiles


def test_equal_zones_fall_one_per_quintile() -> None:
    # Five zones of 100 people: midpoints at 10 %, 30 %, 50 %, 70 %, 90 %.
    result = local_quintiles(
        groups=["Borsetshire"] * 5, ranks=[1, 2, 3, 4, 5], populations=[100] * 5
    )
    assert result.tolist() == [1, 2, 3, 4, 5]


def test_input_order_is_kept_and_groups_are_separate() -> None:
    # Borsetshire zones given out of rank order; Felpersham ranked among them nationally.
    groups = ["Borsetshire", "Felpersham", "Borsetshire", "Felpersham", "Borsetshire"]
    ranks = [900, 10, 40, 5000, 2000]
    populations = [300, 500, 300, 500, 400]
    # Borsetshire by rank: 40 (300), 900 (300), 2000 (400) of 1,000 people:
    #   midpoints 150, 450, 800 -> shares 0.15, 0.45, 0.80 -> quintiles 1, 3, 5 (0.80 is a tie).
    # Felpersham by rank: 10 (500), 5000 (500) of 1,000: midpoints 0.25, 0.75 -> 2, 4.
    result = local_quintiles(groups=groups, ranks=ranks, populations=populations)
    assert result.tolist() == [3, 2, 1, 4, 5]


def test_a_midpoint_exactly_on_a_cut_goes_to_the_less_deprived_quintile() -> None:
    # 100, 100, 100, 200 people: the last zone's midpoint is 400/500 = 80 % exactly.
    result = local_quintiles(groups=["A"] * 4, ranks=[1, 2, 3, 4], populations=[100, 100, 100, 200])
    assert result.tolist() == [1, 2, 3, 5]


def test_a_large_most_deprived_zone_can_leave_quintile_1_empty() -> None:
    # 300 of 500 people in the most deprived zone: its midpoint is at 30 %, nearer 20 % than the
    # zone boundary after it (60 %) is, so the cut at 20 % falls before it.
    result = local_quintiles(groups=["A"] * 3, ranks=[1, 2, 3], populations=[300, 100, 100])
    assert result.tolist() == [2, 4, 5]


def test_equal_ranks_keep_the_order_given() -> None:
    result = local_quintiles(groups=["A", "A"], ranks=[7, 7], populations=[100, 100])
    assert result.tolist() == [2, 4]


def test_a_zone_with_nobody_takes_the_quintile_it_falls_in() -> None:
    result = local_quintiles(groups=["A"] * 3, ranks=[1, 2, 3], populations=[100, 0, 100])
    # Cumulative before the empty zone is 100 of 200: 50 % -> quintile 3.
    assert result.tolist() == [2, 3, 4]


def test_a_group_without_population_is_an_error() -> None:
    with pytest.raises(ValueError, match="'Ambridge' has no population"):
        local_quintiles(groups=["Ambridge", "Ambridge"], ranks=[1, 2], populations=[0, 0])


def test_negative_population_is_an_error() -> None:
    with pytest.raises(ValueError, match="must not be negative: zone 1 has -5"):
        local_quintiles(groups=["A", "A"], ranks=[1, 2], populations=[10, -5])


def test_lengths_must_match() -> None:
    with pytest.raises(ValueError, match="same length"):
        local_quintiles(groups=["A"], ranks=[1, 2], populations=[10, 10])


zones = st.lists(
    st.tuples(st.sampled_from(["A", "B", "C"]), st.integers(0, 2000)), min_size=1, max_size=60
)


@given(zones)
def test_quintiles_follow_rank_and_cuts_are_within_half_a_zone(
    zone_list: list[tuple[str, int]],
) -> None:
    groups = [group for group, _ in zone_list]
    populations = [population for _, population in zone_list]
    ranks = list(range(1, len(zone_list) + 1))
    if any(sum(p for g2, p in zone_list if g2 == g) == 0 for g in set(groups)):
        with pytest.raises(ValueError, match="has no population"):
            local_quintiles(groups=groups, ranks=ranks, populations=populations)
        return
    result = local_quintiles(groups=groups, ranks=ranks, populations=populations)
    for group in set(groups):
        mask = np.array(groups) == group
        quintile = result[mask]
        people = np.array(populations)[mask]
        assert (np.diff(quintile) >= 0).all(), "quintile never falls as deprivation falls"
        assert quintile.min() >= 1
        assert quintile.max() <= 5
        total = people.sum()
        for k in range(1, 5):
            held = people[quintile <= k].sum()
            assert abs(held - k * total / 5) <= people.max() / 2 + 1e-9
