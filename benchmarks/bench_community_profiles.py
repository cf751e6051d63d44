"""Time the full CPOP community profile and Duncan index computation.

Runs on the real CPOP inputs (``CPLAN_DATA_DIR/cpop``, default ``../shared/data/cpop``) and on a
synthetic set ten times larger (every community copied ten times with small random noise, each copy a
new community in the same CPP and typology group). Prints one JSON object per line:
``{"benchmark": name, "seconds": …, "peak_mib": …, …}``. Peak memory is measured with
``tracemalloc`` (Python and NumPy allocations) in a separate run from the timing.

    .venv/bin/python benchmarks/bench_community_profiles.py
"""

from __future__ import annotations

import json
import os
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from outcomes.community import (
    better_than_expected,
    combined_improvement,
    combined_scores,
    community_scores,
    improvement_scores,
    rank_confidence,
    vulnerable_communities,
)
from outcomes.duncan import duncan_table, duncan_trend

DATA = Path(
    os.environ.get("CPLAN_DATA_DIR", Path(__file__).resolve().parents[2] / "shared" / "data")
)
MEASURES = [
    "crime_rate",
    "child_poverty",
    "attainment",
    "participation",
    "emergency_admissions",
    "depopulation",
    "early_mortality",
]


@dataclass(frozen=True)
class Inputs:
    outcomes: pd.DataFrame
    duncan: pd.DataFrame
    cpp_of: dict[str, str]
    typology_of: dict[str, int]
    polarity: dict[str, int]


def load() -> Inputs:
    folder = DATA / "cpop"
    typology = pd.read_csv(folder / "iz_typology_cpop.csv")
    polarity = pd.read_csv(folder / "iz_measures_polarity.csv")
    return Inputs(
        outcomes=pd.read_csv(folder / "iz_outcomes.csv"),
        duncan=pd.read_csv(folder / "iz_duncan_inputs.csv"),
        cpp_of=dict(zip(typology["InterZone"], typology["CPP"], strict=True)),
        typology_of=dict(zip(typology["InterZone"], typology["Typology_Group"], strict=True)),
        polarity={
            k: 1 if v == "Yes" else -1
            for k, v in zip(polarity["Indicator"], polarity["high_is_positive"], strict=True)
        },
    )


def scaled(inputs: Inputs, factor: int, seed: int = 7) -> Inputs:
    """``factor`` noisy copies of every community (codes suffixed ``-k``)."""
    rng = np.random.default_rng(seed)
    outcomes, duncan = [], []
    cpp_of, typology_of = {}, {}
    for k in range(factor):
        suffix = f"-{k}"
        noise = rng.normal(1.0, 0.02, len(inputs.outcomes))
        outcomes.append(
            inputs.outcomes.assign(
                InterZone=inputs.outcomes["InterZone"] + suffix,
                value=inputs.outcomes["value"] * noise,
            )
        )
        duncan.append(inputs.duncan.assign(InterZone=inputs.duncan["InterZone"] + suffix))
        cpp_of.update({iz + suffix: cpp for iz, cpp in inputs.cpp_of.items()})
        typology_of.update({iz + suffix: group for iz, group in inputs.typology_of.items()})
    return Inputs(
        pd.concat(outcomes, ignore_index=True),
        pd.concat(duncan, ignore_index=True),
        cpp_of,
        typology_of,
        inputs.polarity,
    )


def full_profile(inputs: Inputs) -> dict[str, int]:
    """Everything CPOP publishes for communities, for every year, plus the Duncan index."""
    kwargs = {
        "cpp_of": inputs.cpp_of,
        "typology_of": inputs.typology_of,
        "polarity": inputs.polarity,
    }
    scores = community_scores(inputs.outcomes, **kwargs)
    combined = combined_scores(scores)
    shares = better_than_expected(combined)
    change = improvement_scores(
        inputs.outcomes, **kwargs, first_year="2010/11", last_year="2021/22"
    )
    combined_change = combined_improvement(change)
    vulnerable = vulnerable_communities(
        inputs.outcomes,
        **kwargs,
        base_year="2010/11",
        last_year="2021/22",
        measures=[m for m in inputs.polarity if m != "Depopulation"],
    )
    duncan = duncan_table(inputs.duncan, measures=MEASURES, area_of=inputs.cpp_of)
    trend = duncan_trend(duncan, first_year=2010, last_year=2021)
    return {
        "score_rows": len(scores),
        "combined_rows": len(combined) + len(shares) + len(combined_change),
        "change_rows": len(change),
        "vulnerable_rows": len(vulnerable.pace),
        "duncan_rows": len(duncan) + len(trend),
    }


def rank_uncertainty(inputs: Inputs) -> dict[str, int]:
    """Rank confidence (1,000 simulations) for the latest year with a 5 % standard error."""
    latest = inputs.outcomes[inputs.outcomes["Year"] == "2021/22"]
    latest = latest.assign(standard_error=latest["value"].abs() * 0.05)
    result = rank_confidence(
        latest, cpp_of=inputs.cpp_of, polarity=inputs.polarity, simulations=1000
    )
    return {"communities": len(result)}


def measure(name: str, work: Callable[[], dict[str, int]], **extra: object) -> None:
    start = time.perf_counter()
    counts = work()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(
        json.dumps(
            {"benchmark": name, "seconds": round(seconds, 4), "peak_mib": round(peak / 2**20, 1)}
            | counts
            | extra
        )
    )


def main() -> None:
    inputs = load()
    communities = len(inputs.cpp_of)
    measure(
        "community_profiles_and_duncan_real", lambda: full_profile(inputs), communities=communities
    )
    measure(
        "rank_confidence_real_1000_sims", lambda: rank_uncertainty(inputs), communities=communities
    )
    big = scaled(inputs, 10)
    measure(
        "community_profiles_and_duncan_synthetic_10x",
        lambda: full_profile(big),
        communities=len(big.cpp_of),
    )


if __name__ == "__main__":
    main()
