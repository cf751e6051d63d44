"""The fully synthetic demo, for a clone of the repository without the official data files.

``cplan demo`` first says where to download each official file (``data/official_sources.csv``),
then builds a clearly labelled synthetic stand-in through the platform's own services:

- Scotland and the 32 council areas with their real codes and names (``data/council_areas.csv``,
  facts), each with fictional intermediate zones (a fifth of its real number, 4 to 30) of 4 to 8
  fictional data zones. Their codes start ``X02``/``X01``, which no GSS code does, and their names
  end "(synthetic)";
- a synthetic deprivation edition (code ``SYNTHETIC``): ranks from a latent deprivation that varies
  by council (following its LGBF deprivation family group), intermediate zone and data zone, with
  national and within-council quintiles;
- populations, the 32 partnerships with their real family groups, the indicator catalogue;
- observations of kind ``synthetic`` for 2010/11-2021/22: CPOP's community measures as whole
  numerators and denominators by data zone, summed to intermediate zones, councils and Scotland
  (so every level adds up), the others as values related to deprivation
  (``data/synthetic_measures.csv``: level in 2010/11 and 2021/22, spread, direction);
- the demo plans and the demo login.

Everything uses one fixed seed, so a second run writes nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from django.db import transaction
from django.db.models import F

from cplan.core.history import change_record
from cplan.core.models import ChangeAction
from cplan.geography.deprivation import local_quintiles
from cplan.geography.models import Area, AreaLevel, Deprivation, DeprivationEdition, Population
from cplan.geography.sync import SyncCounts, sync
from cplan.indicators.layouts.base import ImportOptions
from cplan.indicators.models import Indicator
from cplan.indicators.services import catalogue_load, observations_import
from cplan.partnerships.services import load_partnerships

DATA = Path(__file__).parent / "data"
OFFICIAL_SOURCES = DATA / "official_sources.csv"
COUNCIL_AREAS = DATA / "council_areas.csv"
NATIONAL_OUTCOMES = DATA / "npf_national_outcomes_2018.csv"
SYNTHETIC_MEASURES = DATA / "synthetic_measures.csv"

SEED = 20_100_401  # 1 April 2010, the first day of the series: any fixed number would do.
SCOTLAND = ("S92000003", "Scotland")
YEARS = tuple(range(2010, 2022))
PERIODS = tuple(f"{year}/{(year + 1) % 100:02d}" for year in YEARS)
EDITION = "SYNTHETIC"
LABEL = "(synthetic)"
POPULATION_SOURCE = "Synthetic demo population (not official figures)"
OBSERVATIONS_FILE = "synthetic_demo_observations.csv"
IZ_PREFIX, DZ_PREFIX = "X02", "X01"  # GSS codes for Scotland all start with S


class OfflineDemoError(RuntimeError):
    """A repository data file of the synthetic demo is wrong; the message says which and why."""


# ------------------------------------------------------------------------- official files


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def official_sources() -> list[dict[str, str]]:
    return read_csv_rows(OFFICIAL_SOURCES)


def has_official_data(data_dir: Path) -> bool:
    """Whether any official file is there: if none is, the demo is built fully synthetic.

    A partial directory goes to the real loaders, whose errors name each missing file.
    """
    return any(any(Path(data_dir).glob(source["file"])) for source in official_sources())


def download_list(data_dir: Path) -> str:
    lines = [f"To load the real data, download these files into {data_dir}:"]
    for source in official_sources():
        lines.append(
            f"  {source['file']}: {source['what']} ({source['publisher']}) - "
            f"{source['download_from']}"
        )
    lines.append("Then run `cplan demo` again. Meanwhile a fully synthetic demo is built.")
    return "\n".join(lines)


# --------------------------------------------------------------- synthetic geography (pure)


@dataclass(frozen=True)
class SyntheticGeography:
    """``councils``: code, name, family groups, ``z`` (standardised deprivation).
    ``intermediate_zones``: code, name, council. ``zones`` (data zones, index code): name, iz,
    council, latent, z, income_rate. ``population``: data zone × year (int columns)."""

    councils: pd.DataFrame
    intermediate_zones: pd.DataFrame
    zones: pd.DataFrame
    population: pd.DataFrame


def read_councils(path: Path = COUNCIL_AREAS) -> pd.DataFrame:
    councils = pd.read_csv(path, dtype={"code": str, "name": str})
    if len(councils) != 32 or not councils["code"].str.fullmatch(r"S12\d{6}").all():
        raise OfflineDemoError(f"{path} must list the 32 council areas by S12 code")
    return councils


def _standardise(values: pd.Series) -> pd.Series:
    return (values - values.mean()) / values.std()


def synthetic_geography(councils: pd.DataFrame, rng: np.random.Generator) -> SyntheticGeography:
    iz_rows: list[dict[str, Any]] = []
    dz_rows: list[dict[str, Any]] = []
    for council in councils.to_dict("records"):
        # Deprivation family group 1 is the least deprived, 4 the most.
        council_effect = 0.3 * (float(council["deprivation_family_group"]) - 2.5) + rng.normal(
            0, 0.2
        )
        zones_in_council = int(np.clip(round(int(council["intermediate_zones"]) / 5), 4, 30))
        for _ in range(zones_in_council):
            iz_code = f"{IZ_PREFIX}{len(iz_rows) + 1:06d}"
            iz_name = f"{council['name']} community {len(iz_rows) + 1}"
            iz_rows.append(
                {"code": iz_code, "name": f"{iz_name} {LABEL}", "council": council["code"]}
            )
            iz_effect = council_effect + rng.normal(0, 0.5)
            for number in range(int(rng.integers(4, 9))):
                dz_rows.append(
                    {
                        "code": f"{DZ_PREFIX}{len(dz_rows) + 1:06d}",
                        "name": f"{iz_name}, zone {number + 1} {LABEL}",
                        "iz": iz_code,
                        "council": council["code"],
                        "latent": iz_effect + rng.normal(0, 0.35),
                    }
                )
    zones = pd.DataFrame(dz_rows).set_index("code")
    zones["z"] = _standardise(zones["latent"])
    zones["income_rate"] = 1 / (1 + np.exp(2.3 - 0.6 * zones["latent"]))
    latest = rng.integers(450, 1150, len(zones)).astype(float)
    growth = rng.normal(0.002, 0.006, len(zones)) - 0.002 * zones["z"].to_numpy()
    population = pd.DataFrame(
        {year: np.round(latest * (1 + growth) ** (year - YEARS[-1])) for year in YEARS},
        index=zones.index,
    ).astype(int)
    council_z = (zones["z"] * population[YEARS[-1]]).groupby(zones["council"]).sum() / (
        population[YEARS[-1]].groupby(zones["council"]).sum()
    )
    councils = councils.assign(z=_standardise(council_z).reindex(councils["code"]).to_numpy())
    return SyntheticGeography(councils, pd.DataFrame(iz_rows), zones, population)


def deprivation_ranks(geo: SyntheticGeography) -> pd.DataFrame:
    """Rank 1 = most deprived; national vigintile/decile/quintile; within-council quintile."""
    zones = geo.zones
    rank = zones["income_rate"].rank(ascending=False, method="first").astype(int)
    count = len(zones)
    population = geo.population[YEARS[-1]]
    frame = pd.DataFrame(
        {
            "rank": rank,
            "vigintile": np.ceil(rank * 20 / count).astype(int),
            "decile": np.ceil(rank * 10 / count).astype(int),
            "quintile": np.ceil(rank * 5 / count).astype(int),
            "population": population,
            "working_age_population": (population * (0.66 - 0.04 * zones["z"])).round().astype(int),
            "income_rank": rank.astype(float),
        },
        index=zones.index,
    )
    frame["local_quintile"] = local_quintiles(
        groups=zones["council"].tolist(), ranks=rank.tolist(), populations=population.tolist()
    )
    return frame


# ------------------------------------------------------------- synthetic observations (pure)


@dataclass(frozen=True)
class MeasureSpec:
    indicator: str
    level_2010: float
    level_2021: float
    spread: float
    deprivation_sign: int
    population_share: float | None
    cap: float | None
    multiplier: float

    def trend(self) -> np.ndarray:
        return np.linspace(self.level_2010, self.level_2021, len(YEARS))


def read_measures(
    multipliers: Mapping[str, float], path: Path = SYNTHETIC_MEASURES
) -> list[MeasureSpec]:
    specs = []
    for line, row in enumerate(read_csv_rows(path), start=2):
        if row["indicator"] not in multipliers:
            raise OfflineDemoError(
                f"{path.name} line {line}: indicator {row['indicator']!r} is not in the catalogue"
            )
        specs.append(
            MeasureSpec(
                indicator=row["indicator"],
                level_2010=float(row["level_2010"]),
                level_2021=float(row["level_2021"]),
                spread=float(row["spread"]),
                deprivation_sign=int(row["deprivation_sign"]),
                population_share=float(row["population_share"])
                if row["population_share"]
                else None,
                cap=float(row["cap"]) if row["cap"] else None,
                multiplier=multipliers[row["indicator"]],
            )
        )
    return specs


def _long(indicator: str, **columns: pd.DataFrame) -> pd.DataFrame:
    """Area × year tables → template rows for one indicator."""
    stacked = {name: table.stack() for name, table in columns.items()}
    long = pd.DataFrame(stacked).reset_index()
    long.columns = pd.Index(["area_code", "year", *columns])
    long.insert(0, "indicator", indicator)
    long["period"] = long["year"].map(dict(zip(YEARS, PERIODS, strict=True)))
    return long.drop(columns="year")


def _count_measure(
    geo: SyntheticGeography, spec: MeasureSpec, rng: np.random.Generator
) -> pd.DataFrame:
    """Whole numerators/denominators by data zone, summed to every level above it."""
    zones, population = geo.zones, geo.population
    share = (spec.population_share or 1.0) * np.exp(rng.normal(0, 0.05, len(zones)))
    denominator = (population.mul(np.minimum(share, 1.0), axis=0)).round().clip(lower=1)
    factor = np.exp(
        spec.deprivation_sign * spec.spread * zones["z"].to_numpy()[:, None]
        + rng.normal(0, 0.1, (len(zones), len(YEARS)))
    )
    factor /= (factor * denominator.to_numpy()).sum(axis=0) / denominator.to_numpy().sum(axis=0)
    rate = factor * spec.trend() / spec.multiplier
    ceiling = 0.98 * (spec.cap / spec.multiplier if spec.cap else 1.0)
    numerator = rng.binomial(denominator.to_numpy().astype(np.int64), np.minimum(rate, ceiling))
    numerators = pd.DataFrame(numerator, index=zones.index, columns=list(YEARS))
    cpp = spec.indicator.replace("cpop-iz-", "cpop-cpp-")
    levels = (
        (pd.Series(zones.index, zones.index), spec.indicator),  # data zones as they are
        (zones["iz"], spec.indicator),
        (zones["council"], cpp),
        (pd.Series(SCOTLAND[0], zones.index), cpp),
    )
    frames = []
    for grouping, indicator in levels:
        num = numerators.groupby(grouping).sum()
        den = denominator.groupby(grouping).sum()
        frames.append(
            _long(indicator, numerator=num, denominator=den, value=num / den * spec.multiplier)
        )
    return pd.concat(frames, ignore_index=True)


def _value_measure(
    geo: SyntheticGeography, spec: MeasureSpec, rng: np.random.Generator
) -> pd.DataFrame:
    """Intermediate-zone values (no counts); councils and Scotland population-weighted."""
    zones, population = geo.zones, geo.population
    iz_population = population.groupby(zones["iz"]).sum()
    iz_z = _standardise(
        (population[YEARS[-1]] * zones["z"]).groupby(zones["iz"]).sum() / iz_population[YEARS[-1]]
    )
    factor = np.exp(
        spec.deprivation_sign * spec.spread * iz_z.to_numpy()[:, None]
        + rng.normal(0, spec.spread / 4, (len(iz_z), len(YEARS)))
    )
    values = pd.DataFrame(factor * spec.trend(), index=iz_z.index, columns=list(YEARS))
    council_of = zones.groupby("iz")["council"].first().reindex(values.index)
    frames = [_long(spec.indicator, value=values)]
    cpp = spec.indicator.replace("cpop-iz-", "cpop-cpp-")
    for grouping in (council_of, pd.Series(SCOTLAND[0], values.index)):
        weighted = (values * iz_population).groupby(grouping).sum() / iz_population.groupby(
            grouping
        ).sum()
        frames.append(_long(cpp, value=weighted))
    return pd.concat(frames, ignore_index=True)


def _council_measure(
    geo: SyntheticGeography, spec: MeasureSpec, rng: np.random.Generator
) -> pd.DataFrame:
    """A CPP measure: councils related to their deprivation, Scotland population-weighted."""
    councils = geo.councils.set_index("code")
    own = rng.normal(0, 0.6, len(councils))
    shape = spec.deprivation_sign * 0.8 * councils["z"].to_numpy() + own
    factor = np.exp(
        spec.spread * shape[:, None] + rng.normal(0, spec.spread / 8, (len(councils), len(YEARS)))
    )
    values = pd.DataFrame(factor * spec.trend(), index=councils.index, columns=list(YEARS))
    if spec.cap is not None:
        values = values.clip(upper=0.99 * spec.cap)
    weights = geo.population.groupby(geo.zones["council"]).sum().reindex(values.index)
    scotland = ((values * weights).sum() / weights.sum()).to_frame(SCOTLAND[0]).T
    both = pd.concat([values, scotland])
    return _long(spec.indicator, value=both)


def synthetic_observations(
    geo: SyntheticGeography, specs: list[MeasureSpec], rng: np.random.Generator
) -> pd.DataFrame:
    """Every synthetic observation, in the platform's CSV template layout."""
    frames = []
    for spec in specs:
        if spec.indicator.startswith("cpop-iz-") and spec.population_share is not None:
            frames.append(_count_measure(geo, spec, rng))
        elif spec.indicator.startswith("cpop-iz-"):
            frames.append(_value_measure(geo, spec, rng))
        else:
            frames.append(_council_measure(geo, spec, rng))
    rows = pd.concat(frames, ignore_index=True)
    rows["value"] = rows["value"].round(6)
    rows["breakdown"] = "All"
    rows["lower_ci"] = None
    rows["upper_ci"] = None
    rows["kind"] = "synthetic"
    columns = [
        "indicator",
        "area_code",
        "period",
        "breakdown",
        "value",
        "numerator",
        "denominator",
        "lower_ci",
        "upper_ci",
        "kind",
    ]
    for column in ("numerator", "denominator"):
        rows[column] = rows[column].astype("Int64") if column in rows else None
    return rows[columns]


# -------------------------------------------------------------------------- writing (Django)


def _write_areas(geo: SyntheticGeography) -> SyncCounts:
    fields = ("name", "level", "parent_id", "council_area_id")
    total = SyncCounts()

    def write(level: AreaLevel, rows: list[dict[str, Any]]) -> dict[str, int]:
        nonlocal total
        codes = [row["code"] for row in rows]
        total += sync(
            Area.objects.filter(code__in=codes),
            key_fields=("code",),
            value_fields=fields,
            rows=[{"level": level.value, **row} for row in rows],
        )
        return dict(Area.objects.filter(code__in=codes).values_list("code", "id"))

    country = write(
        AreaLevel.COUNTRY,
        [{"code": SCOTLAND[0], "name": SCOTLAND[1], "parent_id": None, "council_area_id": None}],
    )
    council_rows = [
        {
            "code": c["code"],
            "name": c["name"],
            "parent_id": country[SCOTLAND[0]],
            "council_area_id": None,
        }
        for c in geo.councils.to_dict("records")
    ]
    held = dict(Area.objects.filter(level=AreaLevel.COUNCIL_AREA).values_list("code", "id"))
    for row in council_rows:  # a council area is its own council area
        row["council_area_id"] = held.get(str(row["code"]))
    councils = write(AreaLevel.COUNCIL_AREA, council_rows)
    Area.objects.filter(level=AreaLevel.COUNCIL_AREA, council_area__isnull=True).update(
        council_area_id=F("id")
    )
    izs = write(
        AreaLevel.INTERMEDIATE_ZONE,
        [
            {
                "code": r["code"],
                "name": r["name"],
                "parent_id": councils[r["council"]],
                "council_area_id": councils[r["council"]],
            }
            for r in geo.intermediate_zones.to_dict("records")
        ],
    )
    write(
        AreaLevel.DATA_ZONE,
        [
            {
                "code": code,
                "name": r["name"],
                "parent_id": izs[r["iz"]],
                "council_area_id": councils[r["council"]],
            }
            for code, r in geo.zones.to_dict("index").items()
        ],
    )
    return total


def _write_deprivation(geo: SyntheticGeography, codes: Mapping[str, int]) -> SyncCounts:
    counts = sync(
        DeprivationEdition.objects.filter(code=EDITION),
        key_fields=("code",),
        value_fields=("name", "population_year", "is_current"),
        rows=[
            {
                "code": EDITION,
                "name": "Synthetic deprivation index (demo, not SIMD)",
                "population_year": YEARS[-1],
                "is_current": True,
            }
        ],
    )
    edition = DeprivationEdition.objects.get(code=EDITION)
    frame = deprivation_ranks(geo)
    fields = tuple(frame.columns)
    rows = [
        {"edition_id": edition.pk, "area_id": codes[code], **dict(zip(fields, values, strict=True))}
        for code, *values in frame.itertuples()
    ]
    return counts + sync(
        Deprivation.objects.filter(edition=edition),
        key_fields=("edition_id", "area_id"),
        value_fields=fields,
        rows=[{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()} for r in rows],
        delete_missing=True,
    )


def _write_population(geo: SyntheticGeography, codes: Mapping[str, int]) -> SyncCounts:
    zones, by_zone = geo.zones, geo.population
    tables = [
        by_zone,
        by_zone.groupby(zones["iz"]).sum(),
        by_zone.groupby(zones["council"]).sum(),
        by_zone.sum().to_frame(SCOTLAND[0]).T,
    ]
    rows = [
        {
            "area_id": codes[str(code)],
            "year": int(year),
            "count": int(count),
            "source": POPULATION_SOURCE,
        }
        for table in tables
        for code, counts in zip(table.index, table.to_numpy().tolist(), strict=True)
        for year, count in zip(table.columns, counts, strict=True)
    ]
    return sync(
        Population.objects.filter(area_id__in=set(codes.values())),
        key_fields=("area_id", "year"),
        value_fields=("count", "source"),
        rows=rows,
    )


def synthetic_geography_load(geo: SyntheticGeography, *, actor: str) -> dict[str, SyncCounts]:
    """Areas, deprivation, population and partnerships, all or nothing; idempotent."""
    with transaction.atomic():
        writes = {"areas": _write_areas(geo)}
        codes = dict(Area.objects.values_list("code", "id"))
        writes["deprivation"] = _write_deprivation(geo, codes)
        writes["population"] = _write_population(geo, codes)
        family_groups = {
            str(c["code"]): (int(c["deprivation_family_group"]), int(c["density_family_group"]))
            for c in geo.councils.to_dict("records")
        }
        writes["partnerships"], _ = load_partnerships(family_groups=family_groups)
        if any(counts.changed for counts in writes.values()):
            change_record(
                user=None,
                action=ChangeAction.LOAD,
                obj=Area.objects.get(code=SCOTLAND[0]),
                after={table: counts.as_dict() for table, counts in writes.items()},
                source="synthetic demo geography (no official data directory)",
                actor=actor,
            )
    return writes


def synthetic_observations_csv(geo: SyntheticGeography, rng: np.random.Generator) -> bytes:
    multipliers = dict(Indicator.objects.values_list("code", "multiplier"))
    rows = synthetic_observations(geo, read_measures(multipliers), rng)
    buffer = io.StringIO()
    rows.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")


def offline_demo_load(*, data_dir: Path, actor: str, say: Callable[[str], None]) -> int:
    """Geography, catalogue and observations of the synthetic demo; returns observation rows.

    The caller (``demo_load``) adds the demo plans and login, as for the real demo.
    """
    say(download_list(data_dir))
    rng = np.random.default_rng(SEED)
    geo = synthetic_geography(read_councils(), rng)
    writes = synthetic_geography_load(geo, actor=actor)
    say(
        f"Synthetic geography (codes X02/X01, names end {LABEL}): {len(geo.councils)} real "
        f"council areas, {len(geo.intermediate_zones)} intermediate zones, {len(geo.zones)} "
        f"data zones; {sum(c.created for c in writes.values()):,} rows created"
    )
    catalogue = catalogue_load(outcomes_path=NATIONAL_OUTCOMES, actor=actor)
    say(f"Indicator catalogue: {len(catalogue.created)} created, {len(catalogue.updated)} updated")
    report = observations_import(
        data=synthetic_observations_csv(geo, rng),
        file_name=OBSERVATIONS_FILE,
        options=ImportOptions(layout="template"),
        actor=actor,
    )
    if not report.ok:
        errors = "\n".join(f"  {error}" for error in report.errors)
        raise OfflineDemoError(f"the synthetic observations did not import:\n{errors}")
    say(
        f"Synthetic observations (all labelled synthetic): {report.status} ({report.rows_read:,} rows)"
    )
    return report.rows_read
