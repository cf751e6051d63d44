"""Breakdown keys: canonical, order-free, totals dropped, SIMD quintiles recognised."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cplan.indicators.breakdowns import (
    TOTAL_KEY,
    BreakdownError,
    breakdown_key,
    parse_breakdown_text,
)
from cplan.indicators.models import Breakdown


def test_all_values_are_the_total() -> None:
    assert breakdown_key({"Gender": "All", "Age": "All"}).key == TOTAL_KEY == Breakdown.TOTAL_KEY
    assert parse_breakdown_text("").key == TOTAL_KEY


def test_key_is_sorted_by_dimension_and_drops_totals() -> None:
    key = breakdown_key({"Sex": "Male", "Age": "16-24", "Work Status": "All"})

    assert key.key == "Age=16-24|Sex=Male"
    assert key.dimensions == {"Sex": "Male", "Age": "16-24"}
    assert (key.simd_quintile, key.simd_base_key) == (None, "Age=16-24|Sex=Male")


@pytest.mark.parametrize(
    ("name", "value", "quintile"),
    [
        ("SIMD quintiles", "1 - most deprived", 1),
        ("SIMD quintiles", "5 - least deprived", 5),
        ("SIMD quintile", "3", 3),
        ("simd_quintile", "Q2", 2),
    ],
)
def test_simd_quintiles_are_read(name: str, value: str, quintile: int) -> None:
    key = breakdown_key({name: value, "Housing Costs": "After Housing Costs"})

    assert key.simd_quintile == quintile
    assert key.simd_base_key == "Housing Costs=After Housing Costs"


def test_simd_quintile_out_of_range_is_an_error() -> None:
    with pytest.raises(BreakdownError, match="must be a quintile 1–5"):
        breakdown_key({"SIMD quintiles": "6"})


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Sex", "is not dimension=value"),
        ("Sex=Male|Sex=Female", "given twice"),
        ("=Male", "is not dimension=value"),
    ],
)
def test_malformed_text_is_an_error(text: str, rule: str) -> None:
    with pytest.raises(BreakdownError, match=rule):
        parse_breakdown_text(text)


NAMES = st.text(st.characters(whitelist_categories=["L", "N"]), min_size=1, max_size=12)


@given(st.dictionaries(NAMES, NAMES.filter(lambda v: v != "All"), max_size=4))
def test_key_text_reads_back_to_the_same_key(dimensions: dict[str, str]) -> None:
    key = breakdown_key(dimensions)

    assert parse_breakdown_text(key.key) == key
