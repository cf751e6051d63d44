"""Shared vocabulary of the ``outcomes`` library: array aliases, polarity and the status words.

Conventions used everywhere in the library (``docs/methods.md``, "Conventions"):

- quintile / decile 1 is the **most deprived** fifth / tenth (SIMD convention);
- polarity ``s = +1`` when a high value is good (e.g. attainment), ``-1`` when a high value is bad
  (e.g. mortality, child poverty);
- every status word is a ``StrEnum`` so that it can be stored, compared and shown as plain text.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
StrArray = npt.NDArray[np.str_]

#: The 97.5th percentile of the standard normal distribution to the precision ScotPHO and PHE use
#: (``calculate_percent.R``, ``calculate_crude_rate.R``); published intervals are reproduced with it.
Z_95 = 1.96


class Polarity(IntEnum):
    """Whether a high value of a measure is good (+1) or bad (−1)."""

    HIGHER_IS_BETTER = 1
    LOWER_IS_BETTER = -1

    @classmethod
    def parse(cls, value: Polarity | int | str) -> Polarity:
        """Read a polarity from +1/−1, a member, or the words used in data files.

        >>> Polarity.parse("lower is better")
        <Polarity.LOWER_IS_BETTER: -1>
        """
        if isinstance(value, Polarity):
            return value
        if isinstance(value, str):
            words = value.strip().lower().replace("_", " ").replace("-", " ")
            if words in {"higher is better", "high is positive", "positive", "true", "1", "+1"}:
                return cls.HIGHER_IS_BETTER
            if words in {"lower is better", "high is negative", "negative", "false", "-1"}:
                return cls.LOWER_IS_BETTER
            raise ValueError(
                f"polarity {value!r} is not recognised: use 'higher is better' or 'lower is better'"
            )
        if value in (1, -1):
            return cls(value)
        raise ValueError(f"polarity {value!r} is not recognised: use +1 (higher is better) or -1")


class Direction(StrEnum):
    """Direction of travel of a measure between two periods (polarity-aware)."""

    IMPROVING = "improving"
    MAINTAINING = "maintaining"
    WORSENING = "worsening"
    NO_CLEAR_CHANGE = "no clear change"
    INSUFFICIENT_DATA = "insufficient data"


class Significance(StrEnum):
    """Whether a value differs significantly from a comparator, before polarity is applied."""

    HIGHER = "significantly higher"
    LOWER = "significantly lower"
    NOT_SIGNIFICANT = "not significantly different"


class Judgement(StrEnum):
    """A significance result read through the measure's polarity."""

    BETTER = "better"
    WORSE = "worse"
    SIMILAR = "not significantly different"


class TrafficLight(StrEnum):
    """CPOP's traffic light for a CPP against its comparator."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    INSUFFICIENT_DATA = "insufficient data"


class ProgressStatus(StrEnum):
    """Open SDG progress status (``open-sdg/sdg-build: sdg/ProgressMeasure.py``), plus data gaps."""

    TARGET_ACHIEVED = "target achieved"
    SUBSTANTIAL = "substantial progress"
    MODERATE = "moderate progress"
    LIMITED = "limited progress"
    DETERIORATION = "deterioration"
    NO_DATA = "no data"
    INSUFFICIENT_DATA = "insufficient data"


class CommitmentStatus(StrEnum):
    """Status of a commitment (action) from % complete against % of time elapsed."""

    ON_TRACK = "on track"
    MONITOR = "monitor"
    OFF_TRACK = "off track"
    NOT_STARTED = "not started yet"


class InequalityTrend(StrEnum):
    """Whether the gap between the most and least deprived is changing over time."""

    NARROWING = "narrowing"
    WIDENING = "widening"
    REVERSED = "reversed"
    NO_CLEAR_CHANGE = "no clear change"
    INSUFFICIENT_DATA = "insufficient data"


class Expectation(StrEnum):
    """How a community fares against the value expected given its deprivation."""

    BETTER = "better than expected"
    AS_EXPECTED = "as expected"
    WORSE = "worse than expected"
    INSUFFICIENT_DATA = "insufficient data"
