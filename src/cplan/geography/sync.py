"""Make a table hold exactly the rows a file describes, writing only what differs.

Loaders describe the rows they want (plain dicts keyed by a natural key); :func:`plan_sync` reads
what the database holds in one query and works out what to create, update and delete;
:func:`apply_sync` writes that in bulk. A second run over the same files therefore writes nothing,
and the counts say so.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models

# Rows per INSERT/UPDATE statement. SQLite's own limit on query parameters is applied by Django.
BATCH_SIZE = 2000
# From this many new rows on, insert with executemany rather than building model instances:
# the ORM's per-instance work is most of a large load's time.
FAST_INSERT_ROWS = 1000


@dataclass
class SyncCounts:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def __add__(self, other: SyncCounts) -> SyncCounts:
        return SyncCounts(
            created=self.created + other.created,
            updated=self.updated + other.updated,
            deleted=self.deleted + other.deleted,
            unchanged=self.unchanged + other.unchanged,
        )

    def as_dict(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "deleted": self.deleted,
            "unchanged": self.unchanged,
        }


@dataclass
class SyncPlan:
    model: type[models.Model]
    value_fields: tuple[str, ...]
    to_create: list[dict[str, Any]] = field(default_factory=list)
    to_update: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    to_delete: list[int] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.to_create or self.to_update or self.to_delete)

    def counts(self) -> SyncCounts:
        return SyncCounts(
            created=len(self.to_create),
            updated=len(self.to_update),
            deleted=len(self.to_delete),
            unchanged=self.unchanged,
        )


def plan_sync(
    queryset: models.QuerySet[Any],
    *,
    key_fields: Sequence[str],
    value_fields: Sequence[str],
    rows: Iterable[Mapping[str, Any]],
    delete_missing: bool = False,
) -> SyncPlan:
    """Compare ``rows`` with what ``queryset`` holds, matching on ``key_fields``.

    Each row maps every key and value field (FKs as ``<name>_id``) to its wanted value.
    ``delete_missing`` deletes rows of ``queryset`` that ``rows`` do not mention, so scope the
    queryset to what the caller owns (one edition, one typology, one indicator set).
    """
    keys, values = tuple(key_fields), tuple(value_fields)
    key_of, values_of = _getter(keys), _getter(values)
    existing: dict[tuple[Any, ...], tuple[int, tuple[Any, ...]]] = {}
    split = 1 + len(keys)
    for record in queryset.values_list("pk", *keys, *values).iterator(chunk_size=20000):
        existing[record[1:split]] = (record[0], record[split:])
    plan = SyncPlan(model=queryset.model, value_fields=values)
    seen: set[tuple[Any, ...]] = set()
    for row in rows:
        key = key_of(row)
        if key in seen:
            raise ValueError(f"{queryset.model.__name__}: two rows for the key {key}")
        seen.add(key)
        held = existing.get(key)
        if held is None:
            plan.to_create.append(dict(row))
        elif values_of(row) == held[1]:
            plan.unchanged += 1
        else:
            plan.to_update.append((held[0], {name: row[name] for name in values}))
    if delete_missing:
        plan.to_delete = [pk for key, (pk, _) in existing.items() if key not in seen]
    return plan


def apply_sync(plan: SyncPlan, *, on_write: Mapping[str, Any] | None = None) -> SyncCounts:
    """Write a plan: bulk inserts, bulk updates, one delete. ``on_write`` is set on new and
    changed rows only (e.g. the import run that wrote them)."""
    model, extra = plan.model, dict(on_write or {})
    if plan.to_delete:
        for start in range(0, len(plan.to_delete), BATCH_SIZE):
            model._default_manager.filter(
                pk__in=plan.to_delete[start : start + BATCH_SIZE]
            ).delete()
    if len(plan.to_create) >= FAST_INSERT_ROWS:
        insert_rows(model, [{**row, **extra} for row in plan.to_create])
    elif plan.to_create:
        model._default_manager.bulk_create(
            [model(**row, **extra) for row in plan.to_create], batch_size=_batch_size()
        )
    if plan.to_update:
        changed = []
        for pk, values in plan.to_update:
            instance = model(pk=pk)
            for name, value in {**values, **extra}.items():
                setattr(instance, name, value)
            changed.append(instance)
        model._default_manager.bulk_update(
            changed, [*plan.value_fields, *extra], batch_size=_batch_size() // 4
        )
    return plan.counts()


def sync(
    queryset: models.QuerySet[Any],
    *,
    key_fields: Sequence[str],
    value_fields: Sequence[str],
    rows: Iterable[Mapping[str, Any]],
    delete_missing: bool = False,
) -> SyncCounts:
    """:func:`plan_sync` then :func:`apply_sync`."""
    plan = plan_sync(
        queryset,
        key_fields=key_fields,
        value_fields=value_fields,
        rows=rows,
        delete_missing=delete_missing,
    )
    return apply_sync(plan)


def insert_rows(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert plain rows (keys are field attnames, e.g. ``area_id``) with ``executemany``.

    Values are adapted as the ORM would for the database (dates, JSON); a field a row leaves
    out takes the field's default. No signals, no ``save()``: for loaders of plain facts only.
    """
    fields = [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    ]
    given = set().union(*(row.keys() for row in rows[:1]))
    defaults = {f.attname: f.get_default() for f in fields if f.attname not in given}
    converters = [_db_converter(f) for f in fields]
    quote = connection.ops.quote_name
    # Identifiers come from the model and are quoted; values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    names = [f.attname for f in fields]

    def prepared(batch: Sequence[Mapping[str, Any]]) -> list[list[Any]]:
        return [
            [
                value if convert is None or value is None else convert(value)
                for value, convert in zip(
                    (row.get(name, defaults.get(name)) for name in names), converters, strict=True
                )
            ]
            for row in batch
        ]

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: one stream instead of a statement per row.
            copy_sql = "COPY {} ({}) FROM STDIN".format(
                quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
            )
            with cursor.cursor.copy(copy_sql) as copy:
                for start in range(0, len(rows), BATCH_SIZE * 5):
                    for values in prepared(rows[start : start + BATCH_SIZE * 5]):
                        copy.write_row(values)
            return
        for start in range(0, len(rows), BATCH_SIZE * 5):
            cursor.executemany(sql, prepared(rows[start : start + BATCH_SIZE * 5]))


def _db_converter(db_field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How to turn a Python value into what the database driver takes; None: as it is."""
    if isinstance(db_field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(db_field, models.DateField):
        return connection.ops.adapt_datefield_value
    if isinstance(db_field, models.JSONField):
        return lambda value: db_field.get_db_prep_save(value, connection)
    return None


def _getter(names: tuple[str, ...]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """A function returning a row's values of ``names`` as a tuple (as ``values_list`` does)."""
    if len(names) == 1:
        (name,) = names
        return lambda row: (row[name],)
    return operator.itemgetter(*names)


def _batch_size() -> int:
    # Django splits batches further where the database needs it (SQLite's parameter limit).
    return BATCH_SIZE if connection.vendor != "sqlite" else 500
