"""What changed between two versions of a plan: the plan's own words and, item by item (paired
by the ``key`` a copied item keeps), priorities, outcomes, measures and commitments added, removed
or changed — with a word-level diff of longer text."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import models

from cplan.core.snapshots import Snapshot, snapshot
from cplan.plans.models import PlanVersion, Priority
from cplan.plans.services import (
    COMMITMENT_FIELDS,
    MEASURE_FIELDS,
    OUTCOME_FIELDS,
    PRIORITY_FIELDS,
)

PLAN_FIELDS = ("title", "summary", "period_start", "period_end")
IGNORED = {"position"}  # order moves whenever an item is added; not a change of substance


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: str
    after: str
    words: list[tuple[str, str]] = field(default_factory=list)  # (equal | delete | insert, text)


@dataclass(frozen=True)
class ItemChange:
    kind: str
    title: str
    change: str  # added | removed | changed
    fields: list[FieldChange]


@dataclass(frozen=True)
class VersionDiff:
    old: PlanVersion
    new: PlanVersion
    plan: list[FieldChange]
    items: list[ItemChange]

    @property
    def is_empty(self) -> bool:
        return not self.plan and not self.items


def _text(value: object) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, list):
        return (
            "; ".join(
                f"{v['year']}: {v['value']:g}" if isinstance(v, dict) and "year" in v else str(v)
                for v in value
            )
            or "–"
        )
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """Words kept, deleted and inserted, for showing a change of a sentence or paragraph."""
    old, new = before.split(), after.split()
    parts: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(("equal", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("delete", " ".join(old[i1:i2])))
        if j2 > j1:
            parts.append(("insert", " ".join(new[j1:j2])))
    return parts


def field_changes(before: Snapshot, after: Snapshot) -> list[FieldChange]:
    changes = []
    for name in after:
        if name in IGNORED or before.get(name) == after[name]:
            continue
        old, new = _text(before.get(name)), _text(after[name])
        long_text = isinstance(after[name], str) and (" " in old or " " in new)
        changes.append(
            FieldChange(name.replace("_", " "), old, new, word_diff(old, new) if long_text else [])
        )
    return changes


def _pictures(
    items: Sequence[models.Model], fields: Sequence[str]
) -> dict[object, tuple[str, Snapshot]]:
    return {getattr(item, "key"): (str(item), snapshot(item, fields)) for item in items}  # noqa: B009 - every versioned item has a key


def _priority_picture(priority: Priority) -> Snapshot:
    """A priority with its responsibility matrix, which is part of what a version says."""
    picture = snapshot(priority, PRIORITY_FIELDS)
    picture["responsibilities"] = sorted(
        f"{r.get_function_display()}: {r.party}" for r in priority.responsibilities.all()
    )
    return picture


def version_diff(old: PlanVersion, new: PlanVersion) -> VersionDiff:
    items: list[ItemChange] = []
    groups: list[tuple[str, dict[object, tuple[str, Snapshot]], dict[object, tuple[str, Snapshot]]]]
    groups = [
        (
            "Priority",
            {p.key: (str(p), _priority_picture(p)) for p in old.priorities.all()},
            {p.key: (str(p), _priority_picture(p)) for p in new.priorities.all()},
        ),
        (
            "Outcome",
            _pictures(list(old.outcomes.all()), OUTCOME_FIELDS),
            _pictures(list(new.outcomes.all()), OUTCOME_FIELDS),
        ),
        (
            "Measure",
            _pictures(list(old.measures.all()), MEASURE_FIELDS),
            _pictures(list(new.measures.all()), MEASURE_FIELDS),
        ),
        (
            "Commitment",
            _pictures(list(old.commitments.all()), COMMITMENT_FIELDS),
            _pictures(list(new.commitments.all()), COMMITMENT_FIELDS),
        ),
    ]
    for kind, before, after in groups:
        for key, (title, picture) in after.items():
            if key not in before:
                items.append(ItemChange(kind, title, "added", field_changes({}, picture)))
            else:
                changed = field_changes(before[key][1], picture)
                if changed:
                    items.append(ItemChange(kind, title, "changed", changed))
        items.extend(
            ItemChange(kind, title, "removed", [])
            for key, (title, _picture) in before.items()
            if key not in after
        )
    return VersionDiff(
        old=old,
        new=new,
        plan=field_changes(snapshot(old, PLAN_FIELDS), snapshot(new, PLAN_FIELDS)),
        items=items,
    )
