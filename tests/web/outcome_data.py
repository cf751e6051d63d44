"""Fictional CPP outcome measures on the fictional places (tests/web/places.py).

Child poverty (%, lower is better); Borsetshire and Felpersham share deprivation family group 4.

| area           | 2010/11 (imputed) | 2011/12 (observed) | 2012/13 (projected) |
|----------------|-------------------|--------------------|---------------------|
| Borsetshire    | 20.0              | 18.0               | 17.0                |
| Felpersham     | 14.0              | 12.0               | 11.5                |
| Loxley Barrett | 15.0              | 15.0               |                     |
| Scotland       | 16.0              | 15.0               | 14.5                |

Worked by hand (CPOP improvement rate = (last / first − 1) × 100):
- family 4 mean: 17.0 (2010/11), 15.0 (2011/12); its rate −11.76 %; Scotland's rate −6.25 %.
- Borsetshire: 18.0, 3rd best of 3, 2nd of 2 in its family; rate −10 % (improving). Against
  Scotland: value worse, rate better → amber. Against its family: value worse, rate worse → red.
- Felpersham: 12.0, 1st of 3; rate −14.29 %. Green against Scotland and against its family.
"""

from __future__ import annotations

import datetime as dt

from cplan.indicators.models import Indicator, Observation, Polarity, Unit, ValueKind
from tests.geography.factories import CountryFactory
from tests.indicators.factories import BreakdownFactory, IndicatorFactory
from tests.web.places import Places

PERIODS = {
    "2010/11": ValueKind.IMPUTED,
    "2011/12": ValueKind.OBSERVED,
    "2012/13": ValueKind.PROJECTED,
}
VALUES = {
    "S12900001": (20.0, 18.0, 17.0),
    "S12900002": (14.0, 12.0, 11.5),
    "S12900003": (15.0, 15.0, None),
    "S92000003": (16.0, 15.0, 14.5),
}
SOURCE = "Improvement Service, Community Planning Outcomes Profile (test figures)"


def build_outcomes(places: Places) -> Indicator:
    felpersham = places.partnerships["S12900002"]
    felpersham.deprivation_family_group = 4
    felpersham.save()
    scotland = CountryFactory()
    indicator = IndicatorFactory(
        code="cpop-cpp-child-poverty-test",
        name="Child poverty (CPP)",
        unit=Unit.PERCENT,
        unit_label="% of children",
        polarity=Polarity.LOWER_IS_BETTER,
        is_core=True,
        geography_levels=["country", "council_area"],
        source=SOURCE,
        topic="Poverty",
    )
    total = BreakdownFactory()
    areas = {**places.council_areas, scotland.code: scotland}
    Observation.objects.bulk_create(
        Observation(
            indicator=indicator,
            area=areas[code],
            period=period,
            period_start=dt.date(int(period[:4]), 4, 1),
            period_end=dt.date(int(period[:4]) + 1, 3, 31),
            breakdown=total,
            value=value,
            kind=kind,
        )
        for code, values in VALUES.items()
        for (period, kind), value in zip(PERIODS.items(), values, strict=True)
        if value is not None
    )
    return indicator
