"""Reads about areas. Codes are resolved through former codes (aliases), never through names."""

from __future__ import annotations

from collections.abc import Iterable

from cplan.geography.models import Area, AreaCodeAlias, AreaLevel


def area_code_map() -> dict[str, int]:
    """Every code the platform knows (current and former) → the area's id, in one query."""
    current = Area.objects.order_by().values_list("code", "id")
    former = AreaCodeAlias.objects.order_by().values_list("code", "area_id")
    return dict(current.union(former, all=True))


def resolve_area_codes(codes: Iterable[str]) -> dict[str, int]:
    """The area id of each code given (current or former); unknown codes are left out.

    One query however many codes: importers call it once with a file's distinct codes and then
    map millions of rows through the dict.
    """
    known = area_code_map()
    return {code: known[code] for code in set(codes) if code in known}


def area_by_code(code: str) -> Area | None:
    area_id = resolve_area_codes([code]).get(code)
    return None if area_id is None else Area.objects.get(pk=area_id)


def intermediate_zones_of(council_area: Area) -> list[Area]:
    return list(
        Area.objects.filter(level=AreaLevel.INTERMEDIATE_ZONE, council_area=council_area).order_by(
            "name"
        )
    )
