"""Period labels: every published form, the canonical label, the dates covered, the errors."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cplan.indicators.models import PeriodType
from cplan.indicators.periods import (
    CALENDAR_YEAR,
    FINANCIAL_YEAR,
    MONTH,
    MULTI_YEAR,
    QUARTER,
    PeriodError,
    parse_period,
    parse_period_column,
)

D = dt.date


@pytest.mark.parametrize(
    ("label", "canonical", "start", "end", "type_"),
    [
        ("2019", "2019", D(2019, 1, 1), D(2019, 12, 31), CALENDAR_YEAR),
        (" 2019 ", "2019", D(2019, 1, 1), D(2019, 12, 31), CALENDAR_YEAR),
        ("2019/20", "2019/20", D(2019, 4, 1), D(2020, 3, 31), FINANCIAL_YEAR),
        ("2019/2020", "2019/20", D(2019, 4, 1), D(2020, 3, 31), FINANCIAL_YEAR),
        ("2010/11", "2010/11", D(2010, 4, 1), D(2011, 3, 31), FINANCIAL_YEAR),
        ("1999/00", "1999/00", D(1999, 4, 1), D(2000, 3, 31), FINANCIAL_YEAR),
        ("2014-2017", "2014-2017", D(2014, 1, 1), D(2017, 12, 31), MULTI_YEAR),
        ("2008/09-2010/11", "2008/09-2010/11", D(2008, 4, 1), D(2011, 3, 31), MULTI_YEAR),
        ("2011/12 - 2013/14", "2011/12-2013/14", D(2011, 4, 1), D(2014, 3, 31), MULTI_YEAR),
        ("2019 Q1", "2019 Q1", D(2019, 1, 1), D(2019, 3, 31), QUARTER),
        ("2019-Q4", "2019 Q4", D(2019, 10, 1), D(2019, 12, 31), QUARTER),
        ("2019-03", "2019-03", D(2019, 3, 1), D(2019, 3, 31), MONTH),
        ("2020-02", "2020-02", D(2020, 2, 1), D(2020, 2, 29), MONTH),
    ],
)
def test_published_forms(
    label: str, canonical: str, start: dt.date, end: dt.date, type_: str
) -> None:
    period = parse_period(label)

    assert (period.label, period.start, period.end, period.type) == (canonical, start, end, type_)


@pytest.mark.parametrize(
    ("label", "rule"),
    [
        ("last year", "is not a period label"),
        ("", "is not a period label"),
        ("20190", "is not a period label"),
        ("1899", "year 1899 in '1899' is outside 1900–2100"),
        ("2101", "outside 1900–2100"),
        ("2100/01", "year 2101"),
        ("2019/21", "a split year must cover two consecutive years"),
        ("2017-2014", "a range of years must end after it starts"),
        ("2017-2017", "a range of years must end after it starts"),
        ("2010/11-2008/09", "a range of years must end after it starts"),
        ("2019 Q5", "the quarter must be Q1–Q4"),
        ("2019-13", "the month must be 01–12"),
    ],
)
def test_bad_labels_say_which_rule(label: str, rule: str) -> None:
    with pytest.raises(PeriodError, match=rule):
        parse_period(label)


def test_period_types_are_the_models() -> None:
    assert {CALENDAR_YEAR, FINANCIAL_YEAR, MULTI_YEAR, QUARTER, MONTH} == set(PeriodType.values)


LABELS = st.one_of(
    st.integers(1900, 2100).map(str),
    st.integers(1900, 2099).map(lambda y: f"{y}/{(y + 1) % 100:02d}"),
    st.integers(1900, 2099).map(lambda y: f"{y}/{y + 1}"),
    st.tuples(st.integers(1900, 2099), st.integers(1, 10)).map(
        lambda t: f"{t[0]}-{min(t[0] + t[1], 2100)}"
    ),
    st.tuples(st.integers(1900, 2100), st.integers(1, 4)).map(lambda t: f"{t[0]} Q{t[1]}"),
    st.tuples(st.integers(1900, 2100), st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
)


@given(LABELS)
def test_canonical_label_reads_back_to_the_same_period(label: str) -> None:
    period = parse_period(label)

    assert parse_period(period.label) == period
    assert period.start <= period.end


def test_a_column_is_parsed_once_per_distinct_label() -> None:
    parsed = parse_period_column(pd.Series(["2019", "2019/2020", "soon", "2019"]))

    assert parsed.table["label"].tolist()[:2] == ["2019", "2019/20"]
    assert parsed.table["end"].tolist()[1] == D(2020, 3, 31)
    assert parsed.errors.notna().tolist() == [False, False, True, False]
    assert "is not a period label" in parsed.errors[2]
