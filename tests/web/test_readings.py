"""The plain-English readings, against worked examples."""

import pytest

from cplan.web.readings import (
    NamedValue,
    communities_reading,
    community_measure_reading,
    community_reading,
    comparison_reading,
    extremes_reading,
    format_value,
    join_names,
    ordinal,
    profile_reading,
    quintile_reading,
    rank_highest,
)

QUANTITY = "share of its people living in Scotland's most deprived 20% of data zones"


def test_extremes_name_the_highest_and_lowest_with_scotland() -> None:
    values = [NamedValue("Felpersham", 18.0), NamedValue("Borsetshire", 37.5)]
    values.append(NamedValue("Loxley Barrett", 0.0))
    text = extremes_reading(
        values, quantity=QUANTITY, unit="%", overall=NamedValue("Scotland", 2400 / 11000 * 100)
    )
    assert text == (
        "Borsetshire has the highest share of its people living in Scotland's most deprived 20% "
        "of data zones (37.5%); Loxley Barrett has the lowest (0.0%). "
        "For Scotland as a whole it is 21.8%."
    )


def test_ties_at_the_shown_precision_are_named_together() -> None:
    # The real SIMD 2020v2 figures: three island councils have no quintile 1 data zones.
    values = [
        NamedValue("Glasgow City", 44.333516),
        NamedValue("Shetland Islands", 0.0),
        NamedValue("Orkney Islands", 0.0),
        NamedValue("Na h-Eileanan Siar", 0.0),
        NamedValue("Moray", 2.760493),
    ]
    text = extremes_reading(values, quantity=QUANTITY, unit="%")
    assert text == (
        "Glasgow City has the highest share of its people living in Scotland's most deprived "
        "20% of data zones (44.3%); Na h-Eileanan Siar, Orkney Islands and Shetland Islands "
        "have the lowest (0.0%)."
    )


def test_all_equal_and_empty() -> None:
    same = [NamedValue("A", 5.01), NamedValue("B", 4.99)]
    assert (
        extremes_reading(same, quantity="rate", unit="%")
        == "All 2 areas have the same rate (5.0%)."
    )
    assert (
        extremes_reading([], quantity="rate", unit="%") == "No figures are loaded yet for the rate."
    )


def test_formats_and_helpers() -> None:
    assert format_value(1234.56, "per 1,000") == "1,234.6 per 1,000"
    assert format_value(3.0, "") == "3.0"
    assert join_names(["A"]) == "A"
    assert join_names(["A", "B"]) == "A and B"
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
        "111th",
    ]
    assert rank_highest([44.3, 18.0, 18.0, 0.0], 18.0) == 2
    assert rank_highest([44.3, 18.0, 18.0, 0.0], 0.0) == 4


@pytest.mark.parametrize(
    ("shares", "ending"),
    [
        (
            [37.5, 15.0, 12.5, 10.0, 25.0],
            "more people in the most deprived fifth than in the least.",
        ),
        ([0.0, 0.0, 0.0, 50.0, 50.0], "fewer people in the most deprived fifth than in the least."),
        (
            [20.0, 20.0, 20.0, 20.0, 20.0],
            "as many people in the most deprived fifth as in the least.",
        ),
    ],
)
def test_quintile_reading(shares: list[float], ending: str) -> None:
    text = quintile_reading("Borsetshire", shares)
    assert text.startswith(
        f"In Borsetshire, {shares[0]:.1f}% of people live in data zones in Scotland's most "
        f"deprived fifth (SIMD quintile 1) and {shares[4]:.1f}% in the least deprived fifth"
    )
    assert text.endswith(ending)


def test_quintile_reading_without_figures() -> None:
    assert quintile_reading("Borsetshire", [0, 0, 0, 0, 0]) == (
        "No deprivation figures are loaded for Borsetshire."
    )


def test_comparison_reading_places_the_value_against_scotland_and_the_family() -> None:
    sentence = comparison_reading(
        area="Fife",
        measure="Employment rate",
        period="2021/22",
        unit="%",
        value=70.8,
        scotland=73.7,
        family_mean=70.84,
        rank=28,
        n_ranked=32,
        higher_is_better=True,
    )
    assert sentence == (
        "In 2021/22 Fife's employment rate was 70.8%: worse than Scotland (73.7%) and the same "
        "as the average of similar partnerships (70.8%); 28th best of 32."
    )
    assert (
        comparison_reading(
            area="Fife",
            measure="Crime rate",
            period="2021/22",
            unit="per 10,000",
            value=None,
            scotland=1.0,
            family_mean=None,
            rank=None,
            n_ranked=0,
            higher_is_better=False,
        )
        == "No 2021/22 figure is loaded for Fife's crime rate."
    )


def test_profile_reading_counts_directions_and_lights() -> None:
    sentence = profile_reading(
        area="Fife",
        baseline="2010/11",
        latest="2021/22",
        directions=["improving", "improving", "worsening", "insufficient data"],
        lights=["green", "red", "amber", "insufficient data"],
    )
    assert sentence == (
        "Of Fife's 4 outcome measures, between 2010/11 and 2021/22 2 improved, 0 stayed about "
        "the same, 1 worsened and 1 cannot be judged. Against Scotland, 1 are green, 1 are "
        "amber and 1 are red."
    )


def test_communities_reading_names_the_poorest_and_the_least_improved() -> None:
    assert communities_reading(
        area="Fife",
        communities=1,
        poorest="Kirkcaldy",
        least_improved=None,
        first_year="2010/11",
        latest_year="2021/22",
        worse_than_expected=1,
    ) == (
        "Of Fife's 1 community, Kirkcaldy has the poorest outcomes in 2021/22. 1 community fares "
        "worse than expected for their deprivation on at least one measure."
    )


def test_community_reading_ranks_and_measures_worse_than_expected() -> None:
    assert community_reading(
        community="Culter",
        area="Aberdeen City",
        outcome_rank=33,
        improvement_rank=1,
        scored=49,
        better_than_typology=False,
        worse_than_expected=["Child poverty", "Crime rate"],
    ) == (
        "Culter has the 33rd poorest outcomes of Aberdeen City's 49 communities and the least "
        "improvement; overall it does worse than similar communities elsewhere in Scotland. It "
        "fares worse than expected for its deprivation on child poverty and crime rate."
    )
    assert community_reading(
        community="Edgeley",
        area="Loxley Barrett",
        outcome_rank=None,
        improvement_rank=None,
        scored=0,
        better_than_typology=True,
        worse_than_expected=[],
    ) == (
        "Edgeley cannot be scored against Loxley Barrett; overall it does better than similar "
        "communities elsewhere in Scotland."
    )


def test_community_measure_reading_against_similar_and_cpp_communities() -> None:
    assert community_measure_reading(
        community="Culter",
        area="Aberdeen City",
        measure="Child poverty",
        period="2021/22",
        unit="%",
        value=12.20472,
        similar=11.8,
        area_average=16.9,
        higher_is_better=False,
    ) == (
        "In 2021/22 Culter's child poverty was 12.2%: worse than similar communities (11.8%) and "
        "better than Aberdeen City's communities (16.9%)."
    )
    assert community_measure_reading(
        community="Culter",
        area="Aberdeen City",
        measure="Attainment",
        period="2021/22",
        unit="score",
        value=None,
        similar=None,
        area_average=None,
        higher_is_better=True,
    ) == ("No 2021/22 figure is loaded for Culter's attainment.")
