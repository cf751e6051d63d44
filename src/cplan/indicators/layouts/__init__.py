"""The file layouts an import reads, and how one is chosen (``--layout``, or from the header)."""

from __future__ import annotations

from collections.abc import Sequence

from cplan.indicators.layouts.base import (
    CANONICAL_COLUMNS,
    ImportOptions,
    Layout,
    LayoutOutput,
    RawRows,
)
from cplan.indicators.layouts.cpop import (
    CpopDataZoneLayout,
    CpopIntermediateZoneLayout,
    CpopPartnershipLayout,
)
from cplan.indicators.layouts.statistics_gov_scot import (
    StatisticsGovScotTidyLayout,
    StatisticsGovScotWideLayout,
)
from cplan.indicators.layouts.template import TemplateLayout

AUTO = "auto"

# Detection tries these in order; the first whose columns fit is used.
LAYOUTS: dict[str, Layout] = {
    layout.name: layout
    for layout in (
        TemplateLayout(),
        StatisticsGovScotTidyLayout(),
        StatisticsGovScotWideLayout(),
        CpopPartnershipLayout(),
        CpopIntermediateZoneLayout(),
        CpopDataZoneLayout(),
    )
}
LAYOUT_CHOICES = [AUTO, *LAYOUTS]


class LayoutNotFoundError(ValueError):
    """No layout fits the columns; the message says what each layout lacks."""


def choose_layout(name: str, columns: Sequence[str]) -> Layout:
    """The layout named, checked against the header; or the first that fits when ``auto``."""
    if name != AUTO:
        if name not in LAYOUTS:
            raise LayoutNotFoundError(
                f"unknown layout {name!r} (choose from {', '.join(LAYOUT_CHOICES)})"
            )
        problems = LAYOUTS[name].column_problems(columns)
        if problems:
            raise LayoutNotFoundError(
                f"the columns do not fit layout {name}: {'; '.join(problems)}"
            )
        return LAYOUTS[name]
    for layout in LAYOUTS.values():
        if not layout.column_problems(columns):
            return layout
    reasons = "; ".join(
        f"{layout.name}: {', '.join(layout.column_problems(columns))}"
        for layout in LAYOUTS.values()
    )
    raise LayoutNotFoundError(f"the columns fit no layout ({reasons})")


__all__ = [
    "AUTO",
    "CANONICAL_COLUMNS",
    "LAYOUTS",
    "LAYOUT_CHOICES",
    "ImportOptions",
    "Layout",
    "LayoutNotFoundError",
    "LayoutOutput",
    "RawRows",
    "choose_layout",
]
