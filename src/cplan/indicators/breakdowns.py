"""Breakdown keys: the canonical text form of a disaggregation (no Django import).

A breakdown is a set of ``dimension=value`` pairs. A dimension whose value is ``All`` is the total over
that dimension and is left out, so ``{"Gender": "All", "Age": "All"}`` and ``{}`` are both the total,
whose key is ``All``. Pairs are sorted by dimension name and joined with ``|``:
``Age=16-24|Gender=Male``. A dimension named like ``SIMD quintile(s)`` is recognised and its quintile
(1 = most deprived) read from values such as ``1 - most deprived``, ``1``, ``Q1``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

TOTAL_KEY = "All"  # the same as cplan.indicators.models.Breakdown.TOTAL_KEY
TOTAL_VALUE = "All"
MAX_KEY_LENGTH = 500

_SIMD_QUINTILE_DIMENSION = re.compile(r"simd[ _]quintiles?", re.IGNORECASE)
_QUINTILE_VALUE = re.compile(r"(?:Q)?([1-5])(?:\s*-.*)?", re.IGNORECASE)


class BreakdownError(ValueError):
    """A breakdown that cannot be keyed. The message states the rule."""


@dataclass(frozen=True)
class BreakdownKey:
    key: str
    dimensions: dict[str, str]
    simd_quintile: int | None
    simd_base_key: str


def is_simd_quintile_dimension(name: str) -> bool:
    return bool(_SIMD_QUINTILE_DIMENSION.fullmatch(name.strip()))


def breakdown_key(dimensions: Mapping[str, str]) -> BreakdownKey:
    """The canonical key of ``dimensions`` (``All`` values dropped), with its SIMD quintile."""
    kept = {
        name.strip(): value.strip()
        for name, value in dimensions.items()
        if value.strip() != TOTAL_VALUE
    }
    for name, value in kept.items():
        _check_part(name, "dimension name")
        _check_part(value, f"value of {name}")
    quintile = None
    base = dict(kept)
    for name in [name for name in kept if is_simd_quintile_dimension(name)]:
        match = _QUINTILE_VALUE.fullmatch(kept[name])
        if match is None:
            raise BreakdownError(
                f"{name} must be a quintile 1–5 (1 = most deprived), not {kept[name]!r}"
            )
        quintile = int(match.group(1))
        del base[name]
    key = _join(kept)
    if len(key) > MAX_KEY_LENGTH:
        raise BreakdownError(f"a breakdown key may have at most {MAX_KEY_LENGTH} characters")
    return BreakdownKey(key=key, dimensions=kept, simd_quintile=quintile, simd_base_key=_join(base))


def parse_breakdown_text(text: str) -> BreakdownKey:
    """Read ``Gender=Male|SIMD quintile=1`` (any order); empty or ``All`` is the total."""
    stripped = text.strip()
    if stripped in {"", TOTAL_KEY}:
        return breakdown_key({})
    dimensions: dict[str, str] = {}
    for part in stripped.split("|"):
        name, sep, value = part.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise BreakdownError(
                f"{part!r} is not dimension=value (write e.g. Gender=Male|Age=16-24, or All)"
            )
        if name.strip() in dimensions:
            raise BreakdownError(f"dimension {name.strip()!r} is given twice")
        dimensions[name.strip()] = value.strip()
    return breakdown_key(dimensions)


def _check_part(text: str, what: str) -> None:
    if not text:
        raise BreakdownError(f"the {what} is empty")
    if "|" in text or "=" in text:
        raise BreakdownError(f"the {what} {text!r} may not contain '|' or '='")


def _join(dimensions: Mapping[str, str]) -> str:
    if not dimensions:
        return TOTAL_KEY
    return "|".join(f"{name}={dimensions[name]}" for name in sorted(dimensions))
