"""``observations_import``: each layout, the upsert, re-imports and the import run it records."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import DatabaseError

from cplan.core.models import ChangeAction, ChangeRecord
from cplan.geography.models import Area
from cplan.indicators.models import Breakdown, ImportRun, ImportStatus, Indicator, Observation
from cplan.indicators.selectors import observations_by_simd_quintile
from cplan.indicators.services import breakdowns_ensure
from tests.indicators.conftest import Importer, written
from tests.indicators.factories import IndicatorFactory

TEMPLATE = (
    b"indicator,area_code,period,breakdown,value,numerator,denominator,lower_ci,upper_ci,kind,provisional\n"
    b"test-rate,S12900001,2019/2020,All,20,400,2000,18.3052,21.8099,,\n"
    b"test-rate,S01900001,2019/20,Sex=Female|Age=All|Age band=16-24,0,0,50,0,7.135,projected,yes\n"
    b"test-count,S12900099,2019 Q1,All,12,,,,,observed,false\n"
)


def observation(code: str, indicator: str, period: str, key: str = "All") -> Observation:
    return Observation.objects.get(
        area__code=code, indicator__code=indicator, period=period, breakdown__key=key
    )


def test_template_rows_become_observations(import_file: Importer, places: dict[str, Area]) -> None:
    report = import_file(TEMPLATE)

    assert report.ok
    assert (report.rows_read, report.created, report.updated, report.unchanged) == (3, 3, 0, 0)
    total = observation("S12900001", "test-rate", "2019/20")
    assert (total.value, total.numerator, total.denominator) == (20, 400, 2000)
    assert (total.lower_ci, total.upper_ci) == (18.3052, 21.8099)
    assert (total.period_start, total.period_end) == (dt.date(2019, 4, 1), dt.date(2020, 3, 31))
    assert (total.kind, total.provisional) == ("observed", False)
    young_women = observation("S01900001", "test-rate", "2019/20", "Age band=16-24|Sex=Female")
    assert (young_women.value, young_women.kind, young_women.provisional) == (0, "projected", True)
    assert young_women.breakdown.dimensions == {"Age band": "16-24", "Sex": "Female"}
    former_code = observation("S12900001", "test-count", "2019 Q1")
    assert former_code.area == places["council"]
    assert former_code.period_end == dt.date(2019, 3, 31)
    assert former_code.numerator is None


def test_import_run_records_file_hash_who_and_counts(import_file: Importer) -> None:
    report = import_file(TEMPLATE)

    run = ImportRun.objects.get(pk=report.run_id)
    assert run.sha256 == hashlib.sha256(TEMPLATE).hexdigest()
    assert (run.actor, run.layout, run.status) == ("test-suite", "template", ImportStatus.COMPLETED)
    assert (run.rows_read, run.rows_created, run.rows_updated, run.rows_unchanged) == (3, 3, 0, 0)
    assert run.finished_at is not None
    assert set(written().values_list("import_run", flat=True)) == {run.pk}
    history = ChangeRecord.objects.get(object_type="indicators.ImportRun", object_id=str(run.pk))
    assert history.action == ChangeAction.IMPORT
    assert history.after == {
        "rows_read": 3,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
    }


def test_same_bytes_again_are_already_imported(import_file: Importer) -> None:
    first = import_file(TEMPLATE)

    again = import_file(TEMPLATE)

    assert again.ok
    assert again.status == ImportStatus.UNCHANGED
    assert again.same_as_run_id == first.run_id
    assert written().count() == 3
    assert ImportRun.objects.get(pk=again.run_id).notes == {"same_as_run": first.run_id}


def test_forced_reimport_changes_nothing(import_file: Importer) -> None:
    first = import_file(TEMPLATE)

    again = import_file(TEMPLATE, force=True)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert set(written().values_list("import_run", flat=True)) == {first.run_id}


def test_changed_file_updates_only_what_changed(import_file: Importer) -> None:
    first = import_file(TEMPLATE)
    changed = TEMPLATE.replace(
        b"test-count,S12900099,2019 Q1,All,12", b"test-count,S12900099,2019 Q1,All,13"
    )

    second = import_file(changed)

    assert (second.created, second.updated, second.unchanged) == (0, 1, 2)
    updated = observation("S12900001", "test-count", "2019 Q1")
    assert (updated.value, updated.import_run_id) == (13, second.run_id)
    assert observation("S12900001", "test-rate", "2019/20").import_run_id == first.run_id
    assert written().count() == 3


def test_new_rows_for_an_indicator_already_held_are_added(import_file: Importer) -> None:
    import_file(TEMPLATE)
    more = TEMPLATE + b"test-count,S12900001,2019 Q2,All,14,,,,,,\n"

    report = import_file(more)

    assert (report.created, report.updated, report.unchanged) == (1, 0, 3)


TIDY = (
    b"FeatureCode,FeatureName,DateCode,Measurement,Units,Value,Sex,SIMD quintiles\n"
    b"S12900001,Borsetshire,2014-2017,Percent,Percent Of Children,25,All,1 - most deprived\n"
    b'S12900001,Borsetshire,2014-2017,"95% Lower Confidence Limit, Percent",Percent Of Children,22.5,All,1 - most deprived\n'
    b'S12900001,Borsetshire,2014-2017,"95% Upper Confidence Limit, Percent",Percent Of Children,27.5,All,1 - most deprived\n'
    b"S12900001,Borsetshire,2014-2017,Count,Children,250,All,1 - most deprived\n"
    b"S12900001,Borsetshire,2014-2017,Percent,Percent Of Children,15,All,5 - least deprived\n"
    b"S12900001,Borsetshire,2014-2017,Percent,Percent Of Children,18,All,All\n"
    b"S12900001,Borsetshire,2014-2017,Count,Children,40,Female,All\n"
    b"S21000002,Loch Lomond,2014-2017,Percent,Percent Of Children,9,All,All\n"
)


def test_tidy_measurements_combine_into_one_observation(import_file: Importer) -> None:
    report = import_file(TIDY, indicator="test-rate", skip_area_types=("S21",))

    assert report.ok, report.errors
    assert (report.rows_read, report.created) == (8, 4)
    assert report.skipped_by_area_type == {"S21": 1}
    most_deprived = observation(
        "S12900001", "test-rate", "2014-2017", "SIMD quintiles=1 - most deprived"
    )
    assert (most_deprived.value, most_deprived.numerator) == (25, 250)
    assert (most_deprived.lower_ci, most_deprived.upper_ci) == (22.5, 27.5)
    assert most_deprived.period_end == dt.date(2017, 12, 31)
    assert observation("S12900001", "test-rate", "2014-2017").value == 18
    count_alone = observation("S12900001", "test-rate", "2014-2017", "Sex=Female")
    assert (count_alone.value, count_alone.numerator) == (40, None)
    assert ImportRun.objects.get(pk=report.run_id).rows_skipped == 1


def test_simd_quintile_breakdowns_are_queryable(
    import_file: Importer, places: dict[str, Area]
) -> None:
    import_file(TIDY, indicator="test-rate", skip_area_types=("S21",))

    quintiles = observations_by_simd_quintile(
        indicator=Indicator.objects.get(code="test-rate"),
        area_id=places["council"].pk,
        period="2014-2017",
    )

    assert {q: o.value for q, o in quintiles.items()} == {1: 25, 5: 15, None: 18}
    assert Breakdown.objects.get(key="SIMD quintiles=5 - least deprived").simd_base_key == "All"


EARNINGS = (
    b"FeatureCode,DateCode,Measurement,Units,Value,Gender\n"
    b"S12900001,2019,Median,Pounds (GBP),495.4,Male\n"
    b"S12900001,2019,Mean,Pounds (GBP),573.7,Male\n"
    b"S12900001,2018,Mean,Pounds (GBP),560.1,Male\n"
)


def test_two_headline_statistics_become_a_measurement_breakdown(import_file: Importer) -> None:
    report = import_file(EARNINGS, indicator="test-rate")

    assert report.created == 3
    assert (
        observation("S12900001", "test-rate", "2019", "Gender=Male|Measurement=Median").value
        == 495.4
    )
    assert (
        observation("S12900001", "test-rate", "2018", "Gender=Male|Measurement=Mean").value == 560.1
    )


def test_measurement_option_imports_one_statistic(import_file: Importer) -> None:
    report = import_file(EARNINGS, indicator="test-rate", measurement="Median")

    assert (report.created, report.skipped_by_measurement) == (1, 2)
    assert observation("S12900001", "test-rate", "2019", "Gender=Male").value == 495.4


def test_measurement_option_must_name_a_statistic_in_the_file(import_file: Importer) -> None:
    report = import_file(EARNINGS, indicator="test-rate", measurement="Mode")

    assert not report.ok
    assert report.errors[0].rule == "not in the file, which has: Mean, Median"


def test_wide_table_has_one_observation_per_cell(import_file: Importer) -> None:
    wide = b"FeatureCode,FeatureName,Sex,2018,2019\nS01900001,Ambridge - 01,Female,423,\nS01900001,Ambridge - 01,Male,422,411\n"

    report = import_file(wide, indicator="test-count")

    assert (report.layout, report.rows_read, report.created) == ("sgs-wide", 2, 4)
    assert observation("S01900001", "test-count", "2019", "Sex=Male").value == 411
    assert observation("S01900001", "test-count", "2019", "Sex=Female").value is None


@pytest.fixture
def cpop_indicators(db: None) -> None:
    for code in ["cpop-iz-child-poverty", "cpop-iz-depopulation"]:
        IndicatorFactory(code=code)


def test_cpop_community_file_keeps_observed_imputed_and_projected(
    import_file: Importer, cpop_indicators: None
) -> None:
    data = (
        b"InterZone,Indicator,Type,Year,value\n"
        b"S02900001,Child Poverty,Imputed,2010/11,4.26\n"
        b"S02900001,Child Poverty,Raw data,2021/22,12.2\n"
        b"S02900001,Child Poverty,Projected,2024/25,13.1\n"
        b"S02900001,Depopulation,Raw data,2021/22,NA\n"
    )

    report = import_file(data)

    assert (report.layout, report.created) == ("cpop-iz", 4)
    kinds = dict(
        Observation.objects.filter(indicator__code="cpop-iz-child-poverty").values_list(
            "period", "kind"
        )
    )
    assert kinds == {"2010/11": "imputed", "2021/22": "observed", "2024/25": "projected"}
    assert observation("S02900001", "cpop-iz-depopulation", "2021/22").value is None


def test_cpop_data_zone_file_needs_its_period(import_file: Importer) -> None:
    for code in [
        "child-poverty",
        "attainment",
        "out-of-work-benefits",
        "crime-rate",
        "emergency-admissions",
    ]:
        IndicatorFactory(code=f"cpop-dz-{code}")
    header = (
        b"Datazone,CPP,IGZ,% of children in poverty,Average highest attainment,"
        b"% of population (aged 16-64) in receipt of out of work benefits,"
        b'"Number of SIMD crimes per 10,000 of the population",'
        b'"Emergency admissions (65+) per 100,000 population"\n'
    )
    data = header + b"S01900001,Borsetshire,Ambridge,6.75,5.58,11.47,#DIV/0!,23076.9\n"

    without = import_file(data)
    report = import_file(data, period="2021/22")

    assert "give --period" in without.errors[0].rule
    assert (report.layout, report.rows_read, report.created) == ("cpop-dz", 1, 5)
    assert observation("S01900001", "cpop-dz-child-poverty", "2021/22").value == 6.75
    assert observation("S01900001", "cpop-dz-crime-rate", "2021/22").value is None


def test_a_named_layout_must_fit_the_columns(import_file: Importer) -> None:
    report = import_file(TEMPLATE, layout="sgs-tidy", indicator="test-rate")

    assert not report.ok
    assert report.errors[0].rule.startswith(
        "the columns do not fit layout sgs-tidy: missing column(s)"
    )


def test_breakdowns_ensure_is_idempotent(db: None) -> None:
    first = breakdowns_ensure(keys=["All", "SIMD quintile=2|Sex=Male"])
    second = breakdowns_ensure(keys=["SIMD quintile=2|Sex=Male"])

    assert second["SIMD quintile=2|Sex=Male"] == first["SIMD quintile=2|Sex=Male"]
    made = Breakdown.objects.get(key="SIMD quintile=2|Sex=Male")
    assert (made.simd_quintile, made.simd_base_key) == (2, "Sex=Male")


def test_a_database_refusal_is_reported_and_recorded(
    import_file: Importer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise DatabaseError("could not serialize access")

    monkeypatch.setattr("cplan.indicators.bulk.upsert_observations", refuse)

    report = import_file(TEMPLATE)

    assert not report.ok
    assert report.errors[0].rule == "the database refused the import: could not serialize access"
    assert written().count() == 0
    runs = ImportRun.objects.filter(file_name="upload.csv")
    assert list(runs.values_list("status", flat=True)) == [ImportStatus.FAILED]
