"""Reads behind the pages."""

from __future__ import annotations

from typing import Any

from cplan.geography.models import Area, AreaLevel
from cplan.partnerships.models import Partnership


def scotland_page() -> dict[str, Any]:
    return {"partnerships": list(Partnership.objects.select_related("council_area"))}


def partnership_page(*, partnership: Partnership) -> dict[str, Any]:
    zones = Area.objects.filter(
        level=AreaLevel.INTERMEDIATE_ZONE, council_area=partnership.council_area
    ).order_by("name")
    return {"partnership": partnership, "intermediate_zones": list(zones)}
