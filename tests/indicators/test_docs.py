"""docs/data-formats.md documents every layout, every catalogue column and the rules it reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from cplan.indicators import validation
from cplan.indicators.catalogue import COLUMNS
from cplan.indicators.layouts import LAYOUTS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "data-formats.md").read_text()


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_every_layout_has_a_section(name: str) -> None:
    headings = [line for line in DOC.splitlines() if line.startswith("### ")]
    assert any(f"`{name}`" in heading for heading in headings)


@pytest.mark.parametrize(
    "rule",
    [
        validation.UNKNOWN_AREA,
        validation.UNKNOWN_INDICATOR,
        validation.NEGATIVE_COUNT,
        validation.NUMERATOR_ABOVE_DENOMINATOR,
        validation.LIMITS_REVERSED,
        validation.AREA_TYPE_NOT_HELD.format(prefix="S21"),
    ],
)
def test_every_validation_rule_is_documented(rule: str) -> None:
    assert rule in DOC


def test_catalogue_columns_are_documented() -> None:
    assert ", ".join(COLUMNS) in DOC.replace("\n", " ")
