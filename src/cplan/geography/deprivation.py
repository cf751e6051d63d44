"""Within-area (local) deprivation quintiles, population-weighted. Pure: numpy/pandas, no Django.

The method is Public Health Scotland's for its SIMD "population-weighted" look-ups (PHS
``Deprivation/SIMD`` scripts, ``geo_cut_off``): within each area, data zones are ordered from most
to least deprived and the cut between two quintiles is placed at the data zone boundary whose
cumulative population share is nearest to the target (20 %, 40 %, 60 %, 80 %).

Placing each cut at the nearest boundary is the same as putting every data zone in the quintile
that holds the midpoint of its population: a zone with ``before`` people ahead of it in the
ordering and ``p`` people of its own, in an area of ``total`` people, goes to quintile
``floor(5 * (before + p / 2) / total) + 1`` (at most 5).

Ties, exactly:
- a zone whose population midpoint lies exactly on a cut goes to the LESS deprived quintile (the
  higher number), as in PHS's rule (``d2 <= 0`` keeps the later group); the arithmetic is done in
  integers, so "exactly" means exactly;
- zones with equal rank keep the order they were given in (a stable sort); SIMD ranks are unique,
  so this only matters for other inputs;
- a zone with no population takes the quintile its position falls in (its midpoint is the
  cumulative population before it).
Consequences worth knowing: a quintile can be empty in an area of a few large zones, and the
population of quintiles 1..k differs from k/5 of the total by at most half a zone's population.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

QUINTILES = 5


def local_quintiles(
    *,
    groups: Sequence[Hashable],
    ranks: Sequence[int],
    populations: Sequence[int],
) -> npt.NDArray[np.int64]:
    """Quintile (1 = most deprived) of each zone within its group, in the order given.

    ``ranks``: 1 = most deprived (national ranks are fine: only the order within a group counts).
    ``populations``: whole people, not negative; each group must hold somebody.
    """
    if not len(groups) == len(ranks) == len(populations):
        raise ValueError(
            f"groups, ranks and populations must be the same length, got "
            f"{len(groups)}, {len(ranks)} and {len(populations)}"
        )
    frame = pd.DataFrame(
        {
            "group": pd.Series(list(groups), dtype="object"),
            "rank": np.asarray(ranks, dtype=np.int64),
            "population": np.asarray(populations, dtype=np.int64),
        }
    )
    if (frame["population"] < 0).any():
        position = int(np.flatnonzero(frame["population"].to_numpy() < 0)[0])
        raise ValueError(
            f"population must not be negative: zone {position} has {frame['population'][position]}"
        )
    ordered = frame.sort_values(["group", "rank"], kind="stable")
    grouped = ordered.groupby("group", sort=False)["population"]
    total = grouped.transform("sum").to_numpy()
    if (total == 0).any():
        empty = ordered["group"].to_numpy()[total == 0][0]
        raise ValueError(f"group {empty!r} has no population, so it has no quintiles")
    population = ordered["population"].to_numpy()
    before = grouped.cumsum().to_numpy() - population
    # Twice the midpoint, so everything stays an integer: 5 * (2*before + p) // (2*total).
    quintile = (QUINTILES * (2 * before + population)) // (2 * total) + 1
    result = pd.Series(np.minimum(quintile, QUINTILES), index=ordered.index)
    return result.sort_index().to_numpy(dtype=np.int64)
