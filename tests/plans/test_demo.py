"""The demo plans load on the real geography and CPOP data, once, and show what the pages need."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from cplan.core.models import ChangeRecord
from cplan.indicators.layouts import ImportOptions
from cplan.indicators.services import catalogue_load, observations_import
from cplan.partnerships.models import Partnership
from cplan.plans.demo import DEMO_PASSWORD, plans_demo_load
from cplan.plans.diff import version_diff
from cplan.plans.models import Challenge, PlanStatus, PlanVersion, ProgressUpdate
from cplan.plans.selectors import measure_rows, responsibility_matrix, scrutiny_pack
from cplan.plans.status import MeasureState

pytestmark = [pytest.mark.realdata, pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def cpop(real_geography: Path) -> Path:
    catalogue_load(outcomes_path=real_geography / "npf_national_outcomes_2018.csv", actor="test")
    report = observations_import(
        data=(real_geography / "cpop" / "cpp_outcomes.csv").read_bytes(),
        file_name="cpp_outcomes.csv",
        options=ImportOptions(),
        actor="test-suite",
    )
    assert report.ok, report.errors[:5]
    return real_geography


def test_the_demo_plans_load_once_and_read_true(cpop: Path) -> None:
    first = plans_demo_load()
    assert first.created == ["Glasgow City", "North Ayrshire", "Moray"]
    records = ChangeRecord.objects.count()
    again = plans_demo_load()
    assert (again.created, again.skipped) == ([], ["Glasgow City", "North Ayrshire", "Moray"])
    assert ChangeRecord.objects.count() == records
    assert User.objects.get(username="glasgow-officer").check_password(DEMO_PASSWORD)

    glasgow = Partnership.objects.get(code="S12000049")
    versions = PlanVersion.objects.filter(plan__partnership=glasgow).order_by("number")
    assert [v.status for v in versions] == [PlanStatus.SUPERSEDED, PlanStatus.PUBLISHED]
    diff = version_diff(versions[0], versions[1])
    [changed] = [item for item in diff.items if item.kind == "Measure"]
    # CPOP: Glasgow child poverty 21.63% in 2016/17; the refresh moved the target from −20% to −25%.
    assert [(f.name, f.before, f.after) for f in changed.fields] == [
        ("target value", "17.3", "16.2")
    ]
    assert PlanVersion.objects.filter(
        plan__partnership__code="S12000021", status=PlanStatus.DRAFT
    ).exists()

    current = versions[1]
    rows = {row.measure.indicator.code: row for row in measure_rows(current.measures.all())}
    poverty = rows["cpop-cpp-child-poverty"]
    assert poverty.measure.baseline_value == pytest.approx(21.63)
    # 21.63% (2016/17) → 25.08% (2021/22): moving away from a target of 16.2%.
    assert poverty.status.state == MeasureState.OFF_TRACK
    assert poverty.latest is not None
    assert (poverty.latest.period, round(poverty.latest.value, 2)) == ("2021/22", 25.08)
    assert all(row.data.series.points for row in rows.values())

    pack = scrutiny_pack(partnership=glasgow, as_of=dt.date(2025, 6, 11))
    titles = {row.commitment.title for row in pack.overdue} & {r.commitment.title for r in pack.red}
    assert titles == {"Community link workers in the 50 most deprived practices"}
    # The college's first update is dated 30 June 2025, after this meeting.
    assert {row.commitment.title for row in pack.never_updated} == {
        "Employability support for lone parents",
        "Guaranteed college or training place for every school leaver",
    }
    assert [c.status for c in pack.challenges] == ["answered"]
    matrix = {row.priority.title: row for row in responsibility_matrix(current)}
    assert matrix["Tackling poverty and inequality"].gaps == ["Allocates resources"]
    assert matrix["Healthier lives"].overlaps == ["Scrutinises performance"]
    # The NHS reports on the two commitments it leads (2 + 1 updates); the officer for others.
    assert ProgressUpdate.objects.filter(author__username="glasgow-nhs-lead").count() == 3
    assert Challenge.objects.filter(status="open").count() == 1
