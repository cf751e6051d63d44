"""``cplan demo`` without any official data: a download list, then a fully synthetic demo."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from django.db.models import Count, Sum

from cplan.demo.offline import COUNCIL_AREAS
from cplan.demo.services import demo_load
from cplan.geography.models import Area, AreaLevel, Deprivation, Population
from cplan.indicators.models import Observation, ValueKind
from cplan.partnerships.models import Partnership


def _table_counts() -> dict[str, int]:
    return {
        "areas": Area.objects.count(),
        "deprivation": Deprivation.objects.count(),
        "population": Population.objects.count(),
        "observations": Observation.objects.count(),
        "partnerships": Partnership.objects.count(),
    }


@pytest.mark.django_db
def test_demo_without_data_directory_is_fully_synthetic(tmp_path: Path) -> None:
    lines: list[str] = []
    demo_load(data_dir=tmp_path, say=lines.append)

    assert f"To load the real data, download these files into {tmp_path}:" in lines[0]
    assert "simd2020v2_datazones.csv" in lines[0]
    assert "https://www.improvementservice.org.uk/" in lines[0]

    real_councils = pd.read_csv(COUNCIL_AREAS)
    councils = dict(Area.objects.filter(level=AreaLevel.COUNCIL_AREA).values_list("code", "name"))
    assert councils == dict(zip(real_councils["code"], real_councils["name"], strict=True))
    assert councils["S12000047"] == "Fife"
    assert Partnership.objects.get(code="S12000049").deprivation_family_group == 4
    assert not Area.objects.filter(code__regex=r"^S0[12]").exists()
    zones = Area.objects.filter(level__in=[AreaLevel.INTERMEDIATE_ZONE, AreaLevel.DATA_ZONE])
    assert zones.exclude(name__endswith="(synthetic)").count() == 0
    iz_per_council = (
        Area.objects.filter(level=AreaLevel.INTERMEDIATE_ZONE)
        .values("parent__code")
        .annotate(n=Count("id"))
    )
    sizes = {row["parent__code"]: row["n"] for row in iz_per_council}
    assert sizes["S12000049"] == 27
    assert sizes["S12000023"] == 4

    assert Observation.objects.exclude(kind=ValueKind.SYNTHETIC).count() == 0
    assert Deprivation.objects.filter(edition__code="SYNTHETIC").count() == (
        Area.objects.filter(level=AreaLevel.DATA_ZONE).count()
    )

    # An intermediate zone's value is its data zones' summed numerators over denominators.
    iz = Area.objects.filter(level=AreaLevel.INTERMEDIATE_ZONE).order_by("code").first()
    assert iz is not None
    for code, multiplier in (("cpop-iz-child-poverty", 100), ("cpop-iz-crime-rate", 10_000)):
        value = Observation.objects.get(indicator__code=code, area=iz, period="2015/16").value
        sums = Observation.objects.filter(
            indicator__code=code, area__parent=iz, period="2015/16"
        ).aggregate(num=Sum("numerator"), den=Sum("denominator"))
        assert value == pytest.approx(sums["num"] / sums["den"] * multiplier, rel=1e-6)
    glasgow = Observation.objects.get(
        indicator__code="cpop-cpp-child-poverty", area__code="S12000049", period="2021/22"
    )
    orkney = Observation.objects.get(
        indicator__code="cpop-cpp-child-poverty", area__code="S12000023", period="2021/22"
    )
    assert glasgow.value is not None
    assert orkney.value is not None
    assert glasgow.value > orkney.value  # family group 4 is more deprived than group 1

    before = _table_counts()
    values = list(Observation.objects.order_by("pk").values_list("value", flat=True))
    demo_load(data_dir=tmp_path, say=lines.append)
    assert _table_counts() == before
    assert list(Observation.objects.order_by("pk").values_list("value", flat=True)) == values
