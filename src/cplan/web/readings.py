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


def _against(value: float, other: float, unit: str, higher_is_better: bool) -> str:
    """``better than``, ``worse than`` or ``the same as``, judged at the precision shown."""
    if format_value(value, unit) == format_value(other, unit):
        return "the same as"
    return "better than" if (value > other) == higher_is_better else "worse than"


def comparison_reading(
    *,
    area: str,
    measure: str,
    period: str,
    unit: str,
    value: float | None,
    scotland: float | None,
    family_mean: float | None,
    rank: int | None,
    n_ranked: int,
    higher_is_better: bool,
) -> str:
    """One sentence placing an area's latest value against Scotland and its family group.

    e.g. "In 2021/22 Fife's child poverty was 22.9%: worse than Scotland (21.0%) and better than
    the average of similar partnerships (24.1%); 20th best of 32."
    """
    if value is None:
        return f"No {period} figure is loaded for {area}'s {measure.lower()}."
    comparisons = []
    if scotland is not None:
        against = _against(value, scotland, unit, higher_is_better)
        comparisons.append(f"{against} Scotland ({format_value(scotland, unit)})")
    if family_mean is not None:
        against = _against(value, family_mean, unit, higher_is_better)
        comparisons.append(
            f"{against} the average of similar partnerships ({format_value(family_mean, unit)})"
        )
    sentence = f"In {period} {area}'s {measure[:1].lower()}{measure[1:]} was "
    sentence += format_value(value, unit)
    if comparisons:
        sentence += ": " + " and ".join(comparisons)
    if rank is not None and n_ranked:
        sentence += f"; {ordinal(rank)} best of {n_ranked}"
    return sentence + "."


def _count_phrase(count: int, word: str) -> str:
    return f"{count} {word}"


def profile_reading(
    *, area: str, baseline: str, latest: str, directions: Sequence[str], lights: Sequence[str]
) -> str:
    """How many of an area's measures improved, and how many are green, amber and red against
    Scotland (CPOP's traffic light)."""
    if not directions:
        return f"No outcome measures are loaded for {area} yet."
    improving = sum(1 for d in directions if d == "improving")
    maintaining = sum(1 for d in directions if d == "maintaining")
    worsening = sum(1 for d in directions if d == "worsening")
    unknown = len(directions) - improving - maintaining - worsening
    counts = [
        _count_phrase(improving, "improved"),
        _count_phrase(maintaining, "stayed about the same"),
        _count_phrase(worsening, "worsened"),
    ]
    if unknown:
        counts.append(_count_phrase(unknown, "cannot be judged"))
    noun = "measure" if len(directions) == 1 else "measures"
    sentence = (
        f"Of {area}'s {len(directions)} outcome {noun}, between {baseline} and {latest} "
        f"{join_names(counts)}."
    )
    colours = [(c, sum(1 for light in lights if light == c)) for c in ("green", "amber", "red")]
    judged = sum(n for _, n in colours)
    if judged:
        sentence += " Against Scotland, " + join_names([f"{n} are {c}" for c, n in colours]) + "."
    return sentence


def _communities(count: int) -> str:
    return f"{count} community" if count == 1 else f"{count} communities"


def communities_reading(
    *,
    area: str,
    communities: int,
    poorest: str | None,
    least_improved: str | None,
    first_year: str,
    latest_year: str,
    worse_than_expected: int,
) -> str:
    """Which of an area's communities fares worst and improved least (CPOP's combined scores),
    and how many fare worse than expected for their deprivation on at least one measure."""
    parts = []
    if poorest is not None:
        parts.append(f"{poorest} has the poorest outcomes in {latest_year}")
    if least_improved is not None:
        parts.append(f"{least_improved} improved least between {first_year} and {latest_year}")
    sentence = f"Of {area}'s {_communities(communities)}, "
    sentence += join_names(parts) if parts else "none can be scored"
    verb = "fares" if worse_than_expected == 1 else "fare"
    return (
        f"{sentence}. {_communities(worse_than_expected)} {verb} worse than expected for "
        "their deprivation on at least one measure."
    )


def _nth(rank: int) -> str:
    """``""`` for 1 (the poorest), ``"2nd "`` for 2 (the 2nd poorest)."""
    return "" if rank == 1 else f"{ordinal(rank)} "


def community_reading(
    *,
    community: str,
    area: str,
    outcome_rank: int | None,
    improvement_rank: int | None,
    scored: int,
    better_than_typology: bool | None,
    worse_than_expected: Sequence[str],
) -> str:
    """A community's standing in its CPP and against similar communities, in one or two sentences."""
    parts = []
    if outcome_rank is not None:
        parts.append(
            f"{community} has the {_nth(outcome_rank)}poorest outcomes of {area}'s "
            f"{_communities(scored)}"
        )
    if improvement_rank is not None:
        parts.append(f"the {_nth(improvement_rank)}least improvement")
    sentence = join_names(parts) if parts else f"{community} cannot be scored against {area}"
    if better_than_typology is not None:
        sentence += (
            "; overall it does "
            + ("better" if better_than_typology else "worse")
            + " than similar communities elsewhere in Scotland"
        )
    sentence += "."
    if worse_than_expected:
        names = [name[:1].lower() + name[1:] for name in worse_than_expected]
        sentence += f" It fares worse than expected for its deprivation on {join_names(names)}."
    return sentence


def community_measure_reading(
    *,
    community: str,
    area: str,
    measure: str,
    period: str,
    unit: str,
    value: float | None,
    similar: float | None,
    area_average: float | None,
    higher_is_better: bool,
) -> str:
    """A community's latest value against similar communities and its CPP's communities.

    e.g. "In 2021/22 Culter's child poverty was 12.2%: worse than similar communities (11.8%) and
    better than Aberdeen City's communities (16.9%)."
    """
    name = measure[:1].lower() + measure[1:]
    if value is None:
        return f"No {period} figure is loaded for {community}'s {name}."
    comparisons = []
    if similar is not None:
        against = _against(value, similar, unit, higher_is_better)
        comparisons.append(f"{against} similar communities ({format_value(similar, unit)})")
    if area_average is not None:
        against = _against(value, area_average, unit, higher_is_better)
        comparisons.append(f"{against} {area}'s communities ({format_value(area_average, unit)})")
    sentence = f"In {period} {community}'s {name} was {format_value(value, unit)}"
    if comparisons:
        sentence += ": " + " and ".join(comparisons)
    return sentence + "."


def _pace_phrase(pace: float) -> str:
    word = "improvement" if pace >= 0 else "worsening"
    return f"{abs(pace) * 100:.1f}% a year {word}"


def national_reading(
    *, paces: Sequence[tuple[str, float]], measures: int, baseline: str, latest: str
) -> str:
    """Which partnerships improved fastest and slowest over the core measures (median pace)."""
    if not paces:
        return "No partnership has enough data yet to compare the pace of improvement."
    fastest = max(pace for _, pace in paces)
    slowest = min(pace for _, pace in paces)
    leaders = join_names(sorted(name for name, pace in paces if pace == fastest))
    laggards = join_names(sorted(name for name, pace in paces if pace == slowest))
    noun = "measure" if measures == 1 else "measures"
    return (
        f"Across the {measures} core {noun}, between {baseline} and {latest} {leaders} improved "
        f"fastest (median {_pace_phrase(fastest)}) and {laggards} slowest "
        f"(median {_pace_phrase(slowest)})."
    )
