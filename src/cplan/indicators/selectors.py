"""Reading indicators, observations and import runs."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.db.models.functions import Substr

from cplan.geography.models import Area
from cplan.geography.selectors import resolve_area_codes
from cplan.indicators.breakdowns import TOTAL_KEY
from cplan.indicators.models import ImportRun, Indicator, Observation, Unit, ValueKind
from cplan.indicators.validation import AREA_TYPE_LENGTH, IndicatorRef, Lookups


def held_area_types() -> frozenset[str]:
    """The code prefixes (S12, S02, …) of the areas the platform holds."""
    prefixes = (
        Area.objects.annotate(prefix=Substr("code", 1, AREA_TYPE_LENGTH))
        .values_list("prefix", flat=True)
        .distinct()
    )
    return frozenset(str(prefix) for prefix in prefixes)


def indicator_refs(codes: Iterable[str]) -> dict[str, IndicatorRef]:
    rows = Indicator.objects.filter(code__in=set(codes)).values_list("code", "id", "unit")
    return {
        code: IndicatorRef(id=pk, is_proportion=unit == Unit.PERCENT) for code, pk, unit in rows
    }


class DatabaseLookups:
    """The importer's look-ups, from the database."""

    def lookups_for(self, area_codes: list[str], indicator_codes: list[str]) -> Lookups:
        return Lookups(
            indicators=indicator_refs(indicator_codes),
            areas=resolve_area_codes(area_codes),
            held_area_types=held_area_types(),
            kinds=frozenset(ValueKind.values),
        )


def import_run_matching(*, sha256: str, options: dict[str, object]) -> ImportRun | None:
    """The last completed import of the same bytes with the same options, if any."""
    for run in ImportRun.objects.filter(sha256=sha256, status="completed").order_by("-id"):
        if run.options == options:
            return run
    return None


def import_run_list(*, limit: int = 20) -> QuerySet[ImportRun]:
    return ImportRun.objects.select_related("user").order_by("-started_at", "-id")[:limit]


def observations_by_simd_quintile(
    *, indicator: Indicator, area_id: int, period: str, base_key: str = TOTAL_KEY
) -> dict[int | None, Observation]:
    """An indicator's SIMD-quintile breakdown for one area and period: quintile (1 = most deprived)
    → observation, and ``None`` → the total of the same breakdown (``base_key``), when published."""
    rows = Observation.objects.filter(
        indicator=indicator, area_id=area_id, period=period, breakdown__simd_base_key=base_key
    ).select_related("breakdown")
    result: dict[int | None, Observation] = {}
    for observation in rows:
        quintile = observation.breakdown.simd_quintile
        if quintile is not None or observation.breakdown.key == base_key:
            result[quintile] = observation
    return result
