"""Input checks shared by the library. Every failure is a ``ValueError`` naming the field, where the
first bad value is (row label of a data frame, or position in an array), the value and the rule, and
how many more values break the same rule. Checks run before any computation, so bad input changes
nothing.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from outcomes._grouping import group_codes
from outcomes.types import BoolArray, FloatArray, IntArray, Polarity

#: A polarity given once for all rows, or the name of a column holding +1 / −1 per row.
PolarityArg = Polarity | int | str


def fail_where(
    bad: BoolArray,
    *,
    field: str,
    values: npt.NDArray[np.generic] | pd.Series,
    rule: str,
    labels: Sequence[Hashable] | pd.Index | None = None,
) -> None:
    """Raise a ``ValueError`` describing the first position where ``bad`` is true, if any."""
    positions = np.flatnonzero(np.asarray(bad).ravel())
    if positions.size == 0:
        return
    first = int(positions[0])
    flat = np.asarray(values).ravel()
    where = f"row {labels[first]!r}" if labels is not None else f"position {first}"
    more = ""
    if positions.size > 1:
        more = f" ({positions.size - 1} more value{'s' if positions.size > 2 else ''} break the same rule)"
    value = flat[first]
    shown = value.item() if isinstance(value, np.generic) else value
    raise ValueError(f"{field} at {where} is {shown!r}: {rule}{more}")


def to_float_array(values: npt.ArrayLike, field: str) -> FloatArray:
    """Convert to a float array, naming the field when the values are not numbers."""
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{field} must be numbers: {error}") from error


def require_finite(
    values: FloatArray, field: str, labels: Sequence[Hashable] | pd.Index | None = None
) -> None:
    fail_where(
        ~np.isfinite(values),
        field=field,
        values=values,
        rule="every value must be a finite number (missing values are not allowed here)",
        labels=labels,
    )


def require_non_negative(
    values: FloatArray, field: str, labels: Sequence[Hashable] | pd.Index | None = None
) -> None:
    require_finite(values, field, labels)
    fail_where(values < 0, field=field, values=values, rule="must not be negative", labels=labels)


def require_positive(
    values: FloatArray, field: str, labels: Sequence[Hashable] | pd.Index | None = None
) -> None:
    require_finite(values, field, labels)
    fail_where(
        values <= 0, field=field, values=values, rule="must be greater than zero", labels=labels
    )


def counts_and_denominators(
    numerator: npt.ArrayLike, denominator: npt.ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Validated (numerator, denominator) arrays of one shape: counts ≥ 0, denominators > 0."""
    num = to_float_array(numerator, "numerator")
    den = to_float_array(denominator, "denominator")
    require_same_shape(numerator=num, denominator=den)
    require_non_negative(num, "numerator")
    require_positive(den, "denominator")
    return num, den


def require_same_shape(**arrays: npt.NDArray[np.generic]) -> None:
    """All arrays must have one shape (scalars are not broadcast silently)."""
    shapes = {name: np.shape(array) for name, array in arrays.items()}
    if len(set(shapes.values())) > 1:
        described = ", ".join(f"{name} {shape}" for name, shape in shapes.items())
        raise ValueError(f"inputs must have the same length: {described}")


def require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str = "data") -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(
            f"{what} is missing column(s) {missing}; it has {list(map(str, frame.columns))}"
        )


def require_rows(frame: pd.DataFrame, what: str = "data") -> None:
    if frame.empty:
        raise ValueError(f"{what} has no rows: there is nothing to compute")


def require_unique_keys(frame: pd.DataFrame, keys: Sequence[str], what: str = "data") -> None:
    """Each combination of ``keys`` may appear once: duplicates would be counted twice."""
    codes, combinations = group_codes(frame, keys)
    if len(combinations) < len(frame):
        report_duplicates(frame, np.bincount(codes)[codes] > 1, keys, what)


def report_duplicates(
    frame: pd.DataFrame, duplicated: BoolArray, keys: Sequence[str], what: str
) -> None:
    """Raise a ``ValueError`` naming the first repeated combination of ``keys``, if any."""
    if not duplicated.any():
        return
    first = int(np.flatnonzero(duplicated)[0])
    row = frame.iloc[first]
    combo = ", ".join(f"{key}={row[key]!r}" for key in keys)
    raise ValueError(
        f"{what} has {int(duplicated.sum())} rows that repeat the same {list(keys)}, "
        f"first at row {frame.index[first]!r} ({combo}); each combination may appear once"
    )


def frame_column(frame: pd.DataFrame, column: str, *, rule: str) -> FloatArray:
    """A numeric column as floats, validated by ``rule`` (finite / non-negative / positive)."""
    values = to_float_array(frame[column].to_numpy(), column)
    checks = {
        "finite": require_finite,
        "non-negative": require_non_negative,
        "positive": require_positive,
    }
    checks[rule](values, column, frame.index)
    return values


def polarity_array(polarity: PolarityArg, frame: pd.DataFrame) -> IntArray:
    """+1/−1 for each row: one polarity for all rows, or a column of polarities."""
    if isinstance(polarity, str) and polarity in frame.columns:
        codes, values = pd.factorize(frame[polarity])
        fail_where(
            codes < 0,
            field=polarity,
            values=frame[polarity].to_numpy(),
            rule="every row needs a polarity",
            labels=frame.index,
        )
        parsed = np.array([int(Polarity.parse(value)) for value in values], dtype=np.int64)
        signs: IntArray = parsed[codes]
        return signs
    return np.full(len(frame), int(Polarity.parse(polarity)), dtype=np.int64)
