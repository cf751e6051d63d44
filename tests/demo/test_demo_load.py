"""``cplan demo`` on the real files: everything goes through the importers, the synthetic series is
labelled and adds up to the real intermediate-zone values."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from django.contrib.auth.models import User
from django.db.models import Sum

from cplan.audit.models import Recommendation
from cplan.demo.services import DEMO_USERNAME, demo_load
from cplan.geography.models import Area, AreaLevel
from cplan.indicators.models import ImportRun, Observation, ValueKind
from cplan.plans.demo import DEMO_PASSWORD


@pytest.mark.django_db
def test_demo_loads_real_data_and_labelled_synthetic_series(real_geography: Path) -> None:
    lines: list[str] = []
    demo_load(data_dir=real_geography, say=lines.append)

    # Real CPOP files imported with their published row counts, through recorded import runs.
    runs = {run.file_name: run for run in ImportRun.objects.all()}
    assert runs["cpp_outcomes.csv"].rows_read == 8811
    assert runs["iz_outcomes.csv"].rows_read == 153480
    assert runs["datazone_outcomes_latest.csv"].rows_read == 6976

    synthetic = Observation.objects.filter(kind=ValueKind.SYNTHETIC)
    assert synthetic.count() == runs["synthetic_datazone_series.csv"].rows_read
    assert not synthetic.exclude(area__level=AreaLevel.DATA_ZONE).exists()
    assert not Observation.objects.filter(
        area__level=AreaLevel.INTERMEDIATE_ZONE, kind=ValueKind.SYNTHETIC
    ).exists()

    # Culter's child poverty: the synthetic DZ counts add up to the real IZ value (whole counts).
    culter = Area.objects.get(code="S02001236")
    real = Observation.objects.get(
        indicator__code="cpop-iz-child-poverty", area=culter, period="2015/16"
    )
    sums = synthetic.filter(
        indicator__code="cpop-iz-child-poverty", area__parent=culter, period="2015/16"
    ).aggregate(num=Sum("numerator"), den=Sum("denominator"))
    assert sums["num"] == pytest.approx(real.value / 100 * sums["den"], abs=0.5)

    assert Recommendation.objects.filter(report__code="CP2016").count() == 13
    assert User.objects.get(username=DEMO_USERNAME).check_password(DEMO_PASSWORD)
    assert any("labelled synthetic" in line for line in lines)


def test_synthetic_series_has_one_row_per_zone_year_and_measure(real_data_dir: Path) -> None:
    from cplan.demo.services import data_zone_frame
    from cplan.demo.synthetic import CPOP_SYNTHETIC_MEASURES, synthesise_cpop_measures

    iz = pd.read_csv(real_data_dir / "cpop" / "iz_outcomes.csv")
    series = synthesise_cpop_measures(data_zone_frame(real_data_dir), iz)
    assert set(series) == {m.name for m in CPOP_SYNTHETIC_MEASURES}
    for frame in series.values():
        assert not frame.duplicated(["area_code", "period"]).any()
        assert set(frame["period"]) <= {f"{y}/{(y + 1) % 100:02d}" for y in range(2010, 2022)}
