"""Factories for fictional places (real places come from the loader)."""

from __future__ import annotations

import factory

from cplan.geography.models import Area, AreaLevel
from cplan.partnerships.models import Partnership


class AreaFactory(factory.django.DjangoModelFactory[Area]):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"S01{900000 + n:06d}")
    name = factory.Sequence(lambda n: f"South Borsetshire {n}")
    level = AreaLevel.DATA_ZONE


class CountryFactory(AreaFactory):
    code = "S92000003"
    name = "Scotland"
    level = AreaLevel.COUNTRY


class CouncilAreaFactory(AreaFactory):
    code = factory.Sequence(lambda n: f"S12{900000 + n:06d}")
    name = factory.Sequence(lambda n: f"Borsetshire {n}")
    level = AreaLevel.COUNCIL_AREA
    parent = factory.SubFactory(CountryFactory)


class IntermediateZoneFactory(AreaFactory):
    code = factory.Sequence(lambda n: f"S02{900000 + n:06d}")
    name = factory.Sequence(lambda n: f"Ambridge {n}")
    level = AreaLevel.INTERMEDIATE_ZONE
    parent = factory.SubFactory(CouncilAreaFactory)
    council_area = factory.SelfAttribute("parent")


class DataZoneFactory(AreaFactory):
    code = factory.Sequence(lambda n: f"S01{900000 + n:06d}")
    name = factory.Sequence(lambda n: f"Ambridge - {n:02d}")
    level = AreaLevel.DATA_ZONE
    parent = factory.SubFactory(IntermediateZoneFactory)
    council_area = factory.SelfAttribute("parent.council_area")


class PartnershipFactory(factory.django.DjangoModelFactory[Partnership]):
    class Meta:
        model = Partnership
        django_get_or_create = ("code",)

    council_area = factory.SubFactory(CouncilAreaFactory)
    code = factory.SelfAttribute("council_area.code")
    name = factory.SelfAttribute("council_area.name")
    slug = factory.Sequence(lambda n: f"borsetshire-{n}")
    deprivation_family_group = 1
    density_family_group = 1
