"""Reading the period labels statistics are published with.

A label becomes a canonical label (the natural key stored on an observation), its first and last day
and its period type. Accepted forms (surrounding spaces ignored):

====================  ==================  ======================================  ===============
published             canonical           covers                                  type
====================  ==================  ======================================  ===============
``2019``              ``2019``            1 Jan 2019 – 31 Dec 2019                calendar_year
``2019/20``           ``2019/20``         1 Apr 2019 – 31 Mar 2020                financial_year
``2019/2020``         ``2019/20``         the same                                financial_year
``2014-2017``         ``2014-2017``       1 Jan 2014 – 31 Dec 2017                multi_year
``2008/09-2010/11``   ``2008/09-2010/11`` 1 Apr 2008 – 31 Mar 2011                multi_year
``2019 Q1``           ``2019 Q1``         1 Jan 2019 – 31 Mar 2019                quarter
``2019-03``           ``2019-03``         1 Mar 2019 – 31 Mar 2019                month
====================  ==================  ======================================  ===============

Split years (``2019/20``) are read as financial years (April to March); school years, which the same
label also names, are stored the same way so that a series keeps one key per year. Years must lie in
1900–2100. This module does not import Django, so it can be tested and reused alone.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_YEAR = 1900
MAX_YEAR = 2100

# The values of ``cplan.indicators.models.PeriodType`` (kept as strings: no Django import here).
CALENDAR_YEAR = "calendar_year"
FINANCIAL_YEAR = "financial_year"
MULTI_YEAR = "multi_year"
QUARTER = "quarter"
MONTH = "month"

FORMS_HELP = "2019, 2019/20, 2019/2020, 2014-2017, 2008/09-2010/11, 2019 Q1 or 2019-03"

_YEAR = re.compile(r"(\d{4})")
_SPLIT_YEAR = re.compile(r"(\d{4})/(\d{2}|\d{4})")
_YEAR_RANGE = re.compile(r"(\d{4})\s*-\s*(\d{4})")
_SPLIT_YEAR_RANGE = re.compile(r"(\d{4}/(?:\d{2}|\d{4}))\s*-\s*(\d{4}/(?:\d{2}|\d{4}))")
_QUARTER = re.compile(r"(\d{4})\s*-?\s*Q([0-9])", re.IGNORECASE)
_MONTH = re.compile(r"(\d{4})-(\d{2})")


class PeriodError(ValueError):
    """A label that is not a period, or a period out of range. The message states the rule."""


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date
    end: dt.date
    type: str


def _year(text: str, label: str) -> int:
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(f"year {year} in {label!r} is outside {MIN_YEAR}–{MAX_YEAR}")
    return year


def _split_year(match: re.Match[str], label: str) -> tuple[int, str]:
    """The first year of ``2019/20`` or ``2019/2020``, checked to span two consecutive years."""
    first = _year(match.group(1), label)
    second_text = match.group(2)
    second = (
        int(second_text) if len(second_text) == 4 else (first + 1) // 100 * 100 + int(second_text)
    )
    if second != first + 1:
        raise PeriodError(f"{label!r}: a split year must cover two consecutive years")
    _year(str(second), label)
    return first, f"{first}/{second % 100:02d}"


def _financial(first: int, last: int, label: str, canonical: str, type_: str) -> Period:
    return Period(canonical, dt.date(first, 4, 1), dt.date(last + 1, 3, 31), type_)


def parse_period(text: str) -> Period:
    """Read one period label; raise :class:`PeriodError` naming the rule it breaks."""
    label = text.strip()
    if match := _YEAR.fullmatch(label):
        year = _year(match.group(1), label)
        return Period(label, dt.date(year, 1, 1), dt.date(year, 12, 31), CALENDAR_YEAR)
    if match := _SPLIT_YEAR.fullmatch(label):
        first, canonical = _split_year(match, label)
        return _financial(first, first, label, canonical, FINANCIAL_YEAR)
    if match := _YEAR_RANGE.fullmatch(label):
        first, last = _year(match.group(1), label), _year(match.group(2), label)
        if last <= first:
            raise PeriodError(f"{label!r}: a range of years must end after it starts")
        return Period(f"{first}-{last}", dt.date(first, 1, 1), dt.date(last, 12, 31), MULTI_YEAR)
    if match := _SPLIT_YEAR_RANGE.fullmatch(label):
        return _split_year_range(match, label)
    if match := _QUARTER.fullmatch(label):
        return _quarter(match, label)
    if match := _MONTH.fullmatch(label):
        year, month = _year(match.group(1), label), int(match.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(f"{label!r}: the month must be 01–12")
        last_day = calendar.monthrange(year, month)[1]
        return Period(
            f"{year}-{month:02d}", dt.date(year, month, 1), dt.date(year, month, last_day), MONTH
        )
    raise PeriodError(f"{label!r} is not a period label (expected e.g. {FORMS_HELP})")


def _split_year_range(match: re.Match[str], label: str) -> Period:
    first_match = _SPLIT_YEAR.fullmatch(match.group(1))
    last_match = _SPLIT_YEAR.fullmatch(match.group(2))
    assert first_match is not None  # noqa: S101 - the outer regex guarantees it
    assert last_match is not None  # noqa: S101 - the outer regex guarantees it
    first, first_label = _split_year(first_match, label)
    last, last_label = _split_year(last_match, label)
    if last <= first:
        raise PeriodError(f"{label!r}: a range of years must end after it starts")
    return _financial(first, last, label, f"{first_label}-{last_label}", MULTI_YEAR)


def _quarter(match: re.Match[str], label: str) -> Period:
    year, quarter = _year(match.group(1), label), int(match.group(2))
    if not 1 <= quarter <= 4:
        raise PeriodError(f"{label!r}: the quarter must be Q1–Q4")
    first_month = 3 * (quarter - 1) + 1
    last_day = calendar.monthrange(year, first_month + 2)[1]
    start, end = dt.date(year, first_month, 1), dt.date(year, first_month + 2, last_day)
    return Period(f"{year} Q{quarter}", start, end, QUARTER)


@dataclass(frozen=True)
class ParsedPeriods:
    """The periods of a column, row by row: ``table`` has label, start, end and type (None where the
    label failed) and ``errors`` the rule each failed label broke (None where it parsed)."""

    table: pd.DataFrame
    errors: pd.Series


def parse_period_column(labels: pd.Series) -> ParsedPeriods:
    """Parse a column of labels: each distinct label once, then mapped back (fast on big files)."""
    categorical = labels.astype("category")
    columns: dict[str, list[object]] = {
        "label": [],
        "start": [],
        "end": [],
        "type": [],
        "error": [],
    }
    for raw in categorical.cat.categories:
        try:
            period = parse_period(str(raw))
        except PeriodError as error:
            values: tuple[object, ...] = (None, None, None, None, str(error))
        else:
            values = (period.label, period.start, period.end, period.type, None)
        for column, value in zip(columns, values, strict=True):
            columns[column].append(value)
    codes = categorical.cat.codes.to_numpy()
    taken = {column: _take(values, codes) for column, values in columns.items()}
    table = pd.DataFrame(
        {column: taken[column] for column in ["label", "start", "end", "type"]}, index=labels.index
    )
    return ParsedPeriods(table=table, errors=pd.Series(taken["error"], index=labels.index))


def _take(values: list[object], codes: np.ndarray) -> np.ndarray:
    """``values[code]`` for each code; code -1 (a missing label) gives None."""
    array = np.empty(len(values) + 1, dtype=object)
    array[:-1] = values
    taken: np.ndarray = array[codes]
    return taken
