"""Property tests for community profiles: unrelated communities and row order change nothing."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from outcomes.community import community_scores, improvement_scores

YEARS = ("2010/11", "2021/22")
values = st.floats(min_value=0.5, max_value=1000, allow_nan=False, allow_infinity=False)


@st.composite
def communities(draw: st.DrawFn, prefix: str, cpp: str, typology: str) -> pd.DataFrame:
    """3–8 communities of one CPP and one typology group, two measures, two years."""
    n = draw(st.integers(min_value=3, max_value=8))
    rows = [
        (f"{prefix}{i}", measure, year, draw(values), cpp, typology)
        for i in range(n)
        for measure in ("Good", "Bad")
        for year in YEARS
    ]
    return pd.DataFrame(
        rows, columns=["InterZone", "Indicator", "Year", "value", "CPP", "TypologyGroup"]
    )


POLARITY = {"Good": 1, "Bad": -1}


def _scores(data: pd.DataFrame) -> pd.DataFrame:
    cpp = dict(zip(data["InterZone"], data["CPP"], strict=False))
    typ = dict(zip(data["InterZone"], data["TypologyGroup"], strict=False))
    scores = community_scores(data, cpp_of=cpp, typology_of=typ, polarity=POLARITY)
    change = improvement_scores(
        data,
        cpp_of=cpp,
        typology_of=typ,
        polarity=POLARITY,
        first_year=YEARS[0],
        last_year=YEARS[1],
    )
    wide = scores.merge(change, on=["InterZone", "CPP", "TypologyGroup", "Indicator"], how="left")
    return wide.sort_values(["InterZone", "Indicator", "Year"]).reset_index(drop=True)


PROFILE = ["CPPScore", "TypeScore", "Change", "CPPChangeScore", "TypeChangeScore"]


@settings(max_examples=40, deadline=None)
@given(mine=communities("A", "CPP-A", "T1"), other=communities("B", "CPP-B", "T2"))
def test_profile_unchanged_when_unrelated_communities_are_added(
    mine: pd.DataFrame, other: pd.DataFrame
) -> None:
    alone = _scores(mine)
    together = _scores(pd.concat([mine, other], ignore_index=True))
    together = together[together["CPP"] == "CPP-A"].reset_index(drop=True)
    np.testing.assert_allclose(together[PROFILE], alone[PROFILE], rtol=1e-9, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(data=communities("A", "CPP-A", "T1"), seed=st.integers(min_value=0, max_value=2**31))
def test_scores_do_not_depend_on_row_order(data: pd.DataFrame, seed: int) -> None:
    shuffled = data.sample(frac=1.0, random_state=seed)
    pd.testing.assert_frame_equal(_scores(shuffled), _scores(data), rtol=1e-12, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(data=communities("A", "CPP-A", "T1"), scale=st.floats(min_value=0.1, max_value=100))
def test_scores_do_not_depend_on_units(data: pd.DataFrame, scale: float) -> None:
    """z-scores and relative change are unchanged when a measure is rescaled (e.g. % → per 1,000)."""
    rescaled = data.assign(value=data["value"] * scale)
    np.testing.assert_allclose(
        _scores(rescaled)[PROFILE], _scores(data)[PROFILE], rtol=1e-7, atol=1e-7
    )
