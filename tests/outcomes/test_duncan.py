"""The Duncan index: CPOP's published values reproduced from the real inputs, the worked examples of
METHODS.md §2, CPOP's conventions (20 % missing rule, stable order with missing last) and errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from outcomes.duncan import DuncanStatus, duncan_index, duncan_table, duncan_trend
from tests.outcomes.published.cpop import DUNCAN_MEASURES, PUBLISHED, CpopInputs, load_cpop_inputs


@pytest.fixture(scope="module")
def cpop() -> CpopInputs:
    return load_cpop_inputs()


@pytest.fixture(scope="module")
def table(cpop: CpopInputs) -> pd.DataFrame:
    return duncan_table(cpop.duncan, measures=list(DUNCAN_MEASURES.values()), area_of=cpop.cpp_of)


def _published_long() -> pd.DataFrame:
    published = pd.read_csv(PUBLISHED / "duncan_index_sep23.csv")
    long = published.melt(
        id_vars=["year", "la", "total.pop"], var_name="column", value_name="published"
    )
    return long.assign(measure=long["column"].map(DUNCAN_MEASURES))


def test_every_published_duncan_index_is_reproduced(table: pd.DataFrame) -> None:
    published = _published_long()
    reproducible = published[published["year"] != 2009]
    joined = reproducible.merge(
        table,
        left_on=["la", "year", "measure"],
        right_on=["area", "year", "measure"],
        validate="1:1",
    )
    assert len(joined) == len(reproducible) == 12 * 32 * 7
    assert (joined["status"] == DuncanStatus.OK).all()
    assert (joined["published"] - joined["duncan_index"]).abs().max() < 1e-12


def test_published_populations_match_the_inputs(cpop: CpopInputs) -> None:
    published = pd.read_csv(PUBLISHED / "duncan_index_sep23.csv")
    inputs = cpop.duncan.assign(la=cpop.duncan["InterZone"].map(cpop.cpp_of))
    totals = inputs.groupby(["year", "la"])["population"].sum().rename("ours").reset_index()
    joined = published.merge(totals, on=["year", "la"])
    assert len(joined) == 12 * 32
    np.testing.assert_allclose(joined["total.pop"], joined["ours"], rtol=0, atol=1e-6)


def test_2009_is_published_but_not_in_the_inputs(cpop: CpopInputs) -> None:
    """CPOP's 2009 figures came from ``DIData/2009 IGZ1.csv``, a file our input set lacks."""
    assert 2009 not in set(cpop.duncan["year"])
    assert (_published_long()["year"] == 2009).sum() == 32 * 7


@pytest.mark.parametrize(
    ("area", "measure", "expected"),
    [
        ("Glasgow City", "crime_rate", -0.207637768701836),
        ("Glasgow City", "child_poverty", -0.249942596923532),
        ("Aberdeen City", "crime_rate", -0.322028132892761),
        ("Orkney Islands", "crime_rate", -0.0335572093984089),
    ],
)
def test_worked_examples_2020(
    table: pd.DataFrame, area: str, measure: str, expected: float
) -> None:
    row = table[(table["area"] == area) & (table["year"] == 2020) & (table["measure"] == measure)]
    assert row["duncan_index"].item() == pytest.approx(expected, abs=1e-12)


def test_single_area_function_agrees_with_the_table(cpop: CpopInputs, table: pd.DataFrame) -> None:
    zones = cpop.duncan[
        (cpop.duncan["year"] == 2020)
        & (cpop.duncan["InterZone"].map(cpop.cpp_of) == "Glasgow City")
    ]
    value = duncan_index(
        zones["child_poverty"], zones["income_deprived"], zones["not_income_deprived"]
    )
    assert value == pytest.approx(-0.249942596923532, abs=1e-12)


def test_hand_computed_index() -> None:
    # ordered by the measure: y = 3, 1, 0 → a = .75, 1, 1; x = 0, 1, 3 → b = 0, .25, 1
    # DI = (a1 b2 + a2 b3) − (a2 b1 + a3 b2) = (.1875 + 1) − (0 + .25) = .9375
    assert duncan_index([1.0, 2.0, 3.0], [3, 1, 0], [0, 1, 3]) == pytest.approx(0.9375)
    assert duncan_index([3.0, 2.0, 1.0], [3, 1, 0], [0, 1, 3]) == pytest.approx(-0.9375)
    # equal shares everywhere: no inequality
    assert duncan_index([5.0, 1.0, 3.0], [1, 1, 1], [2, 2, 2]) == pytest.approx(0.0)


def test_missing_values_go_last_and_ties_keep_input_order() -> None:
    # the zone without a value is placed last, like R's order()
    with_missing = duncan_index([np.nan, 1.0, 2.0, 3.0, 4.0], [5, 3, 1, 0, 0], [0, 0, 1, 3, 4])
    moved = duncan_index([1.0, 2.0, 3.0, 4.0, np.nan], [3, 1, 0, 0, 5], [0, 1, 3, 4, 0])
    assert with_missing == pytest.approx(moved, abs=1e-15)
    # two zones tied on the measure keep the order they come in
    # in input order a = 2/3, 2/3, 1 and b = 0, 2/3, 1 → DI = 4/9; swapping the tied pair → −4/9
    assert duncan_index([1.0, 1.0, 2.0], [2, 0, 1], [0, 2, 1]) == pytest.approx(4 / 9)
    assert duncan_index([1.0, 1.0, 2.0], [0, 2, 1], [2, 0, 1]) == pytest.approx(-4 / 9)


def test_more_than_a_fifth_missing_gives_no_index() -> None:
    values = [np.nan, 1.0, 2.0, 3.0, 4.0]  # exactly 20 % missing: computed
    assert np.isfinite(duncan_index(values, [1] * 5, [1] * 5))
    assert np.isnan(duncan_index([np.nan, np.nan, 2.0, 3.0, 4.0], [1] * 5, [1] * 5))


def test_table_reports_why_an_index_is_missing() -> None:
    data = pd.DataFrame(
        {
            "InterZone": ["a", "b", "c", "d", "e", "f"],
            "year": 2020,
            "income_deprived": [1.0, 2.0, 3.0, 4.0, 5.0, 1.0],
            "not_income_deprived": [5.0, 4.0, 3.0, 2.0, 1.0, 1.0],
            "m": [np.nan, np.nan, 1.0, 2.0, 3.0, 7.0],
        }
    )
    areas = {"a": "A", "b": "A", "c": "A", "d": "A", "e": "A", "f": "B"}
    result = duncan_table(data, measures=["m"], area_of=areas).set_index("area")
    assert result.loc["A", "status"] == DuncanStatus.TOO_MANY_MISSING
    assert result.loc["A", "missing"] == 2
    assert np.isnan(result.loc["A", "duncan_index"])
    assert result.loc["B", "status"] == DuncanStatus.TOO_FEW_AREAS


def test_trend_is_relative_change_in_absolute_index() -> None:
    table = pd.DataFrame(
        {
            "area": ["A", "A", "B", "B"],
            "year": [2010, 2021, 2010, 2021],
            "measure": "m",
            "duncan_index": [-0.2, -0.3, 0.0, 0.1],
        }
    )
    trend = duncan_trend(table, first_year=2010, last_year=2021).set_index("area")
    assert trend.loc["A", "trend"] == pytest.approx(0.5)
    assert np.isnan(trend.loc["B", "trend"])
    assert trend.loc["B", "status"] == "insufficient data"
    with pytest.raises(ValueError, match="no year 2030"):
        duncan_trend(table, first_year=2010, last_year=2030)


def test_trend_on_real_data(table: pd.DataFrame) -> None:
    trend = duncan_trend(table, first_year=2010, last_year=2021)
    glasgow = trend[(trend["area"] == "Glasgow City") & (trend["measure"] == "crime_rate")]
    # published 2010 −0.148753809898295, 2021 −0.190366167157698
    assert glasgow["trend"].item() == pytest.approx(0.190366167157698 / 0.148753809898295 - 1)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (([1.0, 2.0], [1.0], [1.0, 1.0]), "one length"),
        (([1.0], [1.0], [1.0]), "at least two zones"),
        (([1.0, 2.0], [1.0, -1.0], [1.0, 1.0]), r"income_deprived at position 1 is -1\.0"),
        (([1.0, 2.0], [1.0, np.nan], [1.0, 1.0]), "finite, non-negative"),
        (([1.0, 2.0], [0.0, 0.0], [1.0, 1.0]), "sum to more than zero"),
    ],
)
def test_bad_input_is_refused(arguments: tuple[list[float], ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        duncan_index(*arguments)


def test_table_refuses_zones_without_area_and_repeated_rows() -> None:
    data = pd.DataFrame(
        {
            "InterZone": ["a", "b"],
            "year": 2020,
            "income_deprived": [1.0, 2.0],
            "not_income_deprived": [2.0, 1.0],
            "m": [1.0, 2.0],
        }
    )
    with pytest.raises(ValueError, match="'b': the zone has no area"):
        duncan_table(data, measures=["m"], area_of={"a": "A"})
    with pytest.raises(ValueError, match="repeat the same"):
        duncan_table(pd.concat([data, data]), measures=["m"], area_of={"a": "A", "b": "A"})
    with pytest.raises(ValueError, match="missing column"):
        duncan_table(data, measures=["x"], area_of={"a": "A", "b": "A"})
