"""Writing many observations at once, with PostgreSQL's binary ``COPY`` or SQLite's ``executemany``.

- When none of the file's indicators has observations yet, the rows are inserted as they are,
  in the order of the unique key (the common first load, and the fastest; PostgreSQL copies
  straight into the table).
- Otherwise they go to a temporary stage table, then one upsert, ``INSERT … ON CONFLICT DO UPDATE
  … WHERE <a value differs>``, which leaves unchanged rows untouched (they keep the import run that
  wrote them). PostgreSQL counts inserts and updates from ``RETURNING``; SQLite counts them with a
  join before the upsert.

The natural key is (area, indicator, period, breakdown). The observation table has no database-level
foreign keys (see ``Observation``): ids are resolved and checked before writing, and on PostgreSQL
the referenced rows are locked ``FOR KEY SHARE`` in one statement per table, so none can be deleted
before the import commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection

from cplan.indicators.models import Breakdown, Indicator, Observation

KEY = ["area_id", "indicator_id", "period", "breakdown_id"]
VALUES = [
    "period_start",
    "period_end",
    "value",
    "numerator",
    "denominator",
    "lower_ci",
    "upper_ci",
    "kind",
    "provisional",
]
COLUMNS = [*KEY, *VALUES]
STAGE = "indicators_observation_stage"
PG_TYPES = ["int8", "int8", "text", "int8", "date", "date", *["float8"] * 5, "text", "bool"]
SQLITE_TYPES = ["integer", "integer", "text", "integer", "text", "text", *["real"] * 5]
SQLITE_TYPES += ["text", "integer"]
CHUNK_ROWS = 100_000
_NO_RUN_COLUMN = object()


@dataclass(frozen=True)
class UpsertCounts:
    created: int
    updated: int
    unchanged: int


def upsert_observations(frame: pd.DataFrame, *, import_run_id: int | None) -> UpsertCounts:
    """Write ``frame`` (columns :data:`COLUMNS`, no repeated key); call inside ``transaction.atomic``."""
    if not connection.in_atomic_block:
        raise RuntimeError("upsert_observations must run inside transaction.atomic")
    if frame.empty:
        return UpsertCounts(0, 0, 0)
    indicator_ids = pd.unique(frame["indicator_id"].to_numpy(dtype=np.int64)).tolist()
    fresh = not Observation.objects.filter(indicator_id__in=indicator_ids).exists()
    if connection.vendor == "postgresql":
        return _postgresql(frame, import_run_id, fresh=fresh)
    if connection.vendor == "sqlite":
        return _sqlite(frame, import_run_id, fresh=fresh)
    raise NotImplementedError(f"bulk writes support PostgreSQL and SQLite, not {connection.vendor}")


def _rows(
    frame: pd.DataFrame, *, iso_dates: bool, run_id: object = _NO_RUN_COLUMN
) -> Iterator[tuple[Any, ...]]:
    """The rows of :data:`COLUMNS` (+ the run id, when given) in key order, as Python tuples built
    :data:`CHUNK_ROWS` at a time (a million rows of Python objects at once would cost ~300 MiB)."""
    keys = [frame[column].astype("category").cat.codes.to_numpy() for column in reversed(KEY)]
    order = np.lexsort(keys)
    for start in range(0, len(order), CHUNK_ROWS):
        chunk = frame.take(order[start : start + CHUNK_ROWS])
        columns = [_python_values(chunk[column], column, iso_dates) for column in COLUMNS]
        if run_id is not _NO_RUN_COLUMN:
            columns.append([run_id] * len(chunk))
        yield from zip(*columns, strict=True)


def _python_values(series: pd.Series, column: str, iso_dates: bool) -> list[Any]:
    """A column as Python values: NaN → None (NULL), dates as ``date`` or ISO text."""
    if column in {"indicator_id", "area_id", "breakdown_id"}:
        return series.to_numpy(dtype=np.int64).tolist()
    if column in {"period_start", "period_end"}:
        dates = series.astype("category")
        texts = [d.isoformat() if iso_dates else d for d in dates.cat.categories]
        return list(np.array(texts, dtype=object)[dates.cat.codes.to_numpy()])
    if column in {"value", "numerator", "denominator", "lower_ci", "upper_ci"}:
        numbers = series.to_numpy(dtype=float)
        objects = numbers.astype(object)
        objects[np.isnan(numbers)] = None
        return objects.tolist()
    if column == "provisional":
        return series.to_numpy(dtype=bool).tolist()
    return series.astype(str).tolist()


def _changed(old: str, new: str, operator: str) -> str:
    return " OR ".join(f"{old}.{column} {operator} {new}.{column}" for column in VALUES)


def _insert_sql(run_parameter: str) -> str:
    table = Observation._meta.db_table
    columns = ", ".join(COLUMNS)
    return (
        f"INSERT INTO {table} AS o ({columns}, import_run_id) "  # noqa: S608 - names from the model
        f"SELECT {columns}, {run_parameter} FROM {STAGE} WHERE true ORDER BY {', '.join(KEY)}"
    )


def _upsert_sql(run_parameter: str, operator: str) -> str:
    updates = ", ".join(f"{column} = excluded.{column}" for column in [*VALUES, "import_run_id"])
    return (
        f"{_insert_sql(run_parameter)} ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET {updates} "
        f"WHERE {_changed('o', 'excluded', operator)}"
    )


def _postgresql(frame: pd.DataFrame, import_run_id: int | None, *, fresh: bool) -> UpsertCounts:
    table = Observation._meta.db_table
    with connection.cursor() as cursor:
        _lock_referenced_rows(cursor, frame)
        if fresh:  # nothing to compare with: straight into the table
            rows = _rows(frame, iso_dates=False, run_id=import_run_id)
            _copy(cursor, table, [*COLUMNS, "import_run_id"], [*PG_TYPES, "int8"], rows)
            return UpsertCounts(len(frame), 0, 0)
        definition = ", ".join(f"{c} {t}" for c, t in zip(COLUMNS, PG_TYPES, strict=True))
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ({definition}) ON COMMIT DROP")
        _copy(cursor, STAGE, COLUMNS, PG_TYPES, _rows(frame, iso_dates=False))
        cursor.execute(
            f"WITH written AS ({_upsert_sql('%s', 'IS DISTINCT FROM')} "  # noqa: S608 - names from the model
            "RETURNING (xmax = 0) AS inserted) SELECT count(*) FILTER (WHERE inserted), "
            "count(*) FILTER (WHERE NOT inserted) FROM written",
            [import_run_id],
        )
        created, updated = cursor.fetchone()
        cursor.execute(f"DROP TABLE {STAGE}")
    return UpsertCounts(created, updated, len(frame) - created - updated)


def _copy(
    cursor: Any, table: str, names: list[str], types: list[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    """Binary ``COPY`` of ``rows`` into ``table``."""
    with cursor.cursor.copy(
        f"COPY {table} ({', '.join(names)}) FROM STDIN (FORMAT BINARY)"
    ) as copy:
        copy.set_types(types)
        for row in rows:
            copy.write_row(row)


def _lock_referenced_rows(cursor: Any, frame: pd.DataFrame) -> None:
    from cplan.geography.models import Area

    for model, column in (
        (Area, "area_id"),
        (Indicator, "indicator_id"),
        (Breakdown, "breakdown_id"),
    ):
        ids = pd.unique(frame[column].to_numpy(dtype=np.int64)).tolist()
        table = model._meta.db_table
        sql = f"SELECT 1 FROM {table} WHERE id = ANY(%s) FOR KEY SHARE"  # noqa: S608 - names from the model
        cursor.execute(sql, [ids])


def _sqlite(frame: pd.DataFrame, import_run_id: int | None, *, fresh: bool) -> UpsertCounts:
    definition = ", ".join(f"{c} {t}" for c, t in zip(COLUMNS, SQLITE_TYPES, strict=True))
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the sqlite3 cursor: "?" parameters, no per-row conversion
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ({definition})")
        try:
            insert = f"INSERT INTO {STAGE} VALUES ({', '.join('?' * len(COLUMNS))})"  # noqa: S608 - names from the model
            cursor.executemany(insert, _rows(frame, iso_dates=True))
            if fresh:  # nothing to compare with
                cursor.execute(_insert_sql("?"), [import_run_id])
                created, updated = len(frame), 0
            else:
                created, updated = _sqlite_count(cursor)
                cursor.execute(_upsert_sql("?", "IS NOT"), [import_run_id])
        finally:
            cursor.execute(f"DROP TABLE {STAGE}")
    return UpsertCounts(created, updated, len(frame) - created - updated)


def _sqlite_count(cursor: Any) -> tuple[int, int]:
    """(new rows, changed rows) of the stage, before the upsert."""
    table = Observation._meta.db_table
    joined = " AND ".join(f"o.{c} = s.{c}" for c in KEY)
    changed = _changed("o", "s", "IS NOT")
    row = cursor.execute(
        "SELECT count(*) FILTER (WHERE o.id IS NULL), "  # noqa: S608 - names from the model
        f"count(*) FILTER (WHERE o.id IS NOT NULL AND ({changed})) "
        f"FROM {STAGE} s LEFT JOIN {table} o ON {joined}"
    ).fetchone()
    return int(row[0]), int(row[1])
