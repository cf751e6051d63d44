"""Our own CSV template: one row per observation, every column named as the platform names it."""

from __future__ import annotations

import pandas as pd

from cplan.indicators.breakdowns import BreakdownError, parse_breakdown_text
from cplan.indicators.errors import ErrorCollector
from cplan.indicators.layouts.base import (
    NUMBER_COLUMNS,
    OBSERVED,
    ImportOptions,
    Layout,
    LayoutOutput,
    RawRows,
    canonical_frame,
    is_blank,
    report_blank,
)

TRUE_TEXTS = {"true", "yes", "y", "1"}
FALSE_TEXTS = {"false", "no", "n", "0", ""}


class TemplateLayout(Layout):
    name = "template"
    title = "Platform template (indicator, area_code, period, breakdown, value, …)"
    required_columns = ("indicator", "area_code", "period", "breakdown", *NUMBER_COLUMNS)
    optional_columns = ("kind", "provisional")
    value_columns = tuple(NUMBER_COLUMNS)
    names_indicators = True

    def to_observations(
        self, rows: RawRows, options: ImportOptions, errors: ErrorCollector
    ) -> LayoutOutput:
        frame = rows.frame
        for column in ("indicator", "area_code", "period"):
            report_blank(rows, column, errors)
        missing_value = frame["value"].isna() & ~rows.is_invalid("value")
        errors.add_rows(missing_value, frame["line"], "value", "", "is required")
        return LayoutOutput(
            canonical_frame(
                frame["line"],
                indicator=frame["indicator"],
                area_code=frame["area_code"],
                period=frame["period"],
                breakdown=_breakdowns(rows, errors),
                kind=_kinds(frame),
                provisional=_provisional(rows, errors),
                **{column: frame[column] for column in NUMBER_COLUMNS},
            )
        )


def _breakdowns(rows: RawRows, errors: ErrorCollector) -> pd.Series:
    """Canonical keys, parsed once per distinct text."""
    column = rows.frame["breakdown"].astype("category")
    keys: dict[str, str] = {}
    for text in column.cat.categories.astype(str):
        try:
            keys[text] = parse_breakdown_text(text).key
        except BreakdownError as error:
            bad = column.astype("object") == text
            errors.add_rows(bad, rows.frame["line"], "breakdown", text, str(error))
    return column.map(lambda text: keys.get(str(text), "All")).fillna("All").astype("category")


def _kinds(frame: pd.DataFrame) -> pd.Series | str:
    if "kind" not in frame:
        return OBSERVED
    kinds = frame["kind"].astype("category")
    return kinds.where(~is_blank(kinds), OBSERVED).astype("category")


def _provisional(rows: RawRows, errors: ErrorCollector) -> pd.Series | bool:
    if "provisional" not in rows.frame:
        return False
    column = rows.frame["provisional"].astype("category")
    texts = column.cat.categories.astype(str).str.strip().str.lower()
    unknown = [
        c
        for c, t in zip(column.cat.categories, texts, strict=True)
        if t not in TRUE_TEXTS | FALSE_TEXTS
    ]
    bad = column.isin(unknown)
    errors.add_rows(
        bad, rows.frame["line"], "provisional", column, "must be true or false (or empty)"
    )
    truthy = [c for c, t in zip(column.cat.categories, texts, strict=True) if t in TRUE_TEXTS]
    return column.isin(truthy)
