"""Reads about areas. Codes are resolved through former codes (aliases), never through names."""

from __future__ import annotations

from collections.abc import Iterable

from cplan.geography.models import Area, AreaCodeAlias, AreaLevel


def area_code_map() -> dict[str, int]:
    """Every code the platform knows (current and former) → the area's id, in one query."""
    current = Area.objects.order_by().values_list("code", "id")
    former = AreaCodeAlias.objects.order_by().values_list("code", "area_id")
    return dict(current.union(former, all=True))


LOOKUP_BATCH = 5000  # codes per query: stays under SQLite's limit on query parameters


def resolve_area_codes(codes: Iterable[str]) -> dict[str, int]:
    """The area id of each code given (current or former; case and surrounding spaces ignored),
    keyed by the code as given; unknown codes are left out.

    Importers call it once with a file's distinct codes and then map millions of rows through the
    dict; a form calls it with one code. Only the codes asked for are read.
    """
    given = {code: code.strip().upper() for code in codes}
    wanted = sorted(set(given.values()))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), LOOKUP_BATCH):
        batch = wanted[start : start + LOOKUP_BATCH]
        found.update(AreaCodeAlias.objects.filter(code__in=batch).values_list("code", "area_id"))
        found.update(Area.objects.filter(code__in=batch).values_list("code", "id"))
    return {code: found[norm] for code, norm in given.items() if norm in found}


def area_by_code(code: str) -> Area | None:
    area_id = resolve_area_codes([code]).get(code)
    return None if area_id is None else Area.objects.get(pk=area_id)


def intermediate_zones_of(council_area: Area) -> list[Area]:
    return list(
        Area.objects.filter(level=AreaLevel.INTERMEDIATE_ZONE, council_area=council_area).order_by(
            "name"
        )
    )
