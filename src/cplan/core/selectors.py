"""Reads that span apps: what is loaded (``cplan status``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Count

from cplan.geography.models import Area, AreaLevel, DeprivationEdition
from cplan.indicators.models import ImportRun, Indicator
from cplan.partnerships.models import Partnership


@dataclass(frozen=True)
class ImportSummary:
    file_name: str
    layout: str
    status: str
    actor: str
    started_at: str
    rows_read: int


@dataclass(frozen=True)
class PlatformStatus:
    areas_by_level: dict[str, int]
    deprivation_editions: list[str]
    partnerships: int
    indicators: int
    observations_by_indicator: dict[str, int] = field(default_factory=dict)
    last_imports: list[ImportSummary] = field(default_factory=list)

    @property
    def observations(self) -> int:
        return sum(self.observations_by_indicator.values())

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "observations": self.observations}


def platform_status(*, last_imports: int = 5) -> PlatformStatus:
    counts = dict(Area.objects.values_list("level").annotate(n=Count("id")).order_by("level"))
    by_level = {level.value: int(counts.get(level.value, 0)) for level in AreaLevel}
    observations = dict(
        Indicator.objects.annotate(n=Count("observations"))
        .order_by("code")
        .values_list("code", "n")
    )
    imports = [
        ImportSummary(
            file_name=run.file_name,
            layout=run.layout,
            status=run.status,
            actor=run.actor,
            started_at=run.started_at.isoformat(timespec="seconds"),
            rows_read=run.rows_read,
        )
        for run in ImportRun.objects.order_by("-started_at", "-id")[:last_imports]
    ]
    return PlatformStatus(
        areas_by_level=by_level,
        deprivation_editions=list(DeprivationEdition.objects.values_list("code", flat=True)),
        partnerships=Partnership.objects.count(),
        indicators=Indicator.objects.count(),
        observations_by_indicator=observations,
        last_imports=imports,
    )
