"""Plain, JSON-safe pictures of an object's fields: the before/after of the change history, the
fingerprint that detects concurrent edits, and the input of a version diff."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

Snapshot = dict[str, Any]


def snapshot(obj: models.Model, fields: Iterable[str]) -> Snapshot:
    """``{field: value}`` with related objects as their names, dates as ISO text and many-to-many
    fields as sorted lists of names (empty before the object is saved)."""
    return {name: _plain(obj, name) for name in fields}


def _plain(obj: models.Model, name: str) -> Any:
    field = obj._meta.get_field(name)
    if field.many_to_many:
        if obj.pk is None:
            return []
        return sorted(str(related) for related in getattr(obj, name).all())
    if field.is_relation:
        related = getattr(obj, name) if getattr(obj, f"{name}_id") is not None else None
        return None if related is None else str(related)
    value = getattr(obj, name)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def fingerprint(picture: Snapshot) -> str:
    """A short hash of a snapshot: a form carries it, the service compares it before saving."""
    text = json.dumps(picture, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def changed_fields(before: Snapshot, after: Snapshot) -> list[str]:
    return [name for name in after if before.get(name) != after[name]]


CONFLICT = (
    "{what} was changed by someone else since you opened it ({detail}). Nothing was saved: "
    "reload the page to see the changes, then make yours again."
)


class ConflictError(ValidationError):
    """Two people edited the same object: the later save is refused rather than overwriting."""


def check_revision(obj: models.Model, *, expected: int, current: int) -> None:
    if expected != current:
        raise ConflictError(
            CONFLICT.format(
                what=str(obj), detail=f"you opened revision {expected}, it is now {current}"
            ),
            code="conflict",
        )


def check_fingerprint(obj: models.Model, *, expected: str, current: str) -> None:
    if expected != current:
        raise ConflictError(
            CONFLICT.format(what=str(obj), detail="its details differ from those you opened"),
            code="conflict",
        )
