"""The Improvement Service's Community Planning Outcomes Profile (CPOP) files, as published.

Three column mappings, no special cases: the measure names and column headers map to catalogue codes
through ``data/cpop_measures.csv``, partnership names to codes through ``data/cpp_names.csv``, and
CPOP's ``Type`` to the observation kind through ``data/cpop_value_types.csv``. CPOP writes gaps as
``NA``, an empty cell or ``#DIV/0!``; they are kept as observations without a value, so every
published row is accounted for and the gap is visible.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from cplan.indicators import mappings
from cplan.indicators.errors import ErrorCollector
from cplan.indicators.layouts.base import (
    ImportOptions,
    Layout,
    LayoutOutput,
    RawRows,
    canonical_frame,
    map_categories,
    report_blank,
)
from cplan.indicators.layouts.statistics_gov_scot import concat_canonical

CPOP_MISSING = ("", "NA", "#DIV/0!")


class CpopLongLayout(Layout):
    """Long CPOP files: an area column, ``Indicator``, ``Type``, ``Year``, ``value``."""

    area_column: str
    value_columns = ("value",)
    missing_markers = CPOP_MISSING
    names_indicators = True

    def area_codes(self, rows: RawRows, errors: ErrorCollector) -> pd.Series:
        report_blank(rows, self.area_column, errors)
        return rows.frame[self.area_column]

    def to_observations(
        self, rows: RawRows, options: ImportOptions, errors: ErrorCollector
    ) -> LayoutOutput:
        frame = rows.frame
        report_blank(rows, "Year", errors)
        indicator = map_categories(
            frame["Indicator"],
            mappings.cpop_measure_codes(self.name),
            rows,
            "Indicator",
            errors,
            "unknown indicator: not a CPOP measure in cpop_measures.csv",
        )
        kind = map_categories(
            frame["Type"],
            mappings.cpop_value_kinds(),
            rows,
            "Type",
            errors,
            "unknown Type: expected Raw data, Imputed or Projected",
        )
        observations = canonical_frame(
            frame["line"],
            indicator=indicator,
            area_code=self.area_codes(rows, errors),
            period=frame["Year"],
            value=frame["value"],
            kind=kind,
        )
        return LayoutOutput(observations)


class CpopPartnershipLayout(CpopLongLayout):
    name = "cpop-cpp"
    title = "CPOP partnership outcomes (cpp_outcomes.csv: CPP, Indicator, Type, Year, value, …)"
    area_column = "CPP"
    required_columns = ("CPP", "Indicator", "Type", "Year", "value")
    ignored_columns = ("IndicatorFullName", "FG")

    def area_codes(self, rows: RawRows, errors: ErrorCollector) -> pd.Series:
        return map_categories(
            rows.frame["CPP"],
            mappings.cpp_name_codes(),
            rows,
            "CPP",
            errors,
            "unknown partnership name: not in cpp_names.csv",
        )


class CpopIntermediateZoneLayout(CpopLongLayout):
    name = "cpop-iz"
    title = "CPOP community outcomes (iz_outcomes.csv: InterZone, Indicator, Type, Year, value)"
    area_column = "InterZone"
    required_columns = ("InterZone", "Indicator", "Type", "Year", "value")


class CpopDataZoneLayout(Layout):
    """``datazone_outcomes_latest.csv``: ``Datazone``, ``CPP`` and ``IGZ`` (names, not used: the data zone
    code places the row) and one column per measure. The file does not state its year: ``--period``."""

    name = "cpop-dz"
    title = "CPOP data zone outcomes (datazone_outcomes_latest.csv: Datazone, CPP, IGZ, 5 measures)"
    ignored_columns = ("CPP", "IGZ")
    missing_markers = CPOP_MISSING
    names_indicators = True
    needs_period = True

    @property
    def measure_columns(self) -> dict[str, str]:
        return mappings.cpop_measure_codes(self.name)

    @property
    def required_columns(self) -> tuple[str, ...]:  # type: ignore[override]  # read from the mapping file
        return ("Datazone", *self.measure_columns)

    def numeric_columns(self, columns: Sequence[str]) -> list[str]:
        return [column for column in columns if column in self.measure_columns]

    def to_observations(
        self, rows: RawRows, options: ImportOptions, errors: ErrorCollector
    ) -> LayoutOutput:
        frame = rows.frame
        report_blank(rows, "Datazone", errors)
        chunks = [
            canonical_frame(
                frame["line"],
                indicator=code,
                area_code=frame["Datazone"],
                period=options.period or "",
                value=frame[column],
            )
            for column, code in self.measure_columns.items()
        ]
        return LayoutOutput(concat_canonical(chunks))
