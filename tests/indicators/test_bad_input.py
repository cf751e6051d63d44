"""Every kind of bad input: nothing is written, the import run records the failure, and the report
names each offending row (line, field, value, rule). One small file per case in ``data/``."""

from __future__ import annotations

import pytest

from cplan.indicators.errors import FILE_LEVEL
from cplan.indicators.models import ImportRun, ImportStatus
from tests.geography.factories import CouncilAreaFactory
from tests.indicators.conftest import Importer, written
from tests.indicators.factories import IndicatorFactory

CASES = [
    # file, options, errors, (line, field, value, rule fragment) of the first error
    ("unknown_area_code.csv", {}, 1, (3, "area_code", "S12999999", "unknown area code")),
    ("unknown_indicator.csv", {}, 1, (3, "indicator", "no-such-indicator", "unknown indicator")),
    ("unparsable_period.csv", {}, 1, (3, "period", "last year", "is not a period label")),
    ("out_of_range_period.csv", {}, 1, (3, "period", "1850", "outside 1900–2100")),
    (
        "period_ends_before_it_starts.csv",
        {},
        1,
        (2, "period", "2017-2014", "must end after it starts"),
    ),
    ("non_numeric_value.csv", {}, 1, (3, "value", "twenty", "must be a number")),
    ("negative_count.csv", {}, 1, (2, "numerator", "-5", "a count must not be negative")),
    (
        "numerator_above_denominator.csv",
        {},
        1,
        (2, "numerator", "240", "numerator is greater than denominator"),
    ),
    ("lower_ci_above_upper.csv", {}, 1, (2, "lower_ci", "21.8", "lower confidence limit is above")),
    (
        "duplicate_observation.csv",
        {},
        1,
        (4, "indicator+area+period+breakdown", "test-rate S12900001 2019 All", "repeats line 2"),
    ),
    (
        "duplicate_through_former_code.csv",
        {},
        1,
        (
            3,
            "indicator+area+period+breakdown",
            "test-rate S12900099 2019/2020 All",
            "repeats line 2",
        ),
    ),
    ("wrong_columns.csv", {}, 1, (1, "columns", "", "the columns fit no layout")),
    ("repeated_column.csv", {}, 1, (1, "columns", "value", "a column name appears twice")),
    ("too_many_fields.csv", {}, 1, (4, "file", "", "not a valid CSV row: ")),
    ("blank_lines.csv", {}, 1, (4, "value", "n/a", "must be a number")),
    ("empty.csv", {}, 1, (FILE_LEVEL, "file", "", "file is empty")),
    ("header_only.csv", {}, 1, (FILE_LEVEL, "file", "", "header but no data rows")),
    ("utf16.csv", {}, 1, (FILE_LEVEL, "file", "", "file is not UTF-8 (it is UTF-16)")),
    ("latin1.csv", {}, 1, (3, "encoding", "0xE0", "file is not UTF-8")),
    (
        "area_type_not_held.csv",
        {},
        1,
        (3, "area_code", "S21000002", "area type S21 is not held by the platform"),
    ),
    ("malformed_breakdown.csv", {}, 1, (3, "breakdown", "Sex", "is not dimension=value")),
    ("unknown_kind_and_flag.csv", {}, 2, (2, "provisional", "maybe", "must be true or false")),
    (
        "sgs_repeated_measurement.csv",
        {"indicator": "test-rate"},
        1,
        (3, "Measurement", "Ratio", "repeats line 2"),
    ),
    (
        "sgs_confidence_limit_without_statistic.csv",
        {"indicator": "test-rate"},
        1,
        (3, "Measurement", "Percent", "a confidence limit with no row of its statistic"),
    ),
]


@pytest.mark.parametrize(("name", "options", "count", "first"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_writes_nothing_and_names_the_row(
    import_file: Importer,
    name: str,
    options: dict[str, str],
    count: int,
    first: tuple[int, str, str, str],
) -> None:
    report = import_file(name, **options)

    assert not report.ok
    assert report.error_count == count
    error = report.errors[0]
    assert (error.line, error.field, error.value) == first[:3]
    assert first[3] in error.rule
    assert written().count() == 0
    run = ImportRun.objects.get(pk=report.run_id)
    assert run.status == ImportStatus.FAILED
    assert run.error_count == count
    assert run.errors[0]["rule"] == error.rule


def test_second_error_of_a_file_is_reported_too(import_file: Importer) -> None:
    report = import_file("unknown_kind_and_flag.csv")

    assert [(e.line, e.field, e.value) for e in report.errors] == [
        (2, "provisional", "maybe"),
        (2, "kind", "estimated"),
    ]
    assert report.errors[1].rule == "kind must be one of: imputed, observed, projected, synthetic"


def test_cpop_unknown_partnership_name_and_type_are_named(import_file: Importer) -> None:
    CouncilAreaFactory(code="S12000047", name="Fife")
    IndicatorFactory(code="cpop-cpp-child-poverty")

    report = import_file("cpop_unknown_partnership_and_type.csv")

    assert [(e.line, e.field, e.value) for e in report.errors] == [
        (2, "CPP", "Borsetshire"),
        (3, "Type", "Guessed"),
    ]
    assert report.errors[0].rule == "unknown partnership name: not in cpp_names.csv"
    assert "expected Raw data, Imputed or Projected" in report.errors[1].rule
    assert written().count() == 0


def test_options_the_layout_needs_are_asked_for(import_file: Importer) -> None:
    report = import_file(
        b"FeatureCode,DateCode,Measurement,Units,Value\nS12900001,2019,Count,People,5\n"
    )

    assert not report.ok
    assert report.errors[0].field == "options"
    assert "give --indicator CODE" in report.errors[0].rule


def test_a_broken_big_file_lists_the_first_thousand_errors_and_counts_all(
    import_file: Importer,
) -> None:
    rows = "".join(f"test-rate,S12900001,{1900 + n % 200},All,x{n},,,,\n" for n in range(2500))
    data = b"indicator,area_code,period,breakdown,value,numerator,denominator,lower_ci,upper_ci\n"

    report = import_file(data + rows.encode())

    assert report.error_count >= 2500
    assert len(report.errors) == 1000
    assert report.errors[0].line == 2
    assert len(ImportRun.objects.get(pk=report.run_id).errors) == 1000
