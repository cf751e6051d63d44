"""Integer group codes for combinations of columns, built by numbering each column's values
(``pandas.factorize``, or a direct look-up for small-range integers) and combining them in mixed
radix, so that group sums can be taken with ``numpy.bincount``. This keeps aggregation and the
per-group statistics linear in the number of rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from outcomes.types import IntArray

#: Mixed-radix codes stay below this, so they fit in int64.
_CODE_LIMIT = 2**62


@dataclass(frozen=True)
class _Column:
    name: str
    values: pd.Index


@dataclass(frozen=True)
class _Renumbering:
    previous: IntArray  # previous[new code] = the code before renumbering


def group_codes(frame: pd.DataFrame, columns: Sequence[str]) -> tuple[IntArray, pd.DataFrame]:
    """Integer code per row for each combination of ``columns``, and the table of combinations.

    Codes number the combinations present in sorted order of their keys (0, 1, …; missing values
    sort last and form a group of their own); row ``i`` of the table holds the key values of code
    ``i``. With no columns, every row is in group 0.
    """
    if not columns:
        return np.zeros(len(frame), dtype=np.int64), pd.DataFrame(index=pd.RangeIndex(1))
    mixed = np.zeros(len(frame), dtype=np.int64)
    steps: list[_Column | _Renumbering] = []
    radix = 1
    for column in columns:
        codes, values = number_values(frame[column])
        size = max(len(values), 1)
        if radix * size >= _CODE_LIMIT:
            # Renumber the combinations seen so far, so the mixed code keeps fitting in int64.
            mixed, previous = compact_codes(mixed, radix)
            steps.append(_Renumbering(previous))
            radix = len(previous)
        mixed = mixed * size + codes
        radix *= size
        steps.append(_Column(column, values))
    compact, present = compact_codes(mixed, radix)
    return compact, _decode(present, steps)


def number_values(values: pd.Series) -> tuple[IntArray, pd.Index]:
    """Codes 0…k−1 for the sorted distinct values of one column, and those values."""
    array = values.to_numpy()
    if isinstance(values.dtype, np.dtype) and values.dtype.kind in "iu" and array.size:
        low = int(array.min())
        span = int(array.max()) - low + 1
        if span <= max(array.size, 1024):  # small range: a direct look-up, no hashing
            shifted = array.astype(np.int64) - low
            codes, used = compact_codes(shifted, span)
            return codes, pd.Index(used + low).astype(values.dtype)
    codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=False)
    return codes.astype(np.int64), pd.Index(uniques)


def fits_dense(cells: int, rows: int) -> bool:
    """Whether a dense table of ``cells`` entries is cheap next to ``rows`` rows of data (memory
    stays proportional to the data); otherwise hash the codes instead."""
    return cells <= 4 * rows + 1_000_000


def compact_codes(codes: IntArray, bound: int) -> tuple[IntArray, IntArray]:
    """Renumber non-negative codes below ``bound`` to 0…k−1 keeping their order; also return the
    original code of each new one. A dense table when ``bound`` is not much above the row count,
    else hashing."""
    if fits_dense(bound, codes.size):
        present = np.zeros(bound, dtype=bool)
        present[codes] = True
        rank = np.cumsum(present, dtype=np.int64) - 1
        return rank[codes], np.flatnonzero(present).astype(np.int64)
    compact, used = pd.factorize(codes, sort=True)
    return compact.astype(np.int64), np.asarray(used, dtype=np.int64)


def _decode(codes: IntArray, steps: list[_Column | _Renumbering]) -> pd.DataFrame:
    """Turn mixed-radix codes back into one column of key values per grouping column."""
    keys: dict[str, pd.Index] = {}
    remainder = codes
    for step in reversed(steps):
        if isinstance(step, _Renumbering):
            remainder = step.previous[remainder]
            continue
        size = max(len(step.values), 1)
        keys[step.name] = step.values.take(remainder % size)
        remainder = remainder // size
    names = [step.name for step in steps if isinstance(step, _Column)]
    return pd.DataFrame({name: keys[name] for name in names})


def select_words(
    conditions: Sequence[npt.NDArray[np.bool_]], words: Sequence[str], default: str
) -> npt.NDArray[np.str_]:
    """Like ``numpy.select`` for labels: the word of the first true condition, else ``default``.

    Selecting integer positions and then taking from the word list is much faster than
    ``numpy.select`` on strings.
    """
    vocabulary = np.array([*map(str, words), str(default)], dtype=np.str_)
    chosen: npt.NDArray[np.str_] = vocabulary[_positions(conditions)]
    return chosen


def select_categories(
    conditions: Sequence[npt.NDArray[np.bool_]], words: Sequence[str], default: str
) -> pd.Categorical[str]:
    """As :func:`select_words`, as a categorical column: one copy of each word, however many rows."""
    vocabulary = list(dict.fromkeys([*map(str, words), str(default)]))
    labels = [*map(str, words), str(default)]
    lookup = np.array([vocabulary.index(label) for label in labels], dtype=np.int64)
    codes: IntArray = lookup[_positions(conditions)]
    return pd.Categorical.from_codes(codes, categories=pd.Index(vocabulary))


def _positions(conditions: Sequence[npt.NDArray[np.bool_]]) -> IntArray:
    position: IntArray = np.select(list(conditions), list(range(len(conditions))), len(conditions))
    return position
