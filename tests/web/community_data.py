"""Fictional CPOP community measures on the fictional places (tests/web/places.py).

Two measures, child poverty (%, lower is better) and attainment (higher is better), 2010/11
(imputed) and 2021/22 (observed); Ambridge also has a 2022/23 projection, which is never scored.
CPOP typology groups: 1 = Ambridge, Hollerton, Edgeley; 2 = Penny Hassett, Darrington.
Income-deprived people (SIMD counts by data zone): Ambridge 30 %, Penny Hassett 10 %,
Hollerton 20 %, Darrington 15 %, Edgeley 5 %.

| community (CPP)             | child poverty 10/11 → 21/22 | attainment 10/11 → 21/22 |
|-----------------------------|-----------------------------|--------------------------|
| Ambridge (Borsetshire)      | 30 → 24                     | 4.0 → 5.0                |
| Penny Hassett (Borsetshire) | 10 → 9                      | 6.0 → 6.3                |
| Hollerton (Felpersham)      | 20 → 20                     | 5.0 → 5.0                |
| Darrington (Felpersham)     | 16 → 12                     | 5.0 → 5.5                |
| Edgeley (Loxley Barrett)    | 8 → 6                       | 6.0 → 6.6                |

Worked by hand (CPOP: z-scores with the sample standard deviation; s = polarity):
- Within a CPP of two communities every score is ±1/√2 = ±0.7071. Ambridge is worse than Penny
  Hassett on both measures in 2021/22: combined CPPScore −1.4142, rank 1 (poorest outcomes).
  Hollerton is worse than Darrington on both: −1.4142. Edgeley is alone in Loxley Barrett, so it
  has no CPP score (fewer than two communities).
- Typology group 1, child poverty 2021/22: 24, 20, 6, mean 16.667, sd 9.4516; attainment 5.0, 5.0,
  6.6, mean 5.5333, sd 0.92376. Ambridge's TypeScores −0.7759 and −0.5774, combined −1.3533
  (worse than similar communities); Edgeley's +1.1286 and +1.1547, combined +2.2833.
- Improvement Change = s·(last/first − 1): child poverty Ambridge 0.20, Penny Hassett 0.10;
  attainment Ambridge 0.25, Penny Hassett 0.05. Ambridge improved more on both, so Penny Hassett
  has the least improvement (combined CPPChangeScore −1.4142, rank 1). In Felpersham Hollerton
  (child poverty 0, attainment 0) improved least.
- Vulnerable communities (lowest combined CPPScore in 2010/11): Ambridge 1st, Penny Hassett 2nd.
  Ambridge's child poverty fell 20 %, the CPP average (30+10)/2 = 20 → (24+9)/2 = 16.5 fell 17.5 %:
  faster. Penny Hassett's fell 10 %: slower.
- Averages in 2021/22: Borsetshire's communities' child poverty 16.5; typology group 1's 16.667.
"""

from __future__ import annotations

import datetime as dt

from cplan.geography.models import Area, Typology, TypologyMembership
from cplan.indicators.models import Indicator, Observation, Polarity, Unit, ValueKind
from tests.indicators.factories import BreakdownFactory, IndicatorFactory
from tests.web.places import LAYOUT, Places

SOURCE = "Improvement Service, Community Planning Outcomes Profile (test community figures)"
CHILD_POVERTY = {
    "S02900011": (30.0, 24.0),
    "S02900012": (10.0, 9.0),
    "S02900021": (20.0, 20.0),
    "S02900022": (16.0, 12.0),
    "S02900031": (8.0, 6.0),
}
ATTAINMENT = {
    "S02900011": (4.0, 5.0),
    "S02900012": (6.0, 6.3),
    "S02900021": (5.0, 5.0),
    "S02900022": (5.0, 5.5),
    "S02900031": (6.0, 6.6),
}
PROJECTED = ("S02900011", "cpop-iz-child-poverty", 23.0)
TYPOLOGY = {"S02900011": 1, "S02900021": 1, "S02900031": 1, "S02900012": 2, "S02900022": 2}
TYPOLOGY_NAMES = {1: "Small towns, average deprivation", 2: "Villages, low deprivation"}
INCOME_DEPRIVED = {
    "S02900011": 30,
    "S02900012": 10,
    "S02900021": 20,
    "S02900022": 15,
    "S02900031": 5,
}
YEARS = {"2010/11": ValueKind.IMPUTED, "2021/22": ValueKind.OBSERVED}


def _observation(
    indicator: Indicator, area: Area, period: str, value: float, kind: str, **counts: float
) -> Observation:
    start = int(period[:4])
    return Observation(
        indicator=indicator,
        area=area,
        period=period,
        period_start=dt.date(start, 4, 1),
        period_end=dt.date(start + 1, 3, 31),
        breakdown=BreakdownFactory(),
        value=value,
        kind=kind,
        **counts,
    )


def build_communities(places: Places) -> None:
    zones = {a.code: a for a in Area.objects.filter(code__in=list(TYPOLOGY))}
    common = {"source": SOURCE, "is_core": True, "geography_levels": ["intermediate_zone"]}
    child_poverty = IndicatorFactory(
        code="cpop-iz-child-poverty",
        name="Child poverty (community)",
        unit=Unit.PERCENT,
        polarity=Polarity.LOWER_IS_BETTER,
        topic="Poverty",
        **common,
    )
    attainment = IndicatorFactory(
        code="cpop-iz-attainment",
        name="Average highest attainment (community)",
        unit=Unit.SCORE,
        polarity=Polarity.HIGHER_IS_BETTER,
        topic="Education",
        **common,
    )
    rows = [
        _observation(indicator, zones[code], period, value, kind)
        for indicator, table in ((child_poverty, CHILD_POVERTY), (attainment, ATTAINMENT))
        for code, values in table.items()
        for (period, kind), value in zip(YEARS.items(), values, strict=True)
    ]
    code, _, value = PROJECTED
    rows.append(_observation(child_poverty, zones[code], "2022/23", value, ValueKind.PROJECTED))

    income = IndicatorFactory(
        code="simd-income-deprived",
        name="Income deprived people (SIMD 2020v2)",
        unit=Unit.PERCENT,
        multiplier=100.0,
        polarity=Polarity.LOWER_IS_BETTER,
        geography_levels=["data_zone"],
    )
    for layout in LAYOUT.values():
        for (zone_code, _name), data_zones in layout.items():
            for number in range(1, len(data_zones) + 1):
                data_zone = Area.objects.get(code=f"S01{zone_code[5:]}{number:02d}")
                share = INCOME_DEPRIVED[zone_code]
                rows.append(
                    _observation(
                        income,
                        data_zone,
                        "2017",
                        float(share),
                        ValueKind.OBSERVED,
                        numerator=share,
                        denominator=100,
                    )
                )
    Observation.objects.bulk_create(rows)

    # The real typology is there when the real geography is loaded in the test database.
    typology, _ = Typology.objects.get_or_create(
        code="cpop", defaults={"name": "CPOP community typology"}
    )
    TypologyMembership.objects.bulk_create(
        TypologyMembership(
            typology=typology,
            area=zones[code],
            group_number=group,
            group_name=TYPOLOGY_NAMES[group],
        )
        for code, group in TYPOLOGY.items()
    )


# Synthetic data-zone counts of child poverty (denominator 100 in every data zone), by national
# SIMD quintile. Borsetshire's data zones hold every quintile once, quintile 1 twice (Ambridge 01
# and 02); Felpersham's are 20 % everywhere. Borsetshire's gap (quintile 1 − 5) narrows 30 → 24 → 18.
QUINTILE_PERIODS = ("2019/20", "2020/21", "2021/22")
BORSETSHIRE_RATES = {
    1: (40.0, 36.0, 32.0),
    2: (30.0, 28.0, 26.0),
    3: (20.0, 20.0, 20.0),
    4: (15.0, 16.0, 17.0),
    5: (10.0, 12.0, 14.0),
}
BORSETSHIRE_ZONES = {
    "S01001101": 1,
    "S01001102": 1,
    "S01001103": 3,
    "S01001201": 5,
    "S01001202": 2,
    "S01001203": 4,
}
FELPERSHAM_ZONES = ("S01002101", "S01002102", "S01002103", "S01002201", "S01002202")
FELPERSHAM_RATE = 20.0


def build_quintile_counts() -> None:
    """Synthetic data-zone counts (run after :func:`build_communities`)."""
    indicator = Indicator.objects.get(code="cpop-iz-child-poverty")
    zones = {
        a.code: a for a in Area.objects.filter(code__in=[*BORSETSHIRE_ZONES, *FELPERSHAM_ZONES])
    }
    rates = {
        **{code: BORSETSHIRE_RATES[q] for code, q in BORSETSHIRE_ZONES.items()},
        **{code: (FELPERSHAM_RATE,) * len(QUINTILE_PERIODS) for code in FELPERSHAM_ZONES},
    }
    Observation.objects.bulk_create(
        _observation(
            indicator,
            zones[code],
            period,
            rate,
            ValueKind.SYNTHETIC,
            numerator=rate,
            denominator=100.0,
        )
        for code, series in rates.items()
        for period, rate in zip(QUINTILE_PERIODS, series, strict=True)
    )
