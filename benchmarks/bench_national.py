"""Time the whole national computation of issue 3 in one run: the ``outcomes`` statistics (aggregation
data zone → IZ → CPP → Scotland, confidence intervals, within-CPP and national inequality for every
CPP / measure / year, trends, family-group comparisons) AND CPOP's community profiles with the Duncan
index.

The data are synthetic, built by the two existing generators (imported, not copied):

- ``bench_outcomes.build_dataset``: 6,976 data zones → 1,279 IZs → 32 CPPs (× ``--scale``), 18
  measures × 14 years of counts with SIMD quintiles;
- ``bench_community_profiles.scaled``: CPOP's real community inputs (``CPLAN_DATA_DIR/cpop``)
  copied ``--scale`` times with 2 % noise (1,279 communities × 8 measures × 15 years and the
  Duncan index inputs per copy), each copy new communities in the same CPP and typology group.

Prints one JSON object per line (``{"benchmark": name, ...figures}``): each stage, then the total with
wall-clock and CPU seconds, peak memory of the computation (``tracemalloc``, in a second untimed run)
and the peak resident memory of the process. ``--baseline`` adds the analyst SII/RII implementation
(pandas + statsmodels WLS per group) of ``bench_outcomes`` with its speed-up and largest difference.

    .venv/bin/python benchmarks/bench_national.py              # national scale
    .venv/bin/python benchmarks/bench_national.py --scale 10   # ≈70,000 small areas
"""

from __future__ import annotations

import argparse
import os
import resource
import time

from bench_community_profiles import Inputs, full_profile, load, scaled
from bench_outcomes import (
    SEED,
    Synthetic,
    Timer,
    _compare_with_analyst,
    build_dataset,
    emit,
    run_ours,
    traced_peak_mib,
)

#: Targets of issue 3 (wall-clock seconds, and memory at national scale).
TARGET_SECONDS = {1: 2.0, 10: 20.0}
TARGET_MIB_NATIONAL = 1024.0


def run_national(data: Synthetic, communities: Inputs) -> tuple[Timer, dict[str, int]]:
    """Every stage of the national computation, each timed."""
    timer, results = run_ours(data)
    start, cpu_start = time.perf_counter(), time.process_time()
    counts = full_profile(communities)
    timer.seconds["community_profiles_and_duncan"] = time.perf_counter() - start
    timer.cpu_seconds["community_profiles_and_duncan"] = time.process_time() - cpu_start
    counts["inequality_groups"] = sum(
        len(results[kind]) for kind in ("local_quintile", "national_quintile", "scotland")
    )
    return timer, counts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=int, default=1, help="multiply the numbers of areas")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--baseline", action="store_true", help="also time the analyst SII/RII implementation"
    )
    args = parser.parse_args()

    start = time.perf_counter()
    data = build_dataset(args.scale, args.seed)
    communities = scaled(load(), args.scale)
    emit(
        "national.synthetic_dataset",
        scale=args.scale,
        data_zones=len(data.zones),
        intermediate_zones=int(data.zones["iz"].nunique()),
        cpps=int(data.zones["cpp"].nunique()),
        data_zone_rows=len(data.observations),
        communities=len(communities.cpp_of),
        community_rows=len(communities.outcomes),
        duncan_rows=len(communities.duncan),
        seconds=round(time.perf_counter() - start, 3),
    )

    start, cpu_start = time.perf_counter(), time.process_time()
    timer, counts = run_national(data, communities)
    total, cpu_total = time.perf_counter() - start, time.process_time() - cpu_start
    for stage, seconds in timer.seconds.items():
        emit(
            f"national.{stage}",
            scale=args.scale,
            seconds=round(seconds, 3),
            cpu_seconds=round(timer.cpu_seconds[stage], 3),
        )
    peak = traced_peak_mib(lambda: run_national(data, communities))
    target = TARGET_SECONDS.get(args.scale)
    emit(
        "national.full_computation",
        scale=args.scale,
        seconds=round(total, 3),
        cpu_seconds=round(cpu_total, 3),
        target_seconds=target,
        within_target=None if target is None else total < target,
        peak_traced_mib=round(peak, 1),
        target_mib=TARGET_MIB_NATIONAL if args.scale == 1 else None,
        max_rss_mib=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        load_average_1min=round(os.getloadavg()[0], 2),
        **counts,
    )
    if args.baseline:
        _compare_with_analyst(data, args.scale)


if __name__ == "__main__":
    main()
