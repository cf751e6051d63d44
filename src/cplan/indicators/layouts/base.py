"""What every layout shares: options, the canonical observation frame, column and option checks.

A layout turns the rows of one published file shape into the *canonical frame*, one row per
observation, with the columns in :data:`CANONICAL_COLUMNS`. Layouts are plain pandas code (no Django):
codes are resolved and rules checked afterwards, the same way for every layout
(:mod:`cplan.indicators.validation`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from cplan.indicators.breakdowns import TOTAL_KEY, BreakdownError, breakdown_key
from cplan.indicators.errors import ErrorCollector

CANONICAL_COLUMNS = [
    "line",
    "indicator",
    "area_code",
    "period",
    "breakdown",
    "value",
    "numerator",
    "denominator",
    "lower_ci",
    "upper_ci",
    "kind",
    "provisional",
]
NUMBER_COLUMNS = ["value", "numerator", "denominator", "lower_ci", "upper_ci"]
OBSERVED = "observed"  # ValueKind.OBSERVED
REQUIRED = "is required"


@dataclass(frozen=True)
class ImportOptions:
    """What the person importing says about the file (``cplan import-observations`` options)."""

    layout: str = "auto"
    indicator: str | None = None
    measurement: str | None = None
    period: str | None = None
    skip_area_types: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        values = asdict(self)
        values["skip_area_types"] = sorted(self.skip_area_types)
        return values


@dataclass
class LayoutOutput:
    frame: pd.DataFrame
    skipped_by_measurement: int = 0
    notes: dict[str, object] = field(default_factory=dict)


@dataclass
class RawRows:
    """The rows as read: ``frame`` has ``line`` plus the file's columns; ``invalid`` marks, per numeric
    column, the cells already reported as not numbers (so they are not reported twice)."""

    frame: pd.DataFrame
    invalid: Mapping[str, pd.Series]

    def is_invalid(self, column: str) -> pd.Series:
        mask = self.invalid.get(column)
        return mask if mask is not None else pd.Series(False, index=self.frame.index)


class Layout(ABC):
    name: str
    title: str
    required_columns: tuple[str, ...] = ()
    optional_columns: tuple[str, ...] = ()
    ignored_columns: tuple[str, ...] = ()
    value_columns: tuple[str, ...] = ()
    missing_markers: tuple[str, ...] = ("",)
    names_indicators: bool = False  # the file says which indicator each row is
    needs_period: bool = False  # the file does not say its period
    takes_measurement: bool = False

    def column_problems(self, columns: Sequence[str]) -> list[str]:
        missing = [column for column in self.required_columns if column not in columns]
        problems = [f"missing column(s): {', '.join(missing)}"] if missing else []
        known = {*self.required_columns, *self.optional_columns, *self.ignored_columns}
        unexpected = [column for column in columns if column not in known]
        if unexpected:
            problems.append(f"unexpected column(s): {', '.join(unexpected)}")
        return problems

    def numeric_columns(self, columns: Sequence[str]) -> list[str]:
        return [column for column in self.value_columns if column in columns]

    def option_problems(self, options: ImportOptions) -> list[str]:
        problems = []
        if self.names_indicators and options.indicator:
            problems.append("this layout names its indicators in the file: leave out --indicator")
        if not self.names_indicators and not options.indicator:
            problems.append(
                "give --indicator CODE: this layout does not say which indicator it holds"
            )
        if self.needs_period and not options.period:
            problems.append("give --period (e.g. 2021/22): this layout does not say its period")
        if not self.needs_period and options.period:
            problems.append("this layout gives its own periods: leave out --period")
        if options.measurement and not self.takes_measurement:
            problems.append("--measurement applies to the statistics.gov.scot tidy layout only")
        return problems

    @abstractmethod
    def to_observations(
        self, rows: RawRows, options: ImportOptions, errors: ErrorCollector
    ) -> LayoutOutput:
        """The canonical frame for ``rows``; row-level problems go to ``errors``."""


def canonical_frame(lines: pd.Series, **columns: object) -> pd.DataFrame:
    """A canonical frame: given columns, the rest at their defaults (no numbers, observed, final)."""
    size = len(lines)
    defaults: dict[str, object] = {
        "breakdown": TOTAL_KEY,
        "kind": OBSERVED,
        "provisional": False,
        **dict.fromkeys(NUMBER_COLUMNS, np.nan),
    }
    data: dict[str, object] = {"line": lines.to_numpy()}
    for column in CANONICAL_COLUMNS[1:]:
        value = columns.get(column, defaults.get(column))
        if isinstance(value, pd.Series):
            data[column] = (
                value.to_numpy()
                if not isinstance(value.dtype, pd.CategoricalDtype)
                else value.array
            )
        elif isinstance(value, str):
            data[column] = pd.Categorical.from_codes(
                np.zeros(size, dtype=np.int8), categories=pd.Index([value])
            )
        else:
            data[column] = value
    unknown = set(columns) - set(CANONICAL_COLUMNS)
    if unknown:
        raise ValueError(f"not canonical columns: {sorted(unknown)}")
    return pd.DataFrame(data, index=pd.RangeIndex(size))


def is_blank(series: pd.Series) -> pd.Series:
    """Missing or empty text, decided once per category rather than once per row."""
    categorical = series.astype("category")
    blank_categories = categorical.cat.categories.astype(str).str.strip() == ""
    codes = categorical.cat.codes.to_numpy()
    blank = (codes < 0) | np.append(blank_categories, False)[codes]
    return pd.Series(blank, index=series.index)


def report_blank(
    rows: RawRows, column: str, errors: ErrorCollector, rule: str = REQUIRED
) -> pd.Series:
    """Report blank cells of a text column; return the mask."""
    blank = is_blank(rows.frame[column])
    errors.add_rows(blank, rows.frame["line"], column, "", rule)
    return blank


def map_categories(
    series: pd.Series,
    mapping: Mapping[str, str],
    rows: RawRows,
    column: str,
    errors: ErrorCollector,
    rule: str,
) -> pd.Series:
    """Map each value through ``mapping`` (on the categories, so fast); report unmapped values."""
    categorical = series.astype("category")
    mapped = categorical.map(lambda text: mapping.get(str(text)), na_action="ignore")
    unmapped = mapped.isna() & ~is_blank(series)
    errors.add_rows(unmapped, rows.frame["line"], column, series, rule)
    report_blank(rows, column, errors)
    return mapped.astype("category")


def breakdowns_from_columns(
    frame: pd.DataFrame, dimensions: Sequence[str], lines: pd.Series, errors: ErrorCollector
) -> pd.Series:
    """The breakdown key of each row from its dimension columns (computed once per combination)."""
    if not dimensions:
        return pd.Series(pd.Categorical([TOTAL_KEY] * len(frame)), index=frame.index)
    groups = frame.groupby(list(dimensions), observed=True, sort=False, dropna=False).ngroup()
    firsts = frame.loc[~groups.duplicated(), list(dimensions)]
    keys: list[str | None] = [None] * len(firsts)
    for position, values in enumerate(firsts.itertuples(index=False, name=None)):
        group = int(groups[firsts.index[position]])
        texts = ["" if pd.isna(value) else str(value) for value in values]
        try:
            keys[group] = breakdown_key(dict(zip(dimensions, texts, strict=True))).key
        except BreakdownError as error:
            shown = "|".join(f"{name}={text}" for name, text in zip(dimensions, texts, strict=True))
            errors.add_rows(groups == group, lines, "breakdown", shown, str(error))
    key_array = np.array(keys, dtype=object)[groups.to_numpy()]
    return pd.Series(key_array, index=frame.index).astype("category")
