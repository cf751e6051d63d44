from __future__ import annotations

import datetime as dt

import factory

from cplan.indicators.models import Breakdown, Indicator, Observation, Polarity, Unit
from tests.geography.factories import DataZoneFactory


class IndicatorFactory(factory.django.DjangoModelFactory[Indicator]):
    class Meta:
        model = Indicator
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"test-indicator-{n}")
    name = factory.Sequence(lambda n: f"Test indicator {n}")
    unit = Unit.PERCENT
    multiplier = 100.0
    polarity = Polarity.LOWER_IS_BETTER


class BreakdownFactory(factory.django.DjangoModelFactory[Breakdown]):
    class Meta:
        model = Breakdown
        django_get_or_create = ("key",)

    key = Breakdown.TOTAL_KEY
    dimensions = factory.LazyFunction(dict)


class ObservationFactory(factory.django.DjangoModelFactory[Observation]):
    class Meta:
        model = Observation

    indicator = factory.SubFactory(IndicatorFactory)
    area = factory.SubFactory(DataZoneFactory)
    period = "2019"
    period_start = dt.date(2019, 1, 1)
    period_end = dt.date(2019, 12, 31)
    breakdown = factory.SubFactory(BreakdownFactory)
    value = 20.0
    numerator = 400.0
    denominator = 2000.0
