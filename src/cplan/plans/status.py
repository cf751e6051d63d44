"""The status of a plan measure — target met / on track / off track / no data — from its data.

Never typed in: computed each time from the observations, so it follows the data. The judgement is
the ``outcomes`` library's Open SDG progress status (``outcomes.trends.sdg_progress``) with the
plan's baseline year, target and target year:

- *target met*: the latest value is at or beyond the target (Open SDG "target achieved");
- *on track*: Open SDG "substantial progress" — the observed annual growth since the baseline is at
  least 95 % of the growth needed to reach the target by the target year; or, when the plan sets a
  trajectory, the latest value is at or beyond the trajectory for its year (straight lines between
  the baseline, the milestones and the target);
- *off track*: anything slower (Open SDG moderate or limited progress, or deterioration), and any
  target year that has passed without the target being met;
- *no data*: no values, or not two years from the baseline year on.

Commitment schedule status (% complete against % of time elapsed) is ``outcomes.trends.
commitment_status``; this module only words it for commitments without an update.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from outcomes.trends import Progress, format_value, sdg_progress
from outcomes.types import Polarity, ProgressStatus


class MeasureState(StrEnum):
    TARGET_MET = "target met"
    ON_TRACK = "on track"
    OFF_TRACK = "off track"
    NO_DATA = "no data"


#: Tag colours of the Scottish Government Design System for each state.
STATE_TAG = {
    MeasureState.TARGET_MET: "ds_tag--blue",
    MeasureState.ON_TRACK: "ds_tag--green",
    MeasureState.OFF_TRACK: "ds_tag--red",
    MeasureState.NO_DATA: "ds_tag--grey",
}


@dataclass(frozen=True)
class MeasureStatus:
    state: MeasureState
    sentence: str
    progress: Progress | None = None
    trajectory_value: float | None = None

    @property
    def tag_class(self) -> str:
        return STATE_TAG[self.state]


def _trajectory_at(
    year: int,
    base: tuple[int, float],
    milestones: Sequence[Mapping[str, float]],
    target: tuple[int, float],
) -> float:
    """The planned value in ``year``: straight lines through baseline, milestones and target."""
    points = [base, *((int(m["year"]), float(m["value"])) for m in milestones), target]
    years, values = zip(*points, strict=True)
    return float(np.interp(year, years, values))


def measure_status(
    *,
    name: str,
    years: Sequence[int],
    values: Sequence[float],
    polarity: Polarity,
    baseline_year: int,
    target_value: float,
    target_year: int,
    trajectory: Sequence[Mapping[str, float]] = (),
    unit: str = "",
) -> MeasureStatus:
    """Judge one measure's series (one value per year, in any order) against its target."""
    try:
        progress = sdg_progress(
            years,
            values,
            polarity=polarity,
            base_year=baseline_year,
            target=target_value,
            target_year=target_year,
            measure=name,
        )
    except ValueError as error:  # e.g. the first data after the baseline year are past the target
        return MeasureStatus(MeasureState.NO_DATA, f"{name}: progress cannot be assessed: {error}.")
    if (
        progress.status in (ProgressStatus.NO_DATA, ProgressStatus.INSUFFICIENT_DATA)
        or progress.current_year is None
        or progress.current_value is None
        or progress.base_year is None
        or progress.base_value is None
    ):
        return MeasureStatus(MeasureState.NO_DATA, progress.sentence, progress)
    return _judge(
        _Judged(
            name=name,
            progress=progress,
            base=(progress.base_year, progress.base_value),
            latest=(progress.current_year, progress.current_value),
            target=(target_year, target_value),
            polarity=polarity,
            unit=unit,
        ),
        trajectory,
    )


@dataclass(frozen=True)
class _Judged:
    name: str
    progress: Progress
    base: tuple[int, float]
    latest: tuple[int, float]
    target: tuple[int, float]
    polarity: Polarity
    unit: str


def _judge(m: _Judged, trajectory: Sequence[Mapping[str, float]]) -> MeasureStatus:
    (latest_year, latest_value), (target_year, target_value) = m.latest, m.target
    target = format_value(target_value, m.unit)
    latest = f"{format_value(latest_value, m.unit)} in {latest_year}"
    if m.progress.status == ProgressStatus.TARGET_ACHIEVED:
        return MeasureStatus(
            MeasureState.TARGET_MET,
            f"{m.name} has met its target of {target}: {latest}.",
            m.progress,
        )
    if latest_year >= target_year:
        return MeasureStatus(
            MeasureState.OFF_TRACK,
            f"{m.name} missed its target of {target} by {target_year}: {latest}.",
            m.progress,
        )
    if trajectory:
        planned = _trajectory_at(latest_year, m.base, trajectory, m.target)
        ahead = int(m.polarity) * (latest_value - planned) >= 0
        where = "at or better than" if ahead else "behind"
        return MeasureStatus(
            MeasureState.ON_TRACK if ahead else MeasureState.OFF_TRACK,
            f"{m.name} is {where} its trajectory: {latest} against "
            f"{format_value(planned, m.unit)} planned for that year, on the way to {target} by "
            f"{target_year}.",
            m.progress,
            trajectory_value=planned,
        )
    on_track = m.progress.status == ProgressStatus.SUBSTANTIAL
    sentence = (
        f"{m.name}: {latest}, from {format_value(m.base[1], m.unit)} in {m.base[0]}, against a "
        f"target of {target} by {target_year} — {_pace_words(m.progress)}."
    )
    return MeasureStatus(
        MeasureState.ON_TRACK if on_track else MeasureState.OFF_TRACK, sentence, m.progress
    )


def _pace_words(progress: Progress) -> str:
    if progress.status == ProgressStatus.DETERIORATION:
        return "moving away from the target"
    ratio = progress.progress_value
    if ratio is None or not np.isfinite(ratio):
        return str(progress.status)
    return f"{progress.status}, at {ratio:.0%} of the pace needed to reach it"


def measure_polarity(
    indicator_polarity: str, *, baseline_value: float | None, target_value: float
) -> Polarity:
    """The measure's direction: the indicator's, or for a neutral indicator the way its target
    points from the baseline (the model requires both then)."""
    if indicator_polarity == "higher_is_better":
        return Polarity.HIGHER_IS_BETTER
    if indicator_polarity == "lower_is_better":
        return Polarity.LOWER_IS_BETTER
    if baseline_value is None:
        raise ValueError(
            "a neutral indicator needs a baseline value to give the target a direction"
        )
    return Polarity.HIGHER_IS_BETTER if target_value > baseline_value else Polarity.LOWER_IS_BETTER
