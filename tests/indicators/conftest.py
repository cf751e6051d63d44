"""Fictional places and indicators for importer tests, and a helper that imports a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.db.models import QuerySet

from cplan.geography.models import Area, AreaCodeAlias, AreaLevel
from cplan.indicators.layouts import ImportOptions
from cplan.indicators.models import Indicator, Observation, Unit
from cplan.indicators.services import ImportReport, observations_import
from tests.geography.factories import (
    CouncilAreaFactory,
    CountryFactory,
    DataZoneFactory,
    IntermediateZoneFactory,
)
from tests.indicators.factories import IndicatorFactory

DATA = Path(__file__).parent / "data"

Importer = Callable[..., ImportReport]


def written() -> QuerySet[Observation]:
    """The observations these tests write (the real geography, when loaded, brings others)."""
    return Observation.objects.filter(
        indicator__code__in=["test-rate", "test-count"]
    ) | Observation.objects.filter(indicator__code__startswith="cpop-")


@pytest.fixture
def places(db: None) -> dict[str, Area]:
    """Scotland → Borsetshire (S12900001, formerly S12900099) → Ambridge IZ → two data zones."""
    scotland = CountryFactory()
    council = CouncilAreaFactory(code="S12900001", name="Borsetshire", parent=scotland)
    AreaCodeAlias.objects.create(code="S12900099", area=council, note="fictional former code")
    zone = IntermediateZoneFactory(code="S02900001", name="Ambridge", parent=council)
    first = DataZoneFactory(code="S01900001", parent=zone)
    second = DataZoneFactory(code="S01900002", parent=zone)
    assert council.level == AreaLevel.COUNCIL_AREA
    return {"scotland": scotland, "council": council, "iz": zone, "dz1": first, "dz2": second}


@pytest.fixture
def indicators(db: None) -> dict[str, Indicator]:
    return {
        "rate": IndicatorFactory(code="test-rate", unit=Unit.PERCENT, multiplier=100),
        "count": IndicatorFactory(code="test-count", unit=Unit.COUNT, multiplier=1),
    }


@pytest.fixture
def import_file(places: dict[str, Area], indicators: dict[str, Indicator]) -> Importer:
    """Import a file from tests/indicators/data (a name) or given bytes, with the options given."""

    def run(source: str | bytes, *, force: bool = False, **options: object) -> ImportReport:
        data = source if isinstance(source, bytes) else (DATA / source).read_bytes()
        name = "upload.csv" if isinstance(source, bytes) else source
        return observations_import(
            data=data,
            file_name=name,
            options=ImportOptions(**options),  # type: ignore[arg-type]
            actor="test-suite",
            force=force,
        )

    return run
