"""Plain-English readings generated from the numbers a chart shows (DESIGN.md §8).

Pure functions over plain values, so every sentence can be tested against worked examples.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class NamedValue:
    name: str
    value: float


def format_value(value: float, unit: str) -> str:
    """``44.3%`` for a percentage, ``1,234.5`` otherwise (one decimal place)."""
    if unit == "%":
        return f"{value:.1f}%"
    text = f"{value:,.1f}"
    return f"{text} {unit}".strip() if unit else text


def join_names(names: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _tied_at(values: Sequence[NamedValue], target: float, unit: str) -> list[str]:
    # Ties are judged at the precision shown, so the sentence never contradicts the table.
    shown = format_value(target, unit)
    return sorted(v.name for v in values if format_value(v.value, unit) == shown)


def _phrase(names: list[str], has: str, have: str) -> str:
    return f"{join_names(names)} {has if len(names) == 1 else have}"


def extremes_reading(
    values: Sequence[NamedValue],
    *,
    quantity: str,
    unit: str,
    overall: NamedValue | None = None,
) -> str:
    """One sentence naming the areas with the highest and the lowest value.

    ``quantity`` completes "X has the highest ...", e.g. "share of its people living in ...".
    """
    if not values:
        return f"No figures are loaded yet for the {quantity}."
    ordered = sorted(values, key=lambda v: v.value)
    low, high = ordered[0].value, ordered[-1].value
    if format_value(low, unit) == format_value(high, unit):
        sentence = f"All {len(values)} areas have the same {quantity} ({format_value(high, unit)})"
    else:
        highest = _tied_at(values, high, unit)
        lowest = _tied_at(values, low, unit)
        sentence = (
            f"{_phrase(highest, 'has', 'have')} the highest {quantity} "
            f"({format_value(high, unit)}); {_phrase(lowest, 'has', 'have')} the lowest "
            f"({format_value(low, unit)})"
        )
    if overall is not None:
        sentence += f". For {overall.name} as a whole it is {format_value(overall.value, unit)}"
    return sentence + "."


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th``, ``22nd``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_highest(values: Sequence[float], value: float) -> int:
    """Rank of ``value`` among ``values``, 1 = highest; ties share the better rank."""
    return 1 + sum(1 for v in values if v > value)


def quintile_reading(area: str, shares: Sequence[float]) -> str:
    """How an area's people spread over the five national SIMD quintiles (1 = most deprived)."""
    if len(shares) != 5 or not any(shares):
        return f"No deprivation figures are loaded for {area}."
    most, least = shares[0], shares[-1]
    shown_most, shown_least = format_value(most, "%"), format_value(least, "%")
    if shown_most == shown_least:
        comparison = "as many people in the most deprived fifth as in the least"
    elif most > least:
        comparison = "more people in the most deprived fifth than in the least"
    else:
        comparison = "fewer people in the most deprived fifth than in the least"
    return (
        f"In {area}, {shown_most} of people live in data zones in Scotland's most deprived "
        f"fifth (SIMD quintile 1) and {shown_least} in the least deprived fifth (quintile 5): "
        f"{comparison}."
    )
