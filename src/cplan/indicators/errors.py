"""Row errors an import reports: line number, field, value and the rule broken.

Checks are vectorised, so errors are collected as whole columns (a mask over a frame) and only the
first :data:`MAX_LISTED_ERRORS` become Python objects; the total is always counted, so a broken
million-row file gives a readable report.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

MAX_LISTED_ERRORS = 1000

FILE_LEVEL = 0  # the "line" of an error about the whole file (encoding, columns, options)


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    value: str
    rule: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line != FILE_LEVEL else "file"
        value = f" {self.value!r}" if self.value != "" else ""
        return f"{where}, {self.field}{value}: {self.rule}"


class ErrorCollector:
    """Accumulates errors from masks over frames; lists the first ones by line, counts them all."""

    def __init__(self) -> None:
        self._parts: list[pd.DataFrame] = []
        self.count = 0

    def add(self, error: RowError) -> None:
        self._parts.append(pd.DataFrame([error.as_dict()]))
        self.count += 1

    def add_rows(
        self,
        mask: pd.Series,
        lines: pd.Series,
        field: str,
        values: pd.Series | str,
        rule: pd.Series | str,
    ) -> None:
        """One error per row where ``mask`` holds; ``values`` (and ``rule``, when it varies) per row."""
        mask = mask.fillna(False).astype(bool)
        hits = int(mask.sum())
        if not hits:
            return
        selected = values[mask] if isinstance(values, pd.Series) else values
        rules = rule[mask] if isinstance(rule, pd.Series) else rule
        self._parts.append(
            pd.DataFrame(
                {
                    "line": lines[mask].to_numpy(dtype=np.int64),
                    "field": field,
                    "value": _as_text(selected, hits),
                    "rule": _as_text(rules, hits),
                }
            )
        )
        self.count += hits

    def extend(self, other: ErrorCollector) -> None:
        self._parts.extend(other._parts)
        self.count += other.count

    def __bool__(self) -> bool:
        return self.count > 0

    def first(self, limit: int = MAX_LISTED_ERRORS) -> list[RowError]:
        if not self._parts:
            return []
        table = pd.concat(self._parts, ignore_index=True).sort_values("line", kind="stable")
        return [
            RowError(line=int(line), field=str(field), value=str(value), rule=str(rule))
            for line, field, value, rule in table.head(limit).itertuples(index=False, name=None)
        ]


def _as_text(values: pd.Series | str, size: int) -> list[str]:
    if isinstance(values, str):
        return [values] * size
    return ["" if pd.isna(value) else _format(value) for value in values.tolist()]


def _format(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
