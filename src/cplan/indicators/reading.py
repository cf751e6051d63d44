"""Reading an uploaded CSV: encoding, emptiness, header, then the columns with the types a layout asks.

Text columns are read as pandas categories (a million rows of repeated codes cost a few megabytes) and
numeric columns straight to float. Only when a numeric column holds text is it re-read as text, so the
offending cells can be named line by line.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cplan.indicators.errors import FILE_LEVEL, ErrorCollector, RowError

HEADER_LINE = 1
FIRST_DATA_LINE = 2
NOT_A_NUMBER = "must be a number"
NOT_FINITE = "must be a finite number"


class FileRejectedError(Exception):
    """The file as a whole cannot be read; ``error`` says why."""

    def __init__(self, error: RowError) -> None:
        super().__init__(str(error))
        self.error = error


def check_encoding(data: bytes) -> bytes:
    """The bytes without a UTF-8 byte-order mark; reject anything that is not UTF-8."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRejectedError(
            _file_error("file is not UTF-8 (it is UTF-16): save it as CSV UTF-8")
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start : error.start + 1].hex().upper()
        raise FileRejectedError(
            RowError(
                line=line,
                field="encoding",
                value=f"0x{byte}",
                rule="file is not UTF-8 (e.g. Latin-1 or Windows-1252): save it as CSV UTF-8",
            )
        ) from error
    return data.removeprefix(codecs.BOM_UTF8)


def read_header(data: bytes) -> list[str]:
    if not data.strip():
        raise FileRejectedError(_file_error("file is empty"))
    try:  # the csv module, not pandas, which would rename a repeated column "x.1"
        header = next(csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")))
    except (csv.Error, StopIteration) as error:
        raise FileRejectedError(
            _file_error(f"the header cannot be read as CSV ({error})")
        ) from error
    columns = [column.strip() for column in header]
    duplicates = sorted({column for column in columns if columns.count(column) > 1})
    if duplicates:
        raise FileRejectedError(
            RowError(HEADER_LINE, "columns", ", ".join(duplicates), "a column name appears twice")
        )
    return columns


@dataclass
class RawTable:
    """The file's rows: ``frame`` (stripped column names; ``line`` = the line in the file), the
    errors found reading it, and per numeric column the cells that were not numbers."""

    frame: pd.DataFrame
    errors: ErrorCollector
    invalid: dict[str, pd.Series]


def read_table(
    data: bytes, numeric_columns: Sequence[str], missing_markers: Sequence[str]
) -> RawTable:
    """Read every row; numeric columns as float (``missing_markers`` → NaN), the rest as categories.

    A cell that is neither a number nor a missing marker is reported (line, column, value) and read as
    NaN, so the rest of the file can still be checked.
    """
    columns = read_header(data)
    numeric = [column for column in columns if column in set(numeric_columns)]
    markers = list(missing_markers) or [""]
    errors = ErrorCollector()
    invalid: dict[str, pd.Series] = {}
    try:
        try:
            frame = _read(data, columns, dict.fromkeys(numeric, "float64"), markers)
        except ValueError as error:
            if isinstance(error, pd.errors.ParserError):
                raise
            frame = _read(data, columns, dict.fromkeys(numeric, "str"), markers)
            for column in numeric:
                frame[column], invalid[column] = _to_float(frame, column, errors)
    except pd.errors.ParserError as error:
        raise FileRejectedError(_csv_error(error)) from error
    frame.insert(0, "line", np.arange(FIRST_DATA_LINE, FIRST_DATA_LINE + len(frame)))
    frame = _without_blank_lines(frame, numeric)
    if frame.empty:
        raise FileRejectedError(_file_error("file has a header but no data rows"))
    for column in numeric:
        infinite = pd.Series(np.isinf(frame[column].to_numpy()), index=frame.index)
        if infinite.any():
            errors.add_rows(infinite, frame["line"], column, frame[column], NOT_FINITE)
            frame.loc[infinite, column] = np.nan
            invalid[column] = invalid.get(column, infinite) | infinite
    return RawTable(frame=frame, errors=errors, invalid=invalid)


def _read(
    data: bytes, columns: list[str], numeric_types: dict[str, str], markers: list[str]
) -> pd.DataFrame:
    dtypes = {column: numeric_types.get(column, "category") for column in columns}
    frame = pd.read_csv(
        io.BytesIO(data),
        header=0,
        names=columns,
        dtype=dtypes,
        keep_default_na=False,
        na_values=dict.fromkeys(numeric_types, markers),
        skip_blank_lines=False,
        encoding="utf-8",
    )
    for column in columns:
        if column not in numeric_types:
            frame[column] = strip_categories(frame[column])
    return frame


def _to_float(
    frame: pd.DataFrame, column: str, errors: ErrorCollector
) -> tuple[pd.Series, pd.Series]:
    """The column as numbers, and the mask of cells that are not (reported to ``errors``)."""
    text = frame[column]
    numbers = pd.to_numeric(text, errors="coerce")
    bad = numbers.isna() & text.notna()
    errors.add_rows(bad, frame.index.to_series() + FIRST_DATA_LINE, column, text, NOT_A_NUMBER)
    return numbers.astype("float64"), bad


def strip_categories(series: pd.Series) -> pd.Series:
    """Strip spaces around text values, cheaply: on the categories, not on every row."""
    categorical = series.astype("category")
    stripped = categorical.cat.categories.astype(str).str.strip()
    if stripped.is_unique:
        return categorical.cat.rename_categories(list(stripped))
    return categorical.astype(str).str.strip().astype("category")


def _without_blank_lines(frame: pd.DataFrame, numeric: list[str]) -> pd.DataFrame:
    """Drop lines with nothing on them (kept while reading, so line numbers stay right)."""
    blank = pd.Series(True, index=frame.index)
    for column in frame.columns.drop("line"):
        if column in numeric:
            blank &= frame[column].isna()
        else:
            categorical = frame[column].astype("category")
            empty = categorical.cat.categories.astype(str).str.strip() == ""
            codes = categorical.cat.codes.to_numpy()
            blank &= (codes < 0) | np.append(empty, False)[codes]
        if not blank.any():
            return frame
    return frame[~blank]


def _csv_error(error: pd.errors.ParserError) -> RowError:
    """pandas says e.g. "Expected 9 fields in line 5, saw 10": report that line."""
    match = re.search(r"line (\d+)", str(error))
    line = int(match.group(1)) if match else FILE_LEVEL
    return RowError(line, "file", "", f"not a valid CSV row: {str(error).strip()}")


def _file_error(rule: str) -> RowError:
    return RowError(line=FILE_LEVEL, field="file", value="", rule=rule)
