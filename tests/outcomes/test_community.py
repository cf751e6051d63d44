"""CPOP community profiles: published outputs reproduced from the real inputs, worked examples from
METHODS.md §1, and the behaviour on small hand-made examples."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from outcomes.community import (
    Pace,
    ScoreStatus,
    better_than_expected,
    binomial_standard_error,
    combined_improvement,
    combined_scores,
    community_scores,
    improvement_scores,
    pace_of_improvement,
    poisson_standard_error,
    rank_confidence,
    vulnerable_communities,
)
from tests.outcomes.published.cpop import PUBLISHED, CpopInputs, cpop_dir, load_cpop_inputs

TOLERANCE = 1e-9
LATEST, BASE = "2021/22", "2010/11"


@pytest.fixture(scope="module")
def cpop() -> CpopInputs:
    return load_cpop_inputs()


@pytest.fixture(scope="module")
def latest_scores(cpop: CpopInputs) -> pd.DataFrame:
    return community_scores(
        cpop.outcomes,
        cpp_of=cpop.cpp_of,
        typology_of=cpop.typology_of,
        polarity=cpop.polarity,
        years=[LATEST],
    )


@pytest.fixture(scope="module")
def improvement(cpop: CpopInputs) -> pd.DataFrame:
    return improvement_scores(
        cpop.outcomes,
        cpp_of=cpop.cpp_of,
        typology_of=cpop.typology_of,
        polarity=cpop.polarity,
        first_year=BASE,
        last_year=LATEST,
    )


# ----------------------------------------------------------------- published CPOP outputs


def test_every_published_community_score_is_reproduced(latest_scores: pd.DataFrame) -> None:
    published = pd.read_csv(PUBLISHED / "igz_latest_321ef4c.csv")
    joined = published.merge(
        latest_scores, on=["InterZone", "Indicator"], suffixes=("_published", ""), validate="1:1"
    )
    assert len(joined) == len(published) == 448
    assert set(joined["Indicator"]) == set(latest_scores["Indicator"])  # all 8 measures covered
    for column in ("CPPScore", "TypeScore"):
        difference = (joined[f"{column}_published"] - joined[column]).abs()
        assert difference.max() < TOLERANCE, joined.loc[difference.idxmax()]


def test_every_published_change_score_is_reproduced(improvement: pd.DataFrame) -> None:
    published = pd.read_csv(PUBLISHED / "igz_change_711c8ee.csv")
    joined = published.merge(
        improvement, on=["InterZone", "Indicator"], suffixes=("_published", ""), validate="1:1"
    )
    assert len(joined) == len(published) == 198
    for column in ("Change", "OverallZScore", "CPPChangeScore", "TypeChangeScore"):
        ours, theirs = joined[column], joined[f"{column}_published"]
        # CPOP publishes NA where a value is zero (crime rate 0 in Western Edge and Hillhead).
        assert (ours.isna() == theirs.isna()).all()
        assert (ours - theirs).abs().max() < TOLERANCE
    assert joined["Change"].isna().sum() == 2


# ------------------------------------------------------------- worked examples, METHODS §1


def test_culter_child_poverty_scores(latest_scores: pd.DataFrame) -> None:
    row = latest_scores.set_index(["InterZone", "Indicator"]).loc[("S02001236", "Child Poverty")]
    assert row["value"] == pytest.approx(12.20472, abs=1e-5)
    assert row["CPPScore"] == pytest.approx(0.4361868, abs=1e-7)
    assert row["TypeScore"] == pytest.approx(-0.0416217, abs=1e-7)


def test_culter_child_poverty_improvement(improvement: pd.DataFrame) -> None:
    row = improvement.set_index(["InterZone", "Indicator"]).loc[("S02001236", "Child Poverty")]
    assert row["Change"] == pytest.approx(-1.86348, abs=1e-5)
    assert row["OverallZScore"] == pytest.approx(-1.72638, abs=1e-5)
    assert row["CPPChangeScore"] == pytest.approx(-0.53609, abs=1e-5)
    assert row["TypeChangeScore"] == pytest.approx(-1.01732, abs=1e-5)


def test_inverclyde_poorest_three_combined(cpop: CpopInputs, latest_scores: pd.DataFrame) -> None:
    combined = combined_scores(latest_scores)
    names = dict(zip(cpop.typology["InterZone"], cpop.typology["InterZone_Name"], strict=True))
    inverclyde = combined[combined["CPP"] == "Inverclyde"].sort_values("CPPRank").head(3)
    assert [names[iz] for iz in inverclyde["InterZone"]] == [
        "Greenock Town Centre and East Central",
        "Greenock East",
        "Greenock Upper Central",
    ]
    np.testing.assert_allclose(inverclyde["CombinedCPPScore"], [-10.436, -7.873, -6.964], atol=5e-4)
    assert inverclyde["CPPRank"].tolist() == [1, 2, 3]


def test_better_than_expected_share_counts_positive_type_scores(
    latest_scores: pd.DataFrame,
) -> None:
    combined = combined_scores(latest_scores)
    shares = better_than_expected(combined).set_index("CPP")
    aberdeen = combined[combined["CPP"] == "Aberdeen City"]
    assert shares.loc["Aberdeen City", "Communities"] == 49
    assert (
        shares.loc["Aberdeen City", "BetterThanExpected"]
        == (aberdeen["CombinedTypeScore"] > 0).sum()
    )
    assert shares["Share"].between(0, 1).all()
    assert shares["Communities"].sum() == 1279


def test_vulnerable_communities_on_real_data(cpop: CpopInputs) -> None:
    # Depopulation is 100 for every community in 2010/11 (its base), so it cannot be scored there.
    measures = [m for m in cpop.polarity if m != "Depopulation"]
    result = vulnerable_communities(
        cpop.outcomes,
        cpp_of=cpop.cpp_of,
        typology_of=cpop.typology_of,
        polarity=cpop.polarity,
        base_year=BASE,
        last_year=LATEST,
        measures=measures,
    )
    assert len(result.communities) == 32 * 5
    assert (
        result.communities.groupby("CPP")["VulnerabilityRank"]
        .apply(list)
        .map(lambda ranks: ranks == [1, 2, 3, 4, 5])
        .all()
    )
    assert len(result.pace) == 32 * 5 * len(measures)
    # Crime rate 0 in 2010/11 (Hillhead, Western Edge…) leaves two comparisons without data.
    assert set(result.pace["Pace"]) <= {p.value for p in Pace}


# ------------------------------------------------------------------ small worked examples


def _toy() -> tuple[pd.DataFrame, dict[str, str], dict[str, str], dict[str, int]]:
    """Two CPPs of three communities, one 'higher is better' measure over two years."""
    rows = [
        ("A1", "M", "2010/11", 10.0),
        ("A2", "M", "2010/11", 20.0),
        ("A3", "M", "2010/11", 30.0),
        ("B1", "M", "2010/11", 5.0),
        ("B2", "M", "2010/11", 5.0),
        ("B3", "M", "2010/11", 8.0),
        ("A1", "M", "2021/22", 12.0),
        ("A2", "M", "2021/22", 20.0),
        ("A3", "M", "2021/22", 33.0),
        ("B1", "M", "2021/22", 6.0),
        ("B2", "M", "2021/22", 4.0),
        ("B3", "M", "2021/22", 8.0),
    ]
    data = pd.DataFrame(rows, columns=["InterZone", "Indicator", "Year", "value"])
    cpp = {iz: iz[0] for iz in data["InterZone"]}
    typology = {"A1": "T1", "B1": "T1", "A2": "T2", "B2": "T2", "A3": "T3", "B3": "T3"}
    return data, cpp, typology, {"M": 1}


def test_toy_scores_are_sample_z_scores_with_polarity() -> None:
    data, cpp, typology, polarity = _toy()
    scores = community_scores(data, cpp_of=cpp, typology_of=typology, polarity=polarity)
    a = scores[(scores["CPP"] == "A") & (scores["Year"] == "2010/11")]
    # mean 20, sample sd 10 → -1, 0, 1
    np.testing.assert_allclose(a["CPPScore"], [-1.0, 0.0, 1.0])
    flipped = community_scores(data, cpp_of=cpp, typology_of=typology, polarity={"M": -1})
    np.testing.assert_allclose(flipped["CPPScore"], -scores["CPPScore"])


def test_toy_improvement_is_relative_change_standardised() -> None:
    data, cpp, typology, polarity = _toy()
    result = improvement_scores(
        data, cpp_of=cpp, typology_of=typology, polarity=polarity, first_year=BASE, last_year=LATEST
    ).set_index("InterZone")
    assert result.loc["A1", "Change"] == pytest.approx(0.2)
    assert result.loc["B2", "Change"] == pytest.approx(-0.2)
    change = result["Change"]
    expected = (change - change.mean()) / change.std(ddof=1)
    np.testing.assert_allclose(result["OverallZScore"], expected)
    combined = combined_improvement(result.reset_index())
    assert (combined["MeasuresScored"] == 1).all()


def test_zero_is_missing_in_improvement_but_not_in_scores() -> None:
    data, cpp, typology, polarity = _toy()
    data.loc[0, "value"] = 0.0
    scores = community_scores(data, cpp_of=cpp, typology_of=typology, polarity=polarity)
    assert scores["CPPScore"].notna().all()
    result = improvement_scores(
        data, cpp_of=cpp, typology_of=typology, polarity=polarity, first_year=BASE, last_year=LATEST
    ).set_index("InterZone")
    assert np.isnan(result.loc["A1", "Change"])
    assert result.loc["A1", "Status"] == ScoreStatus.MISSING_VALUE
    assert result.drop(index="A1")["OverallZScore"].notna().all()


def test_statuses_explain_missing_scores() -> None:
    data, cpp, typology, polarity = _toy()
    data.loc[data["InterZone"] == "B3", "value"] = np.nan  # B has two values left each year
    data.loc[data["InterZone"] == "B2", "value"] = 5.0  # …and they are equal in 2010/11
    typology_one = {**typology, "A3": "T4"}  # A3 alone in its typology group
    scores = community_scores(data, cpp_of=cpp, typology_of=typology_one, polarity=polarity)
    by_key = scores.set_index(["InterZone", "Year"])
    assert by_key.loc[("B3", BASE), "CPPScoreStatus"] == ScoreStatus.MISSING_VALUE
    assert by_key.loc[("B1", BASE), "CPPScoreStatus"] == ScoreStatus.NO_VARIATION
    assert by_key.loc[("A3", BASE), "TypeScoreStatus"] == ScoreStatus.TOO_FEW_COMMUNITIES
    assert np.isnan(by_key.loc[("A3", BASE), "TypeScore"])
    ok = scores["CPPScoreStatus"] == ScoreStatus.OK
    assert scores.loc[ok, "CPPScore"].notna().all()
    assert scores.loc[~ok, "CPPScore"].isna().all()


def test_combined_score_needs_every_chosen_measure() -> None:
    data, cpp, typology, _ = _toy()
    second = data.assign(Indicator="N", value=data["value"] * 2)
    both = pd.concat([data, second], ignore_index=True)
    both = both.drop(index=both.index[(both["InterZone"] == "A1") & (both["Indicator"] == "N")])
    scores = community_scores(both, cpp_of=cpp, typology_of=typology, polarity={"M": 1, "N": -1})
    combined = combined_scores(scores).set_index(["InterZone", "Year"])
    assert np.isnan(combined.loc[("A1", BASE), "CombinedCPPScore"])
    assert combined.loc[("A1", BASE), "MeasuresScored"] == 1
    only_m = combined_scores(scores, measures=["M"]).set_index(["InterZone", "Year"])
    assert only_m.loc[("A1", BASE), "CombinedCPPScore"] == pytest.approx(-1.0)
    with pytest.raises(ValueError, match=r"measures \['X'\] are not in the scores"):
        combined_scores(scores, measures=["X"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.drop(columns="value"), "missing column"),
        (lambda d: d.iloc[0:0], "has no rows"),
        (lambda d: pd.concat([d, d.iloc[[0]]]), "repeat the same"),
        (lambda d: d.assign(value=d["value"].replace(30.0, np.inf)), "must be finite"),
        (
            lambda d: d.assign(InterZone=d["InterZone"].replace("A1", "Z9")),
            "'Z9': the community has no CPP",
        ),
        (lambda d: d.assign(Indicator="Q"), "'Q': the measure has no polarity"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(
    change: Callable[[pd.DataFrame], pd.DataFrame], message: str
) -> None:
    data, cpp, typology, polarity = _toy()
    with pytest.raises(ValueError, match=message):
        community_scores(change(data), cpp_of=cpp, typology_of=typology, polarity=polarity)


def test_improvement_needs_two_distinct_years_present() -> None:
    data, cpp, typology, polarity = _toy()
    with pytest.raises(ValueError, match="both '2010/11'"):
        improvement_scores(
            data,
            cpp_of=cpp,
            typology_of=typology,
            polarity=polarity,
            first_year=BASE,
            last_year=BASE,
        )
    with pytest.raises(ValueError, match="no community data for the year '1999/00'"):
        improvement_scores(
            data,
            cpp_of=cpp,
            typology_of=typology,
            polarity=polarity,
            first_year="1999/00",
            last_year=LATEST,
        )


def test_vulnerable_pace_compares_with_cpp_average_change() -> None:
    data, cpp, typology, polarity = _toy()
    result = vulnerable_communities(
        data,
        cpp_of=cpp,
        typology_of=typology,
        polarity=polarity,
        base_year=BASE,
        last_year=LATEST,
        count=1,
    )
    assert result.communities["InterZone"].tolist() == ["A1", "B1"]
    pace = result.pace.set_index("InterZone")
    # A: community +20 %; CPP average 20 → 65/3 = +8.33 % → faster
    assert pace.loc["A1", "CommunityChange"] == pytest.approx(20.0)
    assert pace.loc["A1", "CPPAverageChange"] == pytest.approx(100 * (65 / 60 - 1))
    assert pace.loc["A1", "Pace"] == Pace.FASTER
    # B: community +20 %; CPP average 6 → 6 → 0 % → faster
    assert pace.loc["B1", "Pace"] == Pace.FASTER
    with pytest.raises(ValueError, match="count is 0"):
        vulnerable_communities(
            data,
            cpp_of=cpp,
            typology_of=typology,
            polarity=polarity,
            base_year=BASE,
            last_year=LATEST,
            count=0,
        )


# ------------------------------------------------------------------------- our additions


def test_standard_errors_of_percentages_and_rates() -> None:
    np.testing.assert_allclose(binomial_standard_error([20.0], [400]), [2.0])
    np.testing.assert_allclose(
        poisson_standard_error([500.0], [10_000], per=100_000), [np.sqrt(50) * 10]
    )
    with pytest.raises(ValueError, match=r"percent at position 0 is 120\.0"):
        binomial_standard_error([120.0], [10])
    with pytest.raises(ValueError, match=r"denominator at position 0 is 0\.0"):
        poisson_standard_error([1.0], [0], per=1000)


def _rank_data(se: float) -> tuple[pd.DataFrame, dict[str, str]]:
    values = {"A1": 1.0, "A2": 2.0, "A3": 3.0, "A4": 10.0, "B1": 5.0, "B2": 6.0}
    frame = pd.DataFrame(
        {
            "InterZone": list(values),
            "Indicator": "M",
            "value": list(values.values()),
            "standard_error": se,
        }
    )
    return frame, {iz: iz[0] for iz in values}


def test_rank_confidence_without_uncertainty_is_certain() -> None:
    frame, cpp = _rank_data(0.0)
    result = rank_confidence(frame, cpp_of=cpp, polarity={"M": 1}, simulations=50, poorest=1)
    result = result.set_index("InterZone")
    assert (result["RankLow"] == result["Rank"]).all()
    assert (result["RankHigh"] == result["Rank"]).all()
    assert result.loc["A1", "ProbabilityPoorest"] == 1.0
    assert result.loc["A4", "ProbabilityPoorest"] == 0.0
    assert result.loc["A4", "Communities"] == 4


def test_rank_confidence_widens_with_uncertainty_and_is_reproducible() -> None:
    frame, cpp = _rank_data(1.0)
    first = rank_confidence(frame, cpp_of=cpp, polarity={"M": 1}, simulations=400, poorest=1)
    again = rank_confidence(frame, cpp_of=cpp, polarity={"M": 1}, simulations=400, poorest=1)
    pd.testing.assert_frame_equal(first, again)
    by_iz = first.set_index("InterZone")
    # A1 and A2 are one standard error apart: either may come first; A4 stays last.
    assert by_iz.loc["A1", "RankHigh"] >= 2
    assert 0.5 < by_iz.loc["A1", "ProbabilityPoorest"] < 1.0
    assert by_iz.loc["A4", "RankLow"] == 4
    with pytest.raises(ValueError, match="standard_error at row"):
        rank_confidence(frame.assign(standard_error=-1.0), cpp_of=cpp, polarity={"M": 1})


def test_pace_of_improvement_is_median_annual_polarity_adjusted_change() -> None:
    data = pd.DataFrame(
        {
            "CPP": ["X"] * 6 + ["Y"] * 4,
            "Indicator": [
                "Good",
                "Good",
                "Bad",
                "Bad",
                "Third",
                "Third",
                "Good",
                "Good",
                "Bad",
                "Bad",
            ],
            "Year": ["2010/11", "2020/21"] * 5,
            "value": [100.0, 121.0, 50.0, 40.5, 10.0, 10.0, 100.0, 100.0, 50.0, 0.0],
        }
    )
    per_measure, per_area = pace_of_improvement(
        data, area_column="CPP", polarity={"Good": 1, "Bad": -1, "Third": 1}
    )
    rates = per_measure.set_index(["CPP", "Indicator"])["AnnualImprovement"]
    assert rates[("X", "Good")] == pytest.approx(1.21 ** (1 / 10) - 1)
    assert rates[("X", "Bad")] == pytest.approx(-(0.81 ** (1 / 10) - 1))
    areas = per_area.set_index("CPP")
    assert areas.loc["X", "Pace"] == pytest.approx(np.median([1.21**0.1 - 1, 1 - 0.81**0.1, 0.0]))
    assert areas.loc["X", "ShareImproving"] == pytest.approx(2 / 3)
    assert areas.loc["Y", "Measures"] == 1  # 'Bad' ends at 0: no rate
    assert per_measure.set_index(["CPP", "Indicator"]).loc[("Y", "Bad"), "Status"] == (
        "first or last value not positive"
    )
    assert areas.loc["X", "PaceRank"] == 1


def test_pace_of_improvement_on_real_cpp_data(cpop: CpopInputs) -> None:
    cpp = pd.read_csv(cpop_dir() / "cpp_outcomes.csv")
    observed = cpp[(cpp["Type"] != "Projected") & (cpp["CPP"] != "Scotland")]
    # CPOP's own list of measures where a high value is bad (``5. Preprocessing…R``).
    high_is_negative = {
        "Dwelling Fires", "Unplanned Hospital Attendances", "Fuel Poverty", "Fragility",
        "Carbon Emissions", "Child Poverty", "Out of Work Benefits", "Crime Rate",
        "Emergency Admissions", "Early Mortality",
    }  # fmt: skip
    polarity = {m: -1 if m in high_is_negative else 1 for m in observed["Indicator"].unique()}
    per_measure, per_area = pace_of_improvement(observed, area_column="CPP", polarity=polarity)
    assert len(per_area) == 32
    assert per_area["PaceRank"].min() == 1
    assert per_area["Measures"].between(15, 20).all()
    one = per_measure.set_index(["CPP", "Indicator"]).loc[("Glasgow City", "Child Poverty")]
    series = observed[
        (observed["CPP"] == "Glasgow City") & (observed["Indicator"] == "Child Poverty")
    ]
    series = series.sort_values("Year")
    first, last = series["value"].iloc[0], series["value"].iloc[-1]
    years = int(series["Year"].iloc[-1][:4]) - int(series["Year"].iloc[0][:4])
    assert one["AnnualImprovement"] == pytest.approx(-((last / first) ** (1 / years) - 1))
