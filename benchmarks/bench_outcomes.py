"""Time the full national computation of the ``outcomes`` library on a synthetic Scotland.

Builds, with a fixed seed, 6,976 data zones → 1,279 intermediate zones → 32 CPPs (× ``--scale``),
18 measures × 14 years of counts, SIMD quintiles (national and within-CPP), then times:
aggregation (data zone → IZ → CPP → Scotland, and to CPP × quintile), 95 % confidence intervals,
within-CPP and national inequality for every CPP / measure / year, trends (every IZ and CPP series,
and the trend in inequality), and benchmarking (family groups, ranks, traffic lights, each IZ's
expected value given deprivation). The same run times a straightforward analyst implementation of
SII/RII (pandas groupby + statsmodels WLS per CPP / measure / year) and reports the speed-up and
the largest absolute difference between the two.

Prints one JSON object per line: ``{"benchmark": name, ...figures}``. See ``benchmarks/README.md``.

    .venv/bin/python benchmarks/bench_outcomes.py            # national scale
    .venv/bin/python benchmarks/bench_outcomes.py --scale 10 # ≈70,000 small areas
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm

from outcomes.aggregation import aggregate_counts
from outcomes.benchmarking import (
    compare_with_family,
    derive_family_groups,
    expected_given_deprivation,
    rank_areas,
)
from outcomes.inequality import inequality_table, inequality_trend
from outcomes.rates import wilson_interval
from outcomes.trends import cpop_traffic_light, trend_table
from outcomes.types import Polarity

DATA_ZONES, INTERMEDIATE_ZONES, CPPS = 6976, 1279, 32
MEASURES, YEARS, FIRST_YEAR = 18, 14, 2008
SEED = 20240601
KEYS = ["cpp", "measure", "year"]
COMPARED = ["sii", "sii_lower", "sii_upper", "rii", "rii_lower", "rii_upper"]


@dataclass
class Synthetic:
    """A synthetic Scotland: geography, deprivation and long data-zone observations."""

    zones: pd.DataFrame
    observations: pd.DataFrame
    polarity: pd.Series
    cpp_features: pd.DataFrame


def build_dataset(scale: int, seed: int = SEED) -> Synthetic:
    rng = np.random.default_rng(seed)
    zones = _geography(rng, DATA_ZONES * scale, INTERMEDIATE_ZONES * scale, CPPS * scale)
    polarity = pd.Series(np.where(np.arange(MEASURES) % 3 == 0, 1, -1), name="polarity")
    observations = _observations(rng, zones, polarity.to_numpy())
    features = zones.groupby("cpp").agg(
        deprivation=("national_quintile", lambda q: float((q == 1).mean())),
        rurality=("rurality", "mean"),
        density=("density", "mean"),
    )
    return Synthetic(zones, observations, polarity, features)


def _geography(rng: np.random.Generator, n_dz: int, n_iz: int, n_cpp: int) -> pd.DataFrame:
    iz_per_cpp = 5 + rng.multinomial(n_iz - 5 * n_cpp, rng.dirichlet(np.full(n_cpp, 2.0)))
    cpp_of_iz = np.repeat(np.arange(n_cpp), iz_per_cpp)
    dz_per_iz = 3 + rng.multinomial(n_dz - 3 * n_iz, np.full(n_iz, 1 / n_iz))
    iz_of_dz = np.repeat(np.arange(n_iz), dz_per_iz)
    cpp_of_dz = cpp_of_iz[iz_of_dz]
    score = (
        rng.normal(0, 0.6, n_cpp)[cpp_of_dz]
        + rng.normal(0, 0.7, n_iz)[iz_of_dz]
        + rng.normal(0, 0.5, n_dz)
    )
    national_rank = np.argsort(np.argsort(-score, kind="stable"), kind="stable")
    zones = pd.DataFrame(
        {
            "dz": np.arange(n_dz, dtype=np.int64),
            "iz": iz_of_dz,
            "cpp": cpp_of_dz,
            "score": score,
            "national_quintile": national_rank * 5 // n_dz + 1,
            "population": rng.integers(500, 1000, n_dz),
            "rurality": rng.uniform(0, 1, n_cpp)[cpp_of_dz],
            "density": rng.lognormal(5, 1.2, n_cpp)[cpp_of_dz],
        }
    )
    local_rank = zones.groupby("cpp")["score"].rank(method="first", ascending=False) - 1
    size = zones.groupby("cpp")["score"].transform("size")
    zones["local_quintile"] = (local_rank * 5 // size + 1).astype(np.int64)
    return zones


def _observations(
    rng: np.random.Generator, zones: pd.DataFrame, polarity: np.ndarray
) -> pd.DataFrame:
    n_dz = len(zones)
    base = rng.uniform(np.log(0.03 / 0.97), np.log(0.3 / 0.7), MEASURES)
    gradient = rng.uniform(0.2, 0.6, MEASURES) * -polarity  # bad outcomes gather where deprived
    trend = rng.uniform(-0.03, 0.03, MEASURES)
    years = np.arange(YEARS)
    logit = (
        base[None, :, None]
        + gradient[None, :, None] * zones["score"].to_numpy()[:, None, None]
        + trend[None, :, None] * years[None, None, :]
    )
    population = np.rint(
        zones["population"].to_numpy()[:, None] * (1 + 0.004 * years)[None, :]
    ).astype(np.int64)
    denominator = np.broadcast_to(population[:, None, :], (n_dz, MEASURES, YEARS))
    numerator = rng.binomial(denominator, 1 / (1 + np.exp(-logit)))
    return pd.DataFrame(
        {
            "area": np.repeat(zones["dz"].to_numpy(), MEASURES * YEARS),
            "measure": np.tile(np.repeat(np.arange(MEASURES), YEARS), n_dz),
            "year": np.tile(years + FIRST_YEAR, n_dz * MEASURES),
            "numerator": numerator.ravel().astype(np.float64),
            "denominator": denominator.ravel().astype(np.float64),
        }
    )


@dataclass
class Timer:
    """Wall-clock and CPU seconds per stage (CPU time is less disturbed by other work on a shared
    machine; the targets are wall-clock)."""

    seconds: dict[str, float] = field(default_factory=dict)
    cpu_seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start, cpu_start = time.perf_counter(), time.process_time()
        yield
        self.seconds[name] = time.perf_counter() - start
        self.cpu_seconds[name] = time.process_time() - cpu_start


def quintile_mapping(zones: pd.DataFrame, column: str) -> pd.Series:
    """Data zone → a code for (CPP, quintile): ``cpp × 10 + quintile``."""
    return pd.Series((zones["cpp"] * 10 + zones[column]).to_numpy(), index=zones["dz"].to_numpy())


def data_zone_mapping(zones: pd.DataFrame) -> pd.DataFrame:
    """Every data-zone grouping at once (one layer per level): IZ and CPP × each quintile type."""
    levels = {
        "iz": zones["iz"].to_numpy(),
        "local_quintile": quintile_mapping(zones, "local_quintile").to_numpy(),
        "national_quintile": quintile_mapping(zones, "national_quintile").to_numpy(),
    }
    return pd.concat(
        [
            pd.DataFrame({"area": zones["dz"].to_numpy(), "group": groups, "level": level})
            for level, groups in levels.items()
        ],
        ignore_index=True,
    )


def quintile_rates(aggregated: pd.DataFrame, polarity: pd.Series) -> pd.DataFrame:
    """CPP × quintile counts (group code ``cpp × 10 + quintile``) as rates with polarity."""
    quintiles = aggregated.assign(cpp=aggregated["group"] // 10, quintile=aggregated["group"] % 10)
    quintiles["rate"] = quintiles["numerator"] / quintiles["denominator"] * 100
    quintiles["polarity"] = polarity.to_numpy()[quintiles["measure"].to_numpy()]
    return quintiles


def inequality_by_cpp(
    observations: pd.DataFrame, zones: pd.DataFrame, column: str, polarity: pd.Series
) -> pd.DataFrame:
    """From data zones to SII/RII/PAR for every CPP/measure/year, for one quintile type."""
    aggregated = aggregate_counts(
        observations, quintile_mapping(zones, column), by=("measure", "year")
    )
    return inequality_table(
        quintile_rates(aggregated, polarity), group_columns=KEYS, polarity="polarity"
    )


def run_ours(data: Synthetic) -> tuple[Timer, dict[str, pd.DataFrame]]:
    timer = Timer()
    results: dict[str, pd.DataFrame] = {}
    by = ("measure", "year")
    with timer.stage("aggregation"):
        stacked = aggregate_counts(data.observations, data_zone_mapping(data.zones), by=by)
        levels = {level: part.drop(columns="level") for level, part in stacked.groupby("level")}
        iz = levels["iz"]
        iz_of_cpp = data.zones.drop_duplicates("iz").set_index("iz")["cpp"]
        cpp = aggregate_counts(iz.rename(columns={"group": "area"}), iz_of_cpp, by=by)
        scotland = aggregate_counts(
            cpp.rename(columns={"group": "area"}),
            dict.fromkeys(cpp["group"].unique(), "S92000003"),
            by=by,
        )
    with timer.stage("confidence_intervals"):
        for level in (iz, cpp, scotland):
            interval = wilson_interval(level["numerator"], level["denominator"])
            level["rate"], level["lower"], level["upper"] = (
                interval.estimate,
                interval.lower,
                interval.upper,
            )
    with timer.stage("inequality"):
        for kind in ("local_quintile", "national_quintile"):
            quintiles = quintile_rates(levels[kind], data.polarity)
            results[kind] = inequality_table(quintiles, group_columns=KEYS, polarity="polarity")
        national = levels["national_quintile"].assign(quintile=lambda f: f["group"] % 10)
        scotland_q = national.groupby(["measure", "year", "quintile"], as_index=False)[
            ["numerator", "denominator"]
        ].sum()
        scotland_q["rate"] = scotland_q["numerator"] / scotland_q["denominator"] * 100
        results["scotland"] = inequality_table(scotland_q, group_columns=["measure", "year"])
    with timer.stage("trends"):
        for level, name in ((iz, "iz"), (cpp, "cpp")):
            level["polarity"] = data.polarity.to_numpy()[level["measure"].to_numpy()]
            results[f"trend_{name}"] = trend_table(
                level,
                group_columns=["group", "measure"],
                time_column="year",
                value_column="rate",
                polarity="polarity",
                tolerance=0.02,
                lower_column="lower",
                upper_column="upper",
            )
        for kind in ("local_quintile", "national_quintile"):
            results[f"inequality_trend_{kind}"] = inequality_trend(
                results[kind], group_columns=["cpp", "measure"], time_column="year"
            )
    with timer.stage("benchmarking"):
        results.update(_benchmarking(data, iz, cpp))
    return timer, results


def _benchmarking(data: Synthetic, iz: pd.DataFrame, cpp: pd.DataFrame) -> dict[str, pd.DataFrame]:
    families = derive_family_groups(data.cpp_features, n_groups=4, method="kmeans")
    cpp = cpp.rename(columns={"group": "area"})
    ranked = rank_areas(
        cpp, value_column="rate", polarity="polarity", group_columns=["measure", "year"]
    )
    compared = compare_with_family(
        cpp, families, value_column="rate", polarity="polarity", by=("measure", "year")
    )
    first = compared[compared["year"] == FIRST_YEAR].set_index(["area", "measure"])
    last = compared[compared["year"] == FIRST_YEAR + YEARS - 1].set_index(["area", "measure"])
    lights = {}
    for sign in (1, -1):
        chosen = (last["polarity"] == sign).to_numpy()
        lights[sign] = cpop_traffic_light(
            value=last["rate"].to_numpy()[chosen],
            first_value=first["rate"].to_numpy()[chosen],
            comparator_value=last["family_mean"].to_numpy()[chosen],
            comparator_first_value=first["family_mean"].to_numpy()[chosen],
            polarity=Polarity(sign),
        ).light
    deprivation = data.zones.groupby("iz")["score"].mean()
    iz = iz.assign(deprivation=deprivation.reindex(iz["group"]).to_numpy())
    expected = expected_given_deprivation(
        iz,
        deprivation_column="deprivation",
        value_column="rate",
        polarity="polarity",
        by=("measure", "year"),
    )
    return {
        "ranks": ranked,
        "family": compared,
        "traffic_lights": pd.DataFrame({"light": np.concatenate(list(lights.values()))}),
        "expected": expected,
    }


def run_analyst(observations: pd.DataFrame, zones: pd.DataFrame, column: str) -> pd.DataFrame:
    """What an analyst would write: pandas groupby, then one statsmodels WLS per CPP/measure/year."""
    merged = observations.merge(zones[["dz", "cpp", column]], left_on="area", right_on="dz")
    quintiles = merged.groupby([*KEYS, column], as_index=False)[["numerator", "denominator"]].sum()
    quintiles["rate"] = quintiles["numerator"] / quintiles["denominator"] * 100
    rows = []
    for key, group in quintiles.groupby(KEYS):
        group = group.sort_values(column)
        if len(group) < 5:
            continue
        share = group["denominator"] / group["denominator"].sum()
        midpoint = share.cumsum() - share / 2
        fit = sm.WLS(group["rate"], sm.add_constant(midpoint), weights=share).fit()
        low, high = fit.conf_int().iloc[1]
        overall = group["numerator"].sum() / group["denominator"].sum() * 100
        sii = -fit.params.iloc[1]
        rows.append((*key, sii, -high, -low, sii / overall, -high / overall, -low / overall))
    return pd.DataFrame(rows, columns=[*KEYS, *COMPARED])


def largest_difference(ours: pd.DataFrame, analyst: pd.DataFrame) -> tuple[float, int]:
    modelled = ours[ours["status"] == "ok"]
    joined = modelled.merge(analyst, on=KEYS, suffixes=("", "_analyst"), validate="one_to_one")
    if len(joined) != len(analyst) or len(joined) != len(modelled):
        raise AssertionError(
            f"the two implementations modelled different groups: ours {len(modelled)}, "
            f"analyst {len(analyst)}, in common {len(joined)}"
        )
    differences = [
        np.abs(joined[column] - joined[f"{column}_analyst"]).max() for column in COMPARED
    ]
    return float(max(differences)), len(joined)


def emit(name: str, **figures: object) -> None:
    print(json.dumps({"benchmark": name, **figures}))


def traced_peak_mib(function: Callable[[], object]) -> float:
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scale", type=int, default=1, help="multiply the numbers of areas (default 1)"
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip the analyst implementation"
    )
    args = parser.parse_args()

    start = time.perf_counter()
    data = build_dataset(args.scale, args.seed)
    emit(
        "outcomes.synthetic_dataset",
        scale=args.scale,
        seed=args.seed,
        data_zones=len(data.zones),
        intermediate_zones=int(data.zones["iz"].nunique()),
        cpps=int(data.zones["cpp"].nunique()),
        measures=MEASURES,
        years=YEARS,
        rows=len(data.observations),
        seconds=round(time.perf_counter() - start, 3),
    )

    start, cpu_start = time.perf_counter(), time.process_time()
    timer, results = run_ours(data)
    total, cpu_total = time.perf_counter() - start, time.process_time() - cpu_start
    for stage, seconds in timer.seconds.items():
        emit(
            f"outcomes.{stage}",
            scale=args.scale,
            seconds=round(seconds, 3),
            cpu_seconds=round(timer.cpu_seconds[stage], 3),
        )
    kinds = ("local_quintile", "national_quintile", "scotland")
    groups = {kind: int((results[kind]["status"] == "ok").sum()) for kind in kinds}
    peak = traced_peak_mib(lambda: run_ours(data))
    emit(
        "outcomes.national_computation",
        scale=args.scale,
        seconds=round(total, 3),
        cpu_seconds=round(cpu_total, 3),
        load_average_1min=round(os.getloadavg()[0], 2),
        peak_traced_mib=round(peak, 1),
        max_rss_mib=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        inequality_groups_modelled=groups,
        inequality_groups_insufficient=int(
            sum((results[kind]["status"] != "ok").sum() for kind in kinds)
        ),
    )
    if args.no_baseline:
        return
    _compare_with_analyst(data, args.scale)


def _compare_with_analyst(data: Synthetic, scale: int) -> None:
    start = time.perf_counter()
    ours = {
        column: inequality_by_cpp(data.observations, data.zones, column, data.polarity)
        for column in ("local_quintile", "national_quintile")
    }
    ours_seconds = time.perf_counter() - start
    start = time.perf_counter()
    analyst = {
        column: run_analyst(data.observations, data.zones, column)
        for column in ("local_quintile", "national_quintile")
    }
    analyst_seconds = time.perf_counter() - start
    compared = [largest_difference(ours[column], analyst[column]) for column in ours]
    emit(
        "outcomes.sii_rii_vs_analyst",
        scale=scale,
        groups=sum(n for _, n in compared),
        ours_seconds=round(ours_seconds, 3),
        analyst_seconds=round(analyst_seconds, 3),
        speedup=round(analyst_seconds / ours_seconds, 1),
        max_abs_difference=max(difference for difference, _ in compared),
    )


if __name__ == "__main__":
    main()
