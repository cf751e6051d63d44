"""statistics.gov.scot downloads: the tidy CSV as published, and the wide "pivot" shape.

Tidy: ``FeatureCode, DateCode, Measurement, Units, Value`` (+ ``FeatureName``) and any number of
dimension columns. Rows for the same area, period and dimensions are one observation:

- ``95% Lower/Upper Confidence Limit, <statistic>`` → its limits (matched to ``<statistic>``);
- ``Count`` beside another statistic → its numerator; ``Count`` alone → its value;
- any other Measurement (Ratio, Percent, Mean, Median, …) → its value (the *headline statistic*).

A file with two headline statistics for the same row (earnings: Mean and Median) is imported whole
with the statistic as one more breakdown dimension, ``Measurement`` (``Measurement=Median``), unless
``--measurement NAME`` picks one, in which case rows of the other statistics are skipped and counted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from cplan.indicators.errors import ErrorCollector, RowError
from cplan.indicators.layouts.base import (
    ImportOptions,
    Layout,
    LayoutOutput,
    RawRows,
    breakdowns_from_columns,
    canonical_frame,
    report_blank,
)
from cplan.indicators.periods import PeriodError, parse_period

MEASUREMENT_DIMENSION = "Measurement"
COUNT = "Count"
HEADLINE, NUMERATOR, LOWER, UPPER = "headline", "numerator", "lower_ci", "upper_ci"
_CONFIDENCE_LIMIT = re.compile(r"95\s*% (Lower|Upper) Confidence Limit(?:\s*,\s*(.+))?", re.I)
_FEATURE_COLUMNS = ("FeatureCode", "FeatureName")


def _role(measurement: str) -> tuple[str, str]:
    """(role, statistic) of a Measurement value."""
    text = measurement.strip()
    if match := _CONFIDENCE_LIMIT.fullmatch(text):
        role = LOWER if match.group(1).lower() == "lower" else UPPER
        return role, (match.group(2) or "").strip()
    if text.lower() == COUNT.lower():
        return NUMERATOR, COUNT
    return HEADLINE, text


class StatisticsGovScotTidyLayout(Layout):
    name = "sgs-tidy"
    title = "statistics.gov.scot tidy CSV (FeatureCode, DateCode, Measurement, Units, Value, …)"
    required_columns = ("FeatureCode", "DateCode", "Measurement", "Units", "Value")
    optional_columns = ("FeatureName",)
    value_columns = ("Value",)
    takes_measurement = True

    def column_problems(self, columns: Sequence[str]) -> list[str]:
        missing = [column for column in self.required_columns if column not in columns]
        return [f"missing column(s): {', '.join(missing)}"] if missing else []

    def to_observations(
        self, rows: RawRows, options: ImportOptions, errors: ErrorCollector
    ) -> LayoutOutput:
        frame = rows.frame
        dimensions = [
            c for c in frame.columns if c not in {"line", *self.required_columns, *_FEATURE_COLUMNS}
        ]
        for column in ("FeatureCode", "DateCode", "Measurement"):
            report_blank(rows, column, errors)
        missing = frame["Value"].isna() & ~rows.is_invalid("Value")
        errors.add_rows(missing, frame["line"], "Value", "", "is required")
        parts = _parts(frame, dimensions, errors)
        headline, skipped = _headline_rows(parts, options, errors)
        if headline is None:
            return LayoutOutput(_empty(), notes={})
        combined = _attach_companions(headline, parts, options.measurement, errors)
        several = options.measurement is None and bool(headline["group"].duplicated().any())
        source = frame.loc[combined["row"]].reset_index(drop=True)
        if several:
            source[MEASUREMENT_DIMENSION] = combined["stat"].to_numpy()
            dimensions = [*dimensions, MEASUREMENT_DIMENSION]
        observations = canonical_frame(
            source["line"],
            indicator=options.indicator or "",
            area_code=source["FeatureCode"],
            period=source["DateCode"],
            breakdown=breakdowns_from_columns(source, dimensions, source["line"], errors),
            value=combined["value"],
            numerator=combined["numerator"],
            lower_ci=combined["lower_ci"],
            upper_ci=combined["upper_ci"],
        )
        return LayoutOutput(
            observations,
            skipped_by_measurement=skipped,
            notes={"units": _units(frame), "measurement_as_breakdown": several},
        )


def _parts(frame: pd.DataFrame, dimensions: list[str], errors: ErrorCollector) -> pd.DataFrame:
    """One row per source row: its group (area × period × dimensions), role, statistic and value."""
    measurement = frame["Measurement"].astype("category")
    roles = {category: _role(str(category)) for category in measurement.cat.categories}
    keys = ["FeatureCode", "DateCode", *dimensions]
    parts = pd.DataFrame(
        {
            "row": frame.index,
            "line": frame["line"],
            "group": frame.groupby(keys, observed=True, sort=False, dropna=False).ngroup(),
            "role": measurement.map(lambda m: roles[m][0]).astype(object),
            "stat": measurement.map(lambda m: roles[m][1]).astype(object),
            "value": frame["Value"],
        }
    )
    duplicate = parts.duplicated(["group", "role", "stat"])
    if duplicate.any():
        first_line = parts.groupby(["group", "role", "stat"])["line"].transform("first")
        errors.add_rows(
            duplicate,
            parts["line"],
            "Measurement",
            frame["Measurement"],
            "repeats line "
            + first_line.astype(str)
            + " (same area, period, breakdown and measurement)",
        )
    parts = parts[~duplicate]
    # A Count with no other statistic beside it is the value itself.
    has_headline = parts["group"].isin(parts.loc[parts["role"] == HEADLINE, "group"])
    parts.loc[(parts["role"] == NUMERATOR) & ~has_headline, "role"] = HEADLINE
    return parts


def _headline_rows(
    parts: pd.DataFrame, options: ImportOptions, errors: ErrorCollector
) -> tuple[pd.DataFrame | None, int]:
    headline = parts[parts["role"] == HEADLINE]
    if options.measurement is None:
        return headline, 0
    available = sorted(headline["stat"].unique())
    if options.measurement not in available:
        errors.add(
            RowError(
                0,
                "--measurement",
                options.measurement,
                f"not in the file, which has: {', '.join(available)}",
            )
        )
        return None, 0
    chosen = headline["stat"] == options.measurement
    other_stats = ~parts["stat"].isin([options.measurement, COUNT])
    return headline[chosen], int(other_stats.sum())


def _attach_companions(
    headline: pd.DataFrame, parts: pd.DataFrame, measurement: str | None, errors: ErrorCollector
) -> pd.DataFrame:
    """Each headline row with its numerator (a Count beside it) and confidence limits."""
    combined = headline[["row", "line", "group", "stat", "value"]].reset_index(drop=True)
    counts = parts.loc[parts["role"] == NUMERATOR, ["group", "value"]]
    combined = combined.merge(counts.rename(columns={"value": "numerator"}), on="group", how="left")
    combined.loc[combined["stat"] == COUNT, "numerator"] = np.nan
    for role in (LOWER, UPPER):
        limits = parts.loc[parts["role"] == role, ["line", "group", "stat", "value"]].copy()
        unnamed = limits["stat"] == ""
        if unnamed.any():  # "95% Lower Confidence Limit" alone: the group's only statistic
            sizes = headline["group"].map(headline["group"].value_counts())
            single = headline[sizes == 1].set_index("group")["stat"]
            limits.loc[unnamed, "stat"] = limits.loc[unnamed, "group"].map(single)
        matched = limits.set_index(["group", "stat"]).index.isin(
            combined.set_index(["group", "stat"]).index
        )
        unmatched = pd.Series(~matched, index=limits.index)
        if measurement is not None:  # limits of the statistics left out are skipped, not wrong
            unmatched &= limits["stat"] == measurement
        errors.add_rows(
            unmatched,
            limits["line"],
            "Measurement",
            limits["stat"].fillna("(statistic not named)"),
            "a confidence limit with no row of its statistic for the same area, period and breakdown",
        )
        combined = combined.merge(
            limits.loc[matched, ["group", "stat", "value"]].rename(columns={"value": role}),
            on=["group", "stat"],
            how="left",
        )
    return combined


def _units(frame: pd.DataFrame) -> dict[str, list[str]]:
    pairs = frame[["Measurement", "Units"]].drop_duplicates()
    units: dict[str, list[str]] = {}
    for measurement, unit in pairs.itertuples(index=False, name=None):
        units.setdefault(str(measurement), []).append(str(unit))
    return units


def _empty() -> pd.DataFrame:
    return canonical_frame(pd.Series([], dtype=np.int64))


def is_period_header(column: str) -> bool:
    try:
        parse_period(column)
    except PeriodError:
        return False
    return True


class StatisticsGovScotWideLayout(Layout):
    """The "pivot" shape: ``FeatureCode`` (+ ``FeatureName``), dimension columns, one column per period
    (e.g. ``population_estimates_dz_2001_2019_wide.csv``: FeatureCode, FeatureName, Sex, 2001 … 2019).
    Each cell is one observation's value; an empty cell is kept as an observation without a value."""

    name = "sgs-wide"
    title = "statistics.gov.scot wide table (FeatureCode, dimensions, one column per period)"
    required_columns = ("FeatureCode",)
    optional_columns = ("FeatureName",)

    def column_problems(self, columns: Sequence[str]) -> list[str]:
        problems = [] if "FeatureCode" in columns else ["missing column(s): FeatureCode"]
        if {"DateCode", "Value"} & set(columns):
            problems.append("has DateCode/Value columns: this is the tidy layout (sgs-tidy)")
        if not self.numeric_columns(columns):
            problems.append("no period columns (headers such as 2001 or 2019/20)")
        return problems

    def numeric_columns(self, columns: Sequence[str]) -> list[str]:
        return [column for column in columns if is_period_header(column)]

    def to_observations(
        self, rows: RawRows, options: ImportOptions, errors: ErrorCollector
    ) -> LayoutOutput:
        frame = rows.frame
        periods = self.numeric_columns(list(frame.columns))
        dimensions = [c for c in frame.columns if c not in {"line", *_FEATURE_COLUMNS, *periods}]
        report_blank(rows, "FeatureCode", errors)
        breakdown = breakdowns_from_columns(frame, dimensions, frame["line"], errors)
        chunks = [
            canonical_frame(
                frame["line"],
                indicator=options.indicator or "",
                area_code=frame["FeatureCode"],
                period=column,
                breakdown=breakdown,
                value=frame[column],
            )
            for column in periods
        ]
        return LayoutOutput(concat_canonical(chunks))


def concat_canonical(chunks: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate canonical frames, keeping text columns as categories (unions of categories)."""
    combined = pd.concat(chunks, ignore_index=True)
    for column in ("indicator", "area_code", "period", "breakdown", "kind"):
        combined[column] = combined[column].astype("category")
    return combined.sort_values("line", kind="stable", ignore_index=True)
