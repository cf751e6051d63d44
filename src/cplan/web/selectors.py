"""Reads behind the pages. Each returns plain dataclasses with a fixed number of queries.

A page that maps or tables a figure by council area takes a :class:`CouncilAreaMeasure`; where it
comes from is the selector's business. Today there are two sources: the share of people living in
SIMD national quintile 1 (:func:`council_area_simd_share`, from ``Deprivation`` rows) and any
indicator's council-area observations for a period (:func:`council_area_indicator`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, IntegerField, Min, OuterRef, Q, Subquery, Sum
from django.urls import reverse

from cplan.geography.models import (
    Area,
    AreaLevel,
    Boundary,
    Deprivation,
    DeprivationEdition,
)
from cplan.indicators.models import Breakdown, ImportRun, Indicator, Observation, ValueKind
from cplan.partnerships.models import Partnership
from cplan.web.geo import rewind_for_d3
from cplan.web.readings import NamedValue, extremes_reading, rank_highest

SCOTLAND_CODE = "S92000003"
QUINTILES = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class EditionInfo:
    code: str
    name: str
    population_year: int | None


@dataclass(frozen=True)
class AreaValue:
    code: str
    name: str
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    url: str | None = None


@dataclass(frozen=True)
class CouncilAreaMeasure:
    """One figure for each council area, ready for a map, a table and a reading."""

    key: str
    title: str
    quantity: str  # completes "X has the highest ..."
    unit: str
    value_label: str
    numerator_label: str
    denominator_label: str
    period: str
    source: str
    kinds: tuple[str, ...]
    values: tuple[AreaValue, ...]
    overall: AreaValue | None
    reading: str

    @property
    def ranked(self) -> list[AreaValue]:
        """Areas with a value, highest first (ties by name)."""
        with_value = [v for v in self.values if v.value is not None]
        return sorted(with_value, key=lambda v: (-(v.value or 0.0), v.name))

    @property
    def kind_labels(self) -> list[str]:
        return [str(ValueKind(kind).label) for kind in self.kinds]


@dataclass(frozen=True)
class PartnershipRow:
    name: str
    slug: str
    code: str
    url: str
    deprivation_family_group: int | None
    density_family_group: int | None
    population: int | None
    intermediate_zones: int


@dataclass(frozen=True)
class ScotlandPage:
    edition: EditionInfo | None
    measure: CouncilAreaMeasure | None
    partnerships: list[PartnershipRow]
    boundaries: int


@dataclass(frozen=True)
class IntermediateZoneRow:
    code: str
    name: str
    data_zones: int
    population: int | None
    q1_population: int | None
    local_q1_population: int | None
    most_deprived_rank: int | None

    @property
    def q1_share(self) -> float | None:
        return _share(self.q1_population, self.population)

    @property
    def local_q1_share(self) -> float | None:
        return _share(self.local_q1_population, self.population)


@dataclass(frozen=True)
class QuintileRow:
    quintile: int
    data_zones: int
    population: int
    share: float  # % of the area's people

    @property
    def label(self) -> str:
        return {1: "1 (most deprived)", 5: "5 (least deprived)"}.get(
            self.quintile, str(self.quintile)
        )


@dataclass(frozen=True)
class PartnershipPage:
    name: str
    slug: str
    code: str
    council_area_name: str
    deprivation_family_group: int | None
    density_family_group: int | None
    edition: EditionInfo | None
    intermediate_zones: list[IntermediateZoneRow]
    quintiles: list[QuintileRow]
    national: CouncilAreaMeasure | None

    @property
    def data_zones(self) -> int:
        return sum(row.data_zones for row in self.intermediate_zones)

    @property
    def population(self) -> int | None:
        known = [row.population for row in self.intermediate_zones if row.population is not None]
        return sum(known) if known else None

    @property
    def q1_population(self) -> int | None:
        known = [r.q1_population for r in self.intermediate_zones if r.q1_population is not None]
        return sum(known) if known else None

    @property
    def q1_share(self) -> float | None:
        return _share(self.q1_population, self.population)

    @property
    def q1_rank(self) -> int | None:
        """1 = the highest share among the council areas; ties share the better rank."""
        if self.national is None:
            return None
        shares = [v.value for v in self.national.values if v.value is not None]
        mine = next((v.value for v in self.national.values if v.code == self.code), None)
        return rank_highest(shares, mine) if mine is not None else None

    @property
    def council_areas_ranked(self) -> int:
        return len(self.national.ranked) if self.national is not None else 0

    @property
    def iz_with_q1(self) -> int:
        return sum(1 for row in self.intermediate_zones if row.q1_population)


@dataclass(frozen=True)
class DataPage:
    editions: list[EditionInfo]
    areas_by_level: list[tuple[str, int]]
    boundaries: int
    partnerships: int
    indicators: int
    observations: int
    imports: list[ImportRun]


def _share(part: float | None, whole: float | None) -> float | None:
    if part is None or not whole:
        return None
    return 100.0 * part / whole


def _edition_info(edition: DeprivationEdition | None) -> EditionInfo | None:
    if edition is None:
        return None
    return EditionInfo(edition.code, edition.name, edition.population_year)


def deprivation_edition_current() -> DeprivationEdition | None:
    """The edition marked current, else the most recently published one."""
    return DeprivationEdition.objects.order_by(
        "-is_current", F("published").desc(nulls_last=True), "-code"
    ).first()


def partnership_url(slug: str | None) -> str | None:
    return reverse("web:partnership", args=[slug]) if slug else None


def council_area_simd_share(
    *, edition: DeprivationEdition, quintile: int = 1
) -> CouncilAreaMeasure:
    """Share of each council area's people living in data zones of a national SIMD quintile.

    Population-weighted with the population the edition carries (SIMD 2020v2: mid-2017), so
    the numerator and denominator are the same people. One query.
    """
    rows = (
        Deprivation.objects.filter(edition=edition)
        .values(
            "area__council_area__code",
            "area__council_area__name",
            "area__council_area__partnership__slug",
        )
        .annotate(
            people=Sum("population"),
            in_quintile=Sum("population", filter=Q(quintile=quintile)),
        )
        .order_by("area__council_area__name")
    )
    values = tuple(
        AreaValue(
            code=row["area__council_area__code"],
            name=row["area__council_area__name"],
            value=_share(row["in_quintile"] or 0, row["people"]),
            numerator=float(row["in_quintile"] or 0),
            denominator=float(row["people"] or 0),
            url=partnership_url(row["area__council_area__partnership__slug"]),
        )
        for row in rows
        if row["area__council_area__code"] is not None
    )
    total = sum(v.denominator or 0.0 for v in values)
    in_quintile = sum(v.numerator or 0.0 for v in values)
    overall = AreaValue(SCOTLAND_CODE, "Scotland", _share(in_quintile, total), in_quintile, total)
    band = (
        "Scotland's most deprived 20% of data zones"
        if quintile == 1
        else f"SIMD national quintile {quintile} data zones"
    )
    year = f", population mid-{edition.population_year}" if edition.population_year else ""
    quantity = f"share of its people living in {band}"
    return CouncilAreaMeasure(
        key=f"{edition.code.lower()}-q{quintile}-share",
        title=f"People living in {band}",
        quantity=quantity,
        unit="%",
        value_label=f"% of people in SIMD quintile {quintile}",
        numerator_label=f"People in quintile {quintile}",
        denominator_label="Population",
        period=f"{edition.name}{year}",
        source=f"Scottish Government, {edition.name}; National Records of Scotland population",
        kinds=(ValueKind.OBSERVED.value,),
        values=values,
        overall=overall if total else None,
        reading=_reading(values, quantity, "%", overall if total else None),
    )


def council_area_indicator(*, indicator: Indicator, period: str) -> CouncilAreaMeasure:
    """Any indicator's total (``All`` breakdown) by council area for one period. One query.

    Observations filed under Scotland's code give the overall figure.
    """
    rows = (
        Observation.objects.filter(
            indicator=indicator,
            period=period,
            breakdown__key=Breakdown.TOTAL_KEY,
        )
        .filter(Q(area__level=AreaLevel.COUNCIL_AREA) | Q(area__code=SCOTLAND_CODE))
        .values(
            "area__code",
            "area__name",
            "area__partnership__slug",
            "value",
            "numerator",
            "denominator",
            "kind",
        )
        .order_by("area__name")
    )
    values: list[AreaValue] = []
    overall: AreaValue | None = None
    kinds: set[str] = set()
    for row in rows:
        value = AreaValue(
            code=row["area__code"],
            name=row["area__name"],
            value=row["value"],
            numerator=row["numerator"],
            denominator=row["denominator"],
            url=partnership_url(row["area__partnership__slug"]),
        )
        kinds.add(row["kind"])
        if value.code == SCOTLAND_CODE:
            overall = value
        else:
            values.append(value)
    unit = indicator.unit_label or str(indicator.get_unit_display())
    quantity = f"{indicator.name[:1].lower()}{indicator.name[1:]}"
    return CouncilAreaMeasure(
        key=f"{indicator.code}-{period}",
        title=indicator.name,
        quantity=quantity,
        unit=unit,
        value_label=f"{indicator.name} ({unit})",
        numerator_label="Numerator",
        denominator_label="Denominator",
        period=period,
        source=indicator.source,
        kinds=tuple(sorted(kinds)),
        values=tuple(values),
        overall=overall,
        reading=_reading(values, quantity, unit, overall),
    )


def _reading(
    values: Iterable[AreaValue], quantity: str, unit: str, overall: AreaValue | None
) -> str:
    named = [NamedValue(v.name, v.value) for v in values if v.value is not None]
    whole = (
        NamedValue(overall.name, overall.value)
        if overall is not None and overall.value is not None
        else None
    )
    return extremes_reading(named, quantity=quantity, unit=unit, overall=whole)


def partnership_list(*, edition: DeprivationEdition | None) -> list[PartnershipRow]:
    """All CPPs with their family groups, population and number of intermediate zones. One query."""
    zones = (
        Area.objects.filter(
            level=AreaLevel.INTERMEDIATE_ZONE, council_area_id=OuterRef("council_area_id")
        )
        .order_by()
        .values("council_area_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    population = (
        Deprivation.objects.filter(
            edition=edition, area__council_area_id=OuterRef("council_area_id")
        )
        .order_by()
        .values("area__council_area_id")
        .annotate(total=Sum("population"))
        .values("total")
    )
    partnerships = Partnership.objects.annotate(
        zone_count=Subquery(zones, output_field=IntegerField()),
        population=Subquery(population, output_field=IntegerField()),
    ).order_by("name")
    return [
        PartnershipRow(
            name=p.name,
            slug=p.slug,
            code=p.code,
            url=reverse("web:partnership", args=[p.slug]),
            deprivation_family_group=p.deprivation_family_group,
            density_family_group=p.density_family_group,
            population=p.population,
            intermediate_zones=p.zone_count or 0,
        )
        for p in partnerships
    ]


def scotland_page() -> ScotlandPage:
    edition = deprivation_edition_current()
    return ScotlandPage(
        edition=_edition_info(edition),
        measure=council_area_simd_share(edition=edition) if edition is not None else None,
        partnerships=partnership_list(edition=edition),
        boundaries=Boundary.objects.filter(area__level=AreaLevel.COUNCIL_AREA).count(),
    )


def intermediate_zone_rows(
    *, council_area: Area, edition: DeprivationEdition | None
) -> list[IntermediateZoneRow]:
    """The intermediate zones of a council area with their deprivation profile. One query."""
    in_edition = Q(children__deprivation__edition=edition)
    population = "children__deprivation__population"
    zones = (
        Area.objects.filter(level=AreaLevel.INTERMEDIATE_ZONE, council_area=council_area)
        .annotate(
            data_zone_count=Count("children", distinct=True),
            population=Sum(population, filter=in_edition),
            q1_population=Sum(population, filter=in_edition & Q(children__deprivation__quintile=1)),
            local_q1_population=Sum(
                population, filter=in_edition & Q(children__deprivation__local_quintile=1)
            ),
            most_deprived_rank=Min("children__deprivation__rank", filter=in_edition),
        )
        .order_by("name", "code")
    )
    return [
        IntermediateZoneRow(
            code=zone.code,
            name=zone.name,
            data_zones=zone.data_zone_count,
            population=zone.population,
            q1_population=(zone.q1_population or 0) if zone.population else None,
            local_q1_population=(zone.local_q1_population or 0) if zone.population else None,
            most_deprived_rank=zone.most_deprived_rank,
        )
        for zone in zones
    ]


def quintile_rows(*, council_area: Area, edition: DeprivationEdition | None) -> list[QuintileRow]:
    """Data zones and people in each national quintile (all five, zeros included). One query."""
    if edition is None:
        return []
    counts = {
        row["quintile"]: row
        for row in Deprivation.objects.filter(edition=edition, area__council_area=council_area)
        .values("quintile")
        .annotate(data_zones=Count("id"), people=Sum("population"))
        .order_by("quintile")
    }
    empty = {"data_zones": 0, "people": 0}
    total = sum(row["people"] for row in counts.values())
    return [
        QuintileRow(
            quintile=q,
            data_zones=counts.get(q, empty)["data_zones"],
            population=counts.get(q, empty)["people"],
            share=_share(counts.get(q, empty)["people"], total) or 0.0,
        )
        for q in QUINTILES
    ]


def partnership_page(*, partnership: Partnership) -> PartnershipPage:
    """A CPP's profile: its intermediate zones and where it stands nationally. Four queries."""
    edition = deprivation_edition_current()
    area = partnership.council_area
    return PartnershipPage(
        name=partnership.name,
        slug=partnership.slug,
        code=partnership.code,
        council_area_name=area.name,
        deprivation_family_group=partnership.deprivation_family_group,
        density_family_group=partnership.density_family_group,
        edition=_edition_info(edition),
        intermediate_zones=intermediate_zone_rows(council_area=area, edition=edition),
        quintiles=quintile_rows(council_area=area, edition=edition),
        national=council_area_simd_share(edition=edition) if edition is not None else None,
    )


def council_area_boundaries() -> dict[str, Any]:
    """The council area boundaries as a FeatureCollection keyed by area code, wound for Vega.

    One query.
    """
    boundaries = (
        Boundary.objects.filter(area__level=AreaLevel.COUNCIL_AREA)
        .select_related("area")
        .order_by("area__code")
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": b.area.code,
                "properties": {"code": b.area.code, "name": b.area.name},
                "geometry": rewind_for_d3(b.geometry),
            }
            for b in boundaries
        ],
    }


def data_page() -> DataPage:
    """What is loaded, for the data and sources page."""
    levels = {
        AreaLevel.COUNTRY: "Countries",
        AreaLevel.HEALTH_BOARD: "Health boards",
        AreaLevel.COUNCIL_AREA: "Council areas",
        AreaLevel.WARD: "Multi-member wards",
        AreaLevel.INTERMEDIATE_ZONE: "Intermediate zones",
        AreaLevel.DATA_ZONE: "Data zones",
    }
    counts = {
        row["level"]: row["n"]
        for row in Area.objects.values("level").annotate(n=Count("id")).order_by("level")
    }
    return DataPage(
        editions=[
            EditionInfo(e.code, e.name, e.population_year)
            for e in DeprivationEdition.objects.order_by(
                F("published").desc(nulls_last=True), "code"
            )
        ],
        areas_by_level=[(label, counts.get(level, 0)) for level, label in levels.items()],
        boundaries=Boundary.objects.count(),
        partnerships=Partnership.objects.count(),
        indicators=Indicator.objects.count(),
        observations=Observation.objects.count(),
        imports=list(ImportRun.objects.order_by("-started_at", "-id")[:10]),
    )
