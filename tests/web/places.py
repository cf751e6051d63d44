"""A small fictional Scotland for the page tests: three council areas with known figures.

Worked example (population in SIMD national quintile 1 / population):
- Borsetshire: 1,500 / 4,000 = 37.5 %
- Felpersham:    900 / 5,000 = 18.0 %
- Loxley Barrett:  0 / 2,000 =  0.0 %
- Scotland:    2,400 / 11,000 = 21.8 %

The places use their own deprivation edition, flagged current and dated after any real one, so
the tests hold whether or not the real geography (tests/conftest.py ``real_geography``) is also
in the test database: selectors read the current edition, and the real areas have no rows in it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cplan.geography.models import Area, Boundary, Deprivation, DeprivationEdition
from cplan.partnerships.models import Partnership
from tests.geography.factories import (
    CouncilAreaFactory,
    DataZoneFactory,
    IntermediateZoneFactory,
    PartnershipFactory,
)

# council area -> intermediate zone -> data zones as (population, national quintile, local
# quintile, SIMD rank)
LAYOUT: dict[tuple[str, str], dict[tuple[str, str], list[tuple[int, int, int, int]]]] = {
    ("S12900001", "Borsetshire"): {
        ("S02900011", "Ambridge"): [(800, 1, 1, 12), (700, 1, 1, 240), (500, 3, 3, 3100)],
        ("S02900012", "Penny Hassett"): [(1000, 5, 5, 6800), (600, 2, 2, 1500), (400, 4, 4, 5000)],
    },
    ("S12900002", "Felpersham"): {
        ("S02900021", "Hollerton"): [(900, 1, 1, 800), (900, 5, 5, 6500), (1200, 4, 4, 4700)],
        ("S02900022", "Darrington"): [(1000, 2, 2, 2000), (1000, 3, 3, 3500)],
    },
    ("S12900003", "Loxley Barrett"): {
        ("S02900031", "Edgeley"): [(1000, 5, 5, 6900), (1000, 4, 4, 5500)],
    },
}
CODES = ("S12900001", "S12900002", "S12900003")
SLUGS = {"S12900001": "borsetshire", "S12900002": "felpersham", "S12900003": "loxley-barrett"}
FAMILY_GROUPS = {"S12900001": (4, 3), "S12900002": (2, 4), "S12900003": (1, 1)}
# Squares of one degree in Scotland's longitude/latitude, wound as GeoJSON (anticlockwise).
CORNERS = {"S12900001": (-5.0, 56.0), "S12900002": (-4.0, 56.0), "S12900003": (-4.0, 57.0)}


def square(west: float, south: float) -> dict[str, object]:
    ring = [[west, south], [west + 1, south], [west + 1, south + 1], [west, south + 1]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


@dataclass
class Places:
    edition: DeprivationEdition
    partnerships: dict[str, Partnership]
    council_areas: dict[str, Area]


def build_places(*, boundaries: bool = True, deprivation: bool = True) -> Places:
    edition = DeprivationEdition.objects.create(
        code="TEST-SIMD",
        name="Test SIMD",
        published=dt.date(2099, 1, 1),
        population_year=2017,
        is_current=True,
    )
    partnerships: dict[str, Partnership] = {}
    council_areas: dict[str, Area] = {}
    for (ca_code, ca_name), zones in LAYOUT.items():
        council = CouncilAreaFactory(code=ca_code, name=ca_name)
        council_areas[ca_code] = council
        deprivation_group, density_group = FAMILY_GROUPS[ca_code]
        partnerships[ca_code] = PartnershipFactory(
            council_area=council,
            slug=SLUGS[ca_code],
            deprivation_family_group=deprivation_group,
            density_family_group=density_group,
        )
        if boundaries:
            Boundary.objects.create(area=council, geometry=square(*CORNERS[ca_code]))
        for (iz_code, iz_name), data_zones in zones.items():
            zone = IntermediateZoneFactory(code=iz_code, name=iz_name, parent=council)
            for number, (population, quintile, local, rank) in enumerate(data_zones, start=1):
                data_zone = DataZoneFactory(
                    code=f"S01{iz_code[5:]}{number:02d}",
                    name=f"{iz_name} - {number:02d}",
                    parent=zone,
                )
                if deprivation:
                    Deprivation.objects.create(
                        edition=edition,
                        area=data_zone,
                        rank=rank,
                        vigintile=4 * quintile - 3,
                        decile=2 * quintile - 1,
                        quintile=quintile,
                        local_quintile=local,
                        population=population,
                    )
    return Places(edition=edition, partnerships=partnerships, council_areas=council_areas)
