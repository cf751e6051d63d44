"""Loading Scotland's geography: areas, code aliases, SIMD editions, populations, typologies,
boundaries, the 32 partnerships, the NPF outcomes and the SIMD 2020v2 indicator observations.

:func:`geography_load` reads and checks every file first (:mod:`cplan.geography.importers`), then
writes in one transaction only what differs from what the database holds, so a second run over
the same files writes nothing and its report says so. Each load leaves one change record.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cplan.core.history import change_record
from cplan.core.models import ChangeAction
from cplan.frameworks.importers import NationalFramework, read_national_framework
from cplan.frameworks.services import load_national_framework
from cplan.geography.deprivation import local_quintiles
from cplan.geography.importers import (
    POPULATION_DZ,
    SIMD_INDICATORS,
    GeographySources,
    Problems,
    SimdIndicatorValues,
    read_geography_sources,
    tuples,
    write_observations,
)
from cplan.geography.models import (
    Area,
    AreaCodeAlias,
    AreaLevel,
    Boundary,
    Deprivation,
    DeprivationEdition,
    Population,
    Typology,
    TypologyMembership,
)
from cplan.geography.sync import SyncCounts, sync
from cplan.partnerships.importers import read_family_groups
from cplan.partnerships.services import load_partnerships

POPULATION_SOURCE = "NRS small area population estimates (2011 data zones), mid-year; sums of data zones above data zone level"
BOUNDARY_SOURCE = "council_areas.geojson (generalised council area boundaries, WGS84), coordinates rounded to 4 decimal places"
BOUNDARY_DECIMALS = 4  # about 11 m: ample for a national map
SIMD_SOURCE = "Scottish Government, Scottish Index of Multiple Deprivation 2020v2 indicator data"
SIMD_SOURCE_URL = "https://www.gov.scot/collections/scottish-index-of-multiple-deprivation-2020/"
SIMD_LAYOUT = "simd2020v2-indicators"

# Levels in the order they are written: each one's parents are written before it.
LEVEL_ORDER = (
    AreaLevel.COUNTRY,
    AreaLevel.HEALTH_BOARD,
    AreaLevel.COUNCIL_AREA,
    AreaLevel.WARD,
    AreaLevel.INTERMEDIATE_ZONE,
    AreaLevel.DATA_ZONE,
)
AREA_VALUE_FIELDS = (
    "name",
    "level",
    "parent_id",
    "council_area_id",
    "health_board_id",
    "ward_id",
    "urban_rural_6",
    "urban_rural_8",
)


@dataclass
class LoadReport:
    """What a geography load found and did."""

    data_dir: str
    areas: dict[str, int] = field(default_factory=dict)  # held after the load, per level
    writes: dict[str, SyncCounts] = field(default_factory=dict)  # per table
    deprivation: dict[str, dict[str, Any]] = field(default_factory=dict)  # per edition
    population: dict[str, Any] = field(default_factory=dict)
    simd_indicators: dict[str, Any] = field(default_factory=dict)
    boundaries: dict[str, Any] = field(default_factory=dict)
    partnerships: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return any(counts.changed for counts in self.writes.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "data_dir": self.data_dir,
            "changed": self.changed,
            "areas": self.areas,
            "writes": {table: counts.as_dict() for table, counts in self.writes.items()},
            "deprivation": self.deprivation,
            "population": self.population,
            "simd_indicators": self.simd_indicators,
            "boundaries": self.boundaries,
            "partnerships": self.partnerships,
            "seconds": round(self.seconds, 2),
        }

    def summary(self) -> str:
        lines = [f"Geography loaded from {self.data_dir} in {self.seconds:.1f} s."]
        lines.append("Areas: " + ", ".join(f"{n:,} {level}" for level, n in self.areas.items()))
        for code, facts in self.deprivation.items():
            lines.append(
                f"{code}: {facts['zones']:,} data zones; national quintiles hold "
                f"{facts['national_quintile_zones']} zones"
            )
        population = self.population
        lines.append(
            f"Population {population['years'][0]}-{population['years'][-1]}: "
            f"Scotland {population['scotland_by_year'][str(population['years'][-1])]:,} in "
            f"{population['years'][-1]}; sums differing from published figures: "
            f"{population['published_mismatches']}"
        )
        simd = self.simd_indicators
        lines.append(
            f"SIMD 2020v2 indicators: {simd['indicators']} indicators, "
            f"{simd['observations']:,} data zone values; {simd['suppressed']:,} suppressed (*) "
            f"and {simd['blank']:,} blank cells skipped"
        )
        lines.append(
            f"Boundaries: {self.boundaries['councils']} council areas, "
            f"{self.boundaries['bytes']:,} bytes of GeoJSON"
        )
        lines.append(
            f"Partnerships: {self.partnerships['count']}, "
            f"{self.partnerships['with_family_groups']} with family groups"
        )
        if not self.changed:
            lines.append("Nothing changed: the database already held exactly these files.")
        else:
            for table, counts in self.writes.items():
                if counts.changed:
                    lines.append(
                        f"  {table}: {counts.created:,} created, {counts.updated:,} updated, "
                        f"{counts.deleted:,} deleted, {counts.unchanged:,} unchanged"
                    )
        return "\n".join(lines)


def geography_load(
    *, data_dir: Path, actor: str, user: User | AnonymousUser | None = None
) -> LoadReport:
    """Load the geography from the official files in ``data_dir``, all or nothing.

    Raises :class:`cplan.geography.importers.LoadError` (nothing written) when any file is
    missing, unreadable or breaks a rule; the error lists every problem with file, line, field,
    value and rule.
    """
    started = time.perf_counter()
    data_dir = Path(data_dir)
    problems = Problems()
    sources = read_geography_sources(data_dir, problems)
    family_groups = read_family_groups(data_dir, problems)
    framework = read_national_framework(data_dir, problems)
    problems.raise_if_any()
    report = LoadReport(data_dir=str(data_dir))
    with transaction.atomic():
        _write(sources, family_groups, framework, report, actor=actor, user=user)
        report.seconds = time.perf_counter() - started
        change_record(
            user=user,
            action=ChangeAction.LOAD,
            obj=Area.objects.get(code=sources.country[0]),
            after=report.as_dict(),
            source=f"geography_load --data-dir {data_dir}",
            actor=actor,
        )
    return report


def _write(
    sources: GeographySources,
    family_groups: Mapping[str, tuple[int, int]] | None,
    framework: NationalFramework | None,
    report: LoadReport,
    *,
    actor: str,
    user: User | AnonymousUser | None,
) -> None:
    if family_groups is None or framework is None:  # read_* recorded why; raise_if_any raised
        raise RuntimeError("geography_load: inputs were not read")
    codes = _write_areas(sources, report)
    report.writes["aliases"] = _write_aliases(sources, codes)
    _write_deprivation(sources, codes, report)
    _write_population(sources, codes, report)
    _write_typologies(sources, codes, report)
    _write_boundaries(sources, codes, report)
    partnership_counts, with_groups = load_partnerships(family_groups=family_groups)
    report.writes["partnerships"] = partnership_counts
    report.partnerships = {"count": len(family_groups), "with_family_groups": with_groups}
    report.writes.update(load_national_framework(framework=framework))
    _write_simd_indicators(sources.simd_indicators, sources, codes, report, actor=actor, user=user)
    report.areas = {level.value: Area.objects.filter(level=level).count() for level in LEVEL_ORDER}


# ---------------------------------------------------------------------------------- areas


def _area_rows(sources: GeographySources) -> dict[AreaLevel, list[dict[str, Any]]]:
    """The areas the look-ups describe, by level, with parents named by code."""
    zones = sources.zones
    country_code, country_name = sources.country
    first = zones.drop_duplicates

    def row(code: str, name: str, level: AreaLevel, **links: Any) -> dict[str, Any]:
        return {"code": code, "name": name, "level": level.value, **links}

    return {
        AreaLevel.COUNTRY: [row(country_code, country_name, AreaLevel.COUNTRY)],
        AreaLevel.HEALTH_BOARD: [
            row(r.hb_code, r.hb_name, AreaLevel.HEALTH_BOARD, parent=country_code)
            for r in tuples(first("hb_code"))
        ],
        AreaLevel.COUNCIL_AREA: [
            row(
                r.la_code,
                r.la_name,
                AreaLevel.COUNCIL_AREA,
                parent=country_code,
                council_area=r.la_code,
                health_board=r.hb_code,
            )
            for r in tuples(first("la_code"))
        ],
        AreaLevel.WARD: [
            row(
                r.ward_code,
                r.ward_name,
                AreaLevel.WARD,
                parent=r.la_code,
                council_area=r.la_code,
                health_board=r.hb_code,
            )
            for r in tuples(first("ward_code"))
        ],
        AreaLevel.INTERMEDIATE_ZONE: [
            row(
                r.iz_code,
                r.iz_name,
                AreaLevel.INTERMEDIATE_ZONE,
                parent=r.la_code,
                council_area=r.la_code,
                health_board=r.hb_code,
            )
            for r in tuples(first("iz_code"))
        ],
        AreaLevel.DATA_ZONE: [
            row(
                r.dz_code,
                r.dz_name,
                AreaLevel.DATA_ZONE,
                parent=r.iz_code,
                council_area=r.la_code,
                health_board=r.hb_code,
                ward=r.ward_code,
                urban_rural_6=int(r.ur6),
                urban_rural_8=int(r.ur8),
            )
            for r in tuples(zones)
        ],
    }


def _write_areas(sources: GeographySources, report: LoadReport) -> dict[str, int]:
    """Write the areas level by level; returns code → id of every area held."""
    codes = dict(Area.objects.values_list("code", "id"))
    total = SyncCounts()
    for level, rows in _area_rows(sources).items():
        wanted = [
            {
                "code": row["code"],
                "name": row["name"],
                "level": row["level"],
                "parent_id": codes.get(row.get("parent", "")),
                # A new council area points at itself once it has an id (below).
                "council_area_id": codes.get(row.get("council_area", "")),
                "health_board_id": codes.get(row.get("health_board", "")),
                "ward_id": codes.get(row.get("ward", "")),
                "urban_rural_6": row.get("urban_rural_6"),
                "urban_rural_8": row.get("urban_rural_8"),
            }
            for row in rows
        ]
        total += sync(
            Area.objects.filter(code__in=[row["code"] for row in wanted]),
            key_fields=("code",),
            value_fields=AREA_VALUE_FIELDS,
            rows=wanted,
        )
        if level == AreaLevel.COUNCIL_AREA:
            Area.objects.filter(level=level, council_area__isnull=True).update(
                council_area_id=F("id")
            )
        codes.update(Area.objects.filter(level=level).values_list("code", "id"))
    report.writes["areas"] = total
    return codes


def _write_aliases(sources: GeographySources, codes: Mapping[str, int]) -> SyncCounts:
    rows = [
        {
            "code": r.alias_code,
            "area_id": codes[r.area_code],
            "note": f"{r.note} [code changed in {r.changed_in}]"[:200],
        }
        for r in tuples(sources.aliases)
    ]
    return sync(
        AreaCodeAlias.objects.all(),
        key_fields=("code",),
        value_fields=("area_id", "note"),
        rows=rows,
    )


# ---------------------------------------------------------------------------- deprivation


def _write_deprivation(
    sources: GeographySources, codes: Mapping[str, int], report: LoadReport
) -> None:
    council_of = sources.zones.set_index("dz_code")["la_code"]
    editions = SyncCounts()
    ranks = SyncCounts()
    for spec, frame in sources.editions:
        editions += sync(
            DeprivationEdition.objects.filter(code=spec.code),
            key_fields=("code",),
            value_fields=("name", "published", "population_year", "is_current"),
            rows=[
                {
                    "code": spec.code,
                    "name": spec.name,
                    "published": dt.date.fromisoformat(spec.published),
                    "population_year": spec.population_year,
                    "is_current": spec.is_current,
                }
            ],
        )
        edition = DeprivationEdition.objects.get(code=spec.code)
        frame = frame.assign(
            local_quintile=local_quintiles(
                groups=council_of.loc[frame["area_code"]].tolist(),
                ranks=frame["rank"].tolist(),
                populations=frame["population"].tolist(),
            )
        )
        fields = [name for name in frame.columns if name != "area_code"]
        area_ids = [codes[code] for code in frame["area_code"]]
        columns = [_plain_list(frame[name]) for name in fields]
        rows = [
            {"edition_id": edition.pk, "area_id": area_id, **dict(zip(fields, values, strict=True))}
            for area_id, *values in zip(area_ids, *columns, strict=True)
        ]
        ranks += sync(
            Deprivation.objects.filter(edition=edition),
            key_fields=("edition_id", "area_id"),
            value_fields=tuple(fields),
            rows=rows,
            delete_missing=True,
        )
        report.deprivation[spec.code] = _deprivation_facts(frame, council_of)
    report.writes["deprivation_editions"] = editions
    report.writes["deprivation"] = ranks


def _deprivation_facts(frame: pd.DataFrame, council_of: pd.Series[str]) -> dict[str, Any]:
    """Checks a reader can compare with SIMD's own: zones per national quintile, and how far
    each council's local quintiles are from a fifth of its population."""
    councils = council_of.loc[frame["area_code"]].to_numpy()
    shares = (
        frame.assign(council=councils)
        .groupby(["council", "local_quintile"])["population"]
        .sum()
        .groupby(level=0)
        .transform(lambda s: s / s.sum())
    )
    return {
        "zones": len(frame),
        "national_quintile_zones": frame["quintile"].value_counts().sort_index().tolist(),
        "local_quintile_share_range": [
            round(float(shares.min()), 4),
            round(float(shares.max()), 4),
        ],
    }


# ----------------------------------------------------------------------------- population


def _population_by_area(sources: GeographySources) -> pd.DataFrame:
    """Population of every area and year: data zones as published, other levels summed."""
    by_zone = sources.dz_population
    zones = sources.zones.set_index("dz_code").loc[by_zone.index]
    frames = [by_zone]
    for column in ("iz_code", "ward_code", "la_code", "hb_code"):
        frames.append(by_zone.groupby(zones[column].to_numpy()).sum())
    frames.append(by_zone.sum().to_frame(sources.country[0]).T)
    return pd.concat(frames)


def _write_population(
    sources: GeographySources, codes: Mapping[str, int], report: LoadReport
) -> None:
    table = _population_by_area(sources)
    years = [int(year) for year in table.columns]
    rows = [
        {
            "area_id": codes[code],
            "year": int(year),
            "count": int(count),
            "source": POPULATION_SOURCE,
        }
        for code, counts in zip(table.index, table.to_numpy().tolist(), strict=True)
        for year, count in zip(years, counts, strict=True)
    ]
    report.writes["population"] = sync(
        Population.objects.all(),
        key_fields=("area_id", "year"),
        value_fields=("count", "source"),
        rows=rows,
    )
    long = table.stack().reset_index()
    long.columns = pd.Index(["code", "year", "ours"])
    compared = long.merge(sources.published_population, on=["code", "year"], how="inner")
    differ = compared[compared["ours"] != compared["count"]]
    simd = next((frame for spec, frame in sources.editions if spec.code == "SIMD2020v2"), None)
    simd_differ = None
    if simd is not None and 2017 in table.columns:
        nrs_2017 = table[2017].reindex(simd["area_code"]).to_numpy()
        simd_differ = int((simd["population"].to_numpy() != nrs_2017).sum())
    report.population = {
        "file": POPULATION_DZ,
        "years": years,
        "rows": len(rows),
        "scotland_by_year": {
            str(year): int(count)
            for year, count in zip(
                years, table.loc[[sources.country[0]]].to_numpy()[0], strict=True
            )
        },
        "compared_with_published": len(compared),
        "published_mismatches": len(differ),
        "mismatch_examples": [
            f"{r.code} {r.year}: ours {r.ours}, published {r.count}"
            for r in tuples(differ.head(10))
        ],
        "simd2020v2_zones_differing_from_nrs_2017": simd_differ,
    }


# ------------------------------------------------------------------- typologies, boundaries


def _write_typologies(
    sources: GeographySources, codes: Mapping[str, int], report: LoadReport
) -> None:
    typologies = SyncCounts()
    members = SyncCounts()
    for spec, frame in sources.typologies:
        typologies += sync(
            Typology.objects.filter(code=spec.code),
            key_fields=("code",),
            value_fields=("name", "source"),
            rows=[{"code": spec.code, "name": spec.name, "source": spec.source}],
        )
        typology = Typology.objects.get(code=spec.code)
        members += sync(
            TypologyMembership.objects.filter(typology=typology),
            key_fields=("typology_id", "area_id"),
            value_fields=("group_number", "group_name"),
            rows=[
                {
                    "typology_id": typology.pk,
                    "area_id": codes[r.area_code],
                    "group_number": int(r.group_number),
                    "group_name": r.group_name,
                }
                for r in tuples(frame)
            ],
            delete_missing=True,
        )
    report.writes["typologies"] = typologies
    report.writes["typology_members"] = members


def round_geometry(geometry: Mapping[str, Any], decimals: int) -> dict[str, Any]:
    """A (Multi)Polygon as a MultiPolygon with rounded coordinates, repeated points dropped, and
    rings that collapse below a triangle dropped (a polygon goes with its outer ring)."""
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    kept = []
    for polygon in polygons:
        rings = []
        for number, ring in enumerate(polygon):
            points: list[list[float]] = []
            for x, y, *_ in ring:
                point = [round(float(x), decimals), round(float(y), decimals)]
                if not points or points[-1] != point:
                    points.append(point)
            if points and points[0] != points[-1]:
                points.append(points[0])
            if len(points) >= 4:
                rings.append(points)
            elif number == 0:
                break  # the outer ring vanished: so does the polygon
        if rings:
            kept.append(rings)
    return {"type": "MultiPolygon", "coordinates": kept}


def _write_boundaries(
    sources: GeographySources, codes: Mapping[str, int], report: LoadReport
) -> None:
    rows = []
    size = 0
    for code, geometry in sources.boundaries:
        rounded = round_geometry(geometry, BOUNDARY_DECIMALS)
        size += len(json.dumps(rounded, separators=(",", ":")))
        rows.append({"area_id": codes[code], "geometry": rounded, "source": BOUNDARY_SOURCE})
    report.writes["boundaries"] = sync(
        Boundary.objects.filter(area__level=AreaLevel.COUNCIL_AREA),
        key_fields=("area_id",),
        value_fields=("geometry", "source"),
        rows=rows,
    )
    report.boundaries = {"councils": len(rows), "bytes": size, "decimals": BOUNDARY_DECIMALS}


# ------------------------------------------------------------------------ SIMD indicators


def _write_simd_indicators(
    values: SimdIndicatorValues,
    sources: GeographySources,
    codes: Mapping[str, int],
    report: LoadReport,
    *,
    actor: str,
    user: User | AnonymousUser | None,
) -> None:
    from cplan.frameworks.models import NationalOutcome
    from cplan.indicators.models import (
        Breakdown,
        ImportRun,
        ImportStatus,
        Indicator,
        PeriodType,
        ValueKind,
    )

    catalogue = values.catalogue
    report.writes["indicators"] = sync(
        Indicator.objects.filter(code__in=list(catalogue["code"])),
        key_fields=("code",),
        value_fields=(
            "name",
            "definition",
            "unit",
            "unit_label",
            "multiplier",
            "polarity",
            "period_type",
            "source",
            "source_url",
            "geography_levels",
            "topic",
        ),
        rows=[
            {
                "code": r.code,
                "name": r.name,
                "definition": r.definition,
                "unit": r.unit,
                "unit_label": r.unit_label,
                "multiplier": float(r.multiplier),
                "polarity": r.polarity,
                "period_type": PeriodType.CALENDAR_YEAR.value,
                "source": SIMD_SOURCE,
                "source_url": SIMD_SOURCE_URL,
                "geography_levels": [AreaLevel.DATA_ZONE.value],
                "topic": r.topic,
            }
            for r in tuples(catalogue)
        ],
    )
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=list(catalogue["code"]))}
    outcomes = dict(NationalOutcome.objects.values_list("code", "id"))
    links_changed = 0
    for r in tuples(catalogue):
        wanted = {outcomes[r.national_outcome]} if r.national_outcome else set()
        indicator = indicators[r.code]
        if set(indicator.national_outcomes.values_list("id", flat=True)) != wanted:
            indicator.national_outcomes.set(wanted)
            links_changed += 1
    report.writes["indicator_outcome_links"] = SyncCounts(
        updated=links_changed, unchanged=len(catalogue) - links_changed
    )
    total, _ = Breakdown.objects.get_or_create(key=Breakdown.TOTAL_KEY, defaults={"dimensions": {}})
    period_of = {r.code: str(r.period) for r in tuples(catalogue)}

    rows = values.rows
    periods = rows["indicator"].map(period_of)
    frame = pd.DataFrame(
        {
            "area_id": rows["dz_code"].map(codes).astype("int64"),
            "indicator_id": rows["indicator"].map(
                {code: indicator.pk for code, indicator in indicators.items()}
            ),
            "period": periods,
            "breakdown_id": total.pk,
            "period_start": periods.map(lambda period: dt.date(int(period), 1, 1)),
            "period_end": periods.map(lambda period: dt.date(int(period), 12, 31)),
            "value": rows["value"].astype("float64"),
            "numerator": rows["numerator"].astype("float64"),
            "denominator": rows["denominator"].astype("float64"),
            "lower_ci": float("nan"),
            "upper_ci": float("nan"),
            "kind": ValueKind.OBSERVED.value,
            "provisional": False,
        }
    )

    skipped = sum(values.suppressed.values()) + sum(values.blank.values())

    def start_import_run(planned: SyncCounts) -> int:
        run = ImportRun.objects.create(
            file_name=SIMD_INDICATORS,
            sha256=sources.simd_sha256,
            layout=SIMD_LAYOUT,
            user=user if user is not None and user.is_authenticated else None,
            actor=actor,
            finished_at=timezone.now(),
            status=ImportStatus.COMPLETED,
            rows_read=len(sources.simd_indicators.rows) + skipped,
            rows_created=planned.created,
            rows_updated=planned.updated,
            rows_skipped=skipped,
            notes={
                "loaded_by": "geography_load",
                "suppressed": values.suppressed,
                "blank": values.blank,
                "counts_left_out": values.counts_left_out,
                "deleted": planned.deleted,
            },
        )
        return int(run.pk)

    report.writes["observations"] = write_observations(
        indicator_ids=[indicator.pk for indicator in indicators.values()],
        frame=frame,
        start_import_run=start_import_run,
    )
    report.simd_indicators = {
        "file": SIMD_INDICATORS,
        "indicators": len(catalogue),
        "observations": len(values.rows),
        "suppressed": sum(values.suppressed.values()),
        "blank": sum(values.blank.values()),
        "suppressed_by_indicator": {k: v for k, v in values.suppressed.items() if v},
        "counts_left_out": values.counts_left_out,
    }


def _floats(column: pd.Series[Any]) -> list[float | None]:
    """A numeric column as Python floats, missing values as None."""
    return [None if value != value else value for value in column.astype("float64").tolist()]


def _plain_list(column: pd.Series[Any]) -> list[Any]:
    """A column as plain Python values (ints stay ints), missing values as None."""
    if column.isna().all():
        return [None] * len(column)
    if pd.api.types.is_integer_dtype(column.dtype):
        return list(column.tolist())
    return _floats(column)
