"""The geography load against the real official files (../shared/data)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pandas as pd
import pytest
from django.core.management import call_command
from django.db.models import Count, Q, Sum

from cplan.core.models import ChangeAction, ChangeRecord
from cplan.geography.models import (
    Area,
    AreaLevel,
    Boundary,
    Deprivation,
    DeprivationEdition,
    Population,
    Typology,
    TypologyMembership,
)
from cplan.geography.selectors import area_code_map, resolve_area_codes
from cplan.geography.services import geography_load
from cplan.indicators.models import Indicator, Observation, Polarity
from cplan.partnerships.selectors import partnership_for_area_code

pytestmark = [pytest.mark.realdata, pytest.mark.django_db]


def level_count(level: AreaLevel) -> int:
    return Area.objects.filter(level=level).count()


def test_areas_at_every_level(real_geography: Path) -> None:
    assert level_count(AreaLevel.DATA_ZONE) == 6976
    assert level_count(AreaLevel.INTERMEDIATE_ZONE) == 1279
    assert level_count(AreaLevel.COUNCIL_AREA) == 32
    assert level_count(AreaLevel.HEALTH_BOARD) == 14
    assert level_count(AreaLevel.WARD) == 354
    assert Area.objects.get(code="S92000003").name == "Scotland"


def test_every_data_zone_has_one_intermediate_zone_and_one_council_area(
    real_geography: Path,
) -> None:
    zones = Area.objects.filter(level=AreaLevel.DATA_ZONE)
    assert not zones.exclude(parent__level=AreaLevel.INTERMEDIATE_ZONE).exists()
    assert not zones.exclude(council_area__level=AreaLevel.COUNCIL_AREA).exists()
    assert not zones.exclude(health_board__level=AreaLevel.HEALTH_BOARD).exists()
    assert not zones.exclude(ward__level=AreaLevel.WARD).exists()
    # The council a zone points at is its intermediate zone's council, itself under Scotland.
    for code, parent_council, council, council_parent in zones.values_list(
        "code", "parent__council_area__code", "council_area__code", "council_area__parent__code"
    ):
        assert parent_council == council, code
        assert council_parent == "S92000003", code
    councils = Area.objects.filter(level=AreaLevel.COUNCIL_AREA)
    assert all(area.council_area_id == area.pk for area in councils)
    # Intermediate zones per council, as council_areas.csv publishes them.
    izs = Count("children", filter=Q(children__level=AreaLevel.INTERMEDIATE_ZONE))
    sizes = dict(councils.annotate(n=izs).values_list("code", "n"))
    published = pd.read_csv(real_geography / "council_areas.csv", dtype={"LA_Code": str})
    assert sizes == dict(
        zip(published["LA_Code"], published["n_intermediate_zones_2011"], strict=True)
    )


def test_names_come_from_the_look_up_not_simd_placeholders(real_geography: Path) -> None:
    assert Area.objects.get(code="S02001236").name == "Culter"
    assert Area.objects.get(code="S01006506").name == "Culter - 01"
    # The SIMD file calls East Lothian's and West Dunbartonshire's IZs IZ01 ... IZ22.
    placeholders = Area.objects.filter(level=AreaLevel.INTERMEDIATE_ZONE, name__regex=r"^IZ\d+$")
    assert not placeholders.exists()
    assert Area.objects.get(code="S12000013").name == "Na h-Eileanan Siar"


def test_urban_rural_classes(real_geography: Path) -> None:
    culter = Area.objects.get(code="S01006506")
    assert (culter.urban_rural_6, culter.urban_rural_8) == (3, 3)
    zones = Area.objects.filter(level=AreaLevel.DATA_ZONE)
    assert set(zones.values_list("urban_rural_6", flat=True)) == {1, 2, 3, 4, 5, 6}
    assert set(zones.values_list("urban_rural_8", flat=True)) == set(range(1, 9))


def test_national_quintiles_hold_1395_or_1396_zones(real_geography: Path) -> None:
    for code in ("SIMD2020v2", "SIMD2016"):
        counts = (
            Deprivation.objects.filter(edition__code=code)
            .values("quintile")
            .annotate(n=Count("id"))
            .order_by("quintile")
        )
        assert [row["n"] for row in counts] == [1395, 1395, 1395, 1395, 1396], code


def test_simd_ranks_as_published(real_geography: Path) -> None:
    culter = Deprivation.objects.get(edition__code="SIMD2020v2", area__code="S01006506")
    assert (culter.rank, culter.vigintile, culter.decile, culter.quintile) == (4691, 14, 7, 4)
    assert (culter.population, culter.working_age_population) == (894, 580)
    assert (culter.income_rank, culter.housing_rank) == (3936, 3248)
    old = Deprivation.objects.get(edition__code="SIMD2016", area__code="S01006506")
    assert (old.rank, old.quintile, old.population) == (5272, 4, 904)
    # Tied zones share the mean of their ranks, as published.
    assert Deprivation.objects.filter(edition__code="SIMD2020v2", income_rank=3330.5).exists()
    editions = dict(DeprivationEdition.objects.values_list("code", "population_year"))
    assert editions["SIMD2020v2"] == 2017
    assert editions["SIMD2016"] == 2014


def test_local_quintiles_hold_about_a_fifth_of_each_councils_people(
    real_geography: Path,
) -> None:
    rows = pd.DataFrame(
        Deprivation.objects.filter(edition__code="SIMD2020v2").values(
            "area__council_area__code", "local_quintile", "population", "rank"
        )
    )
    for council, zones in rows.groupby("area__council_area__code"):
        total = zones["population"].sum()
        largest = zones["population"].max()
        for k in range(1, 5):
            held = zones.loc[zones["local_quintile"] <= k, "population"].sum()
            # The cut is at the zone boundary nearest k fifths: off by at most half a zone.
            assert abs(held - k * total / 5) <= largest / 2, (council, k)
        shares = zones.groupby("local_quintile")["population"].sum() / total
        assert shares.between(0.18, 0.23).all(), (council, shares.to_dict())
        ordered = zones.sort_values("rank")["local_quintile"]
        assert ordered.is_monotonic_increasing, council


def test_population_adds_up_from_data_zones_to_scotland(real_geography: Path) -> None:
    year = 2017

    def totals(level: AreaLevel, by: str) -> dict[str, int]:
        rows = (
            Population.objects.filter(year=year, area__level=level)
            .values(by)
            .annotate(total=Sum("count"))
        )
        return {row[by]: row["total"] for row in rows}

    def own(level: AreaLevel) -> dict[str, int]:
        rows = Population.objects.filter(year=year, area__level=level)
        return dict(rows.values_list("area__code", "count"))

    assert totals(AreaLevel.DATA_ZONE, "area__parent__code") == own(AreaLevel.INTERMEDIATE_ZONE)
    assert totals(AreaLevel.INTERMEDIATE_ZONE, "area__parent__code") == own(AreaLevel.COUNCIL_AREA)
    assert totals(AreaLevel.DATA_ZONE, "area__health_board__code") == own(AreaLevel.HEALTH_BOARD)
    assert totals(AreaLevel.COUNCIL_AREA, "area__parent__code") == {"S92000003": 5_424_800}
    assert own(AreaLevel.COUNTRY) == {"S92000003": 5_424_800}
    assert Population.objects.get(area__code="S92000003", year=2019).count == 5_463_300
    # Culter - 01 in 2001: 423 women and 422 men.
    assert Population.objects.get(area__code="S01006506", year=2001).count == 845
    # The SIMD 2020v2 file's populations are the NRS 2017 estimates.
    simd_total = Deprivation.objects.filter(edition__code="SIMD2020v2").aggregate(
        total=Sum("population")
    )
    assert simd_total["total"] == 5_424_800


def test_fife_data_under_old_and_new_codes_land_on_one_area_and_partnership(
    real_geography: Path,
) -> None:
    ids = resolve_area_codes(["S12000015", "S12000047", "S08000018", "S08000029"])
    assert ids["S12000015"] == ids["S12000047"] == Area.objects.get(code="S12000047").pk
    assert ids["S08000018"] == ids["S08000029"]
    old, new = partnership_for_area_code("S12000015"), partnership_for_area_code("S12000047")
    assert old is not None
    assert old == new
    assert old.name == "Fife"
    # A data zone's partnership is its council's.
    dunfermline = Area.objects.filter(level=AreaLevel.DATA_ZONE, council_area=old.council_area)
    assert partnership_for_area_code(dunfermline.first().code) == old  # type: ignore[union-attr]
    for alias, current in [
        ("S12000024", "S12000048"),
        ("S12000046", "S12000049"),
        ("S12000044", "S12000050"),
        ("S08000021", "S08000031"),
        ("S08000023", "S08000032"),
        ("S08000027", "S08000030"),
    ]:
        assert ids_equal(alias, current)


def ids_equal(first: str, second: str) -> bool:
    ids = resolve_area_codes([first, second])
    return first in ids and ids[first] == ids.get(second)


def test_every_held_type_of_code_in_the_timeseries_files_resolves(real_geography: Path) -> None:
    known = area_code_map()
    unknown: dict[str, set[str]] = {}
    for path in sorted((real_geography / "timeseries").glob("*.csv")):
        if "wide" in path.name:
            continue
        codes = pd.read_csv(path, usecols=["FeatureCode"], dtype=str)["FeatureCode"].unique()
        for code in codes:
            if code[:3] in {"S92", "S08", "S12", "S13", "S02"} and code not in known:
                unknown.setdefault(path.name, set()).add(code)
    assert unknown == {}
    # The road transport file files Glasgow and North Lanarkshire under their old codes.
    assert "S12000046" in known
    assert "S12000044" in known


def test_typologies(real_geography: Path) -> None:
    for code, groups in (("cpop", 67), ("typology-2022", 56)):
        members = TypologyMembership.objects.filter(typology__code=code)
        assert members.count() == 1279
        assert members.values("group_number").distinct().count() == groups
    culter = TypologyMembership.objects.get(typology__code="cpop", area__code="S02001236")
    assert culter.group_number == 22
    assert culter.group_name == "Large Urban, Dep - Average,HH Inc 50-100%"
    assert Typology.objects.filter(code__in=["cpop", "typology-2022"]).count() == 2


def test_council_boundaries_are_stored_rounded(real_geography: Path) -> None:
    boundaries = Boundary.objects.filter(area__level=AreaLevel.COUNCIL_AREA)
    assert boundaries.count() == 32
    shetland = boundaries.get(area__code="S12000027").geometry
    assert shetland["type"] == "MultiPolygon"
    x, y = shetland["coordinates"][0][0][0]
    assert 59 < y < 61
    assert -2 < x < 0
    assert round(x, 4) == x
    assert round(y, 4) == y


def test_simd_indicators_are_observations_with_real_counts(real_geography: Path) -> None:
    income = Observation.objects.get(indicator__code="simd-income-deprived", area__code="S01006506")
    assert (income.period, income.value, income.numerator, income.denominator) == (
        "2017",
        8.0,
        71.0,
        894.0,
    )
    assert income.kind == "observed"
    assert income.breakdown.key == "All"
    employment = Observation.objects.get(
        indicator__code="simd-employment-deprived", area__code="S01006506"
    )
    assert (employment.value, employment.numerator, employment.denominator) == (8.0, 49.0, 580.0)
    drive = Observation.objects.get(indicator__code="simd-drive-time-gp", area__code="S01006506")
    assert drive.value == pytest.approx(3.074294725)
    assert drive.numerator is None
    # Suppressed (*) and blank cells are not observations: crime 500 * and 1 blank.
    crime = Observation.objects.filter(indicator__code="simd-crime-rate")
    assert crime.count() == 6976 - 500 - 1
    assert Observation.objects.filter(indicator__code="simd-school-attendance").count() == (
        6976 - 565 - 2
    )
    # Zones with no residents keep the published rate but no 0/0 counts.
    empty = Observation.objects.get(indicator__code="simd-income-deprived", area__code="S01010206")
    assert (empty.value, empty.numerator, empty.denominator) == (0.0, None, None)
    indicator = Indicator.objects.get(code="simd-income-deprived")
    assert indicator.polarity == Polarity.LOWER_IS_BETTER
    assert list(indicator.national_outcomes.values_list("code", flat=True)) == ["POV"]
    per_indicator = (
        Observation.objects.filter(indicator__code__startswith="simd-")
        .values("indicator")
        .annotate(n=Count("id"))
    )
    assert len(per_indicator) == 27
    assert max(row["n"] for row in per_indicator) == 6976


def test_a_second_load_changes_nothing_and_says_so(real_geography: Path) -> None:
    before = {
        "areas": Area.objects.count(),
        "observations": Observation.objects.count(),
        "population": Population.objects.count(),
        "culter": list(Deprivation.objects.filter(area__code="S01006506").values()),
    }
    records = ChangeRecord.objects.filter(action=ChangeAction.LOAD).count()
    report = geography_load(data_dir=real_geography, actor="test-suite")
    assert not report.changed
    assert all(
        counts.created == counts.updated == counts.deleted == 0 for counts in report.writes.values()
    )
    assert "Nothing changed" in report.summary()
    after = {
        "areas": Area.objects.count(),
        "observations": Observation.objects.count(),
        "population": Population.objects.count(),
        "culter": list(Deprivation.objects.filter(area__code="S01006506").values()),
    }
    assert after == before
    # One change record per load, with the counts.
    assert ChangeRecord.objects.filter(action=ChangeAction.LOAD).count() == records + 1
    record = ChangeRecord.objects.filter(action=ChangeAction.LOAD).first()
    assert record is not None
    assert record.after is not None
    assert record.after["areas"]["data_zone"] == 6976
    assert record.after["changed"] is False
    assert record.actor == "test-suite"


def test_the_command_reports_an_unchanged_load(real_geography: Path) -> None:
    out = StringIO()
    call_command("geography_load", data_dir=real_geography, stdout=out)
    text = out.getvalue()
    assert "6,976 data_zone" in text
    assert "Nothing changed" in text


def test_a_changed_file_updates_only_what_changed(real_geography: Path, tmp_path: Path) -> None:
    from tests.geography.test_load_bad_input import mirror, replace_text

    changed = mirror(real_geography, tmp_path / "data")
    replace_text(
        changed,
        "simd2020v2_datazones.csv",
        lambda text: text.replace(",8%,71,8%,49,", ",9%,80,8%,49,", 1),
    )
    replace_text(
        changed, "datazone2011_lookup.csv", lambda text: text.replace("Culter - 01", "Culter 1")
    )
    report = geography_load(data_dir=changed, actor="test-suite")
    assert report.changed
    assert (report.writes["areas"].updated, report.writes["areas"].created) == (1, 0)
    observations = report.writes["observations"]
    assert (observations.created, observations.updated, observations.deleted) == (0, 1, 0)
    assert observations.unchanged == 187_074
    assert not report.writes["population"].changed
    income = Observation.objects.get(indicator__code="simd-income-deprived", area__code="S01006506")
    assert (income.value, income.numerator, income.denominator) == (9.0, 80.0, 894.0)
    assert income.import_run is not None
    assert income.import_run.rows_updated == 1
    assert income.import_run.file_name == "simd2020v2_datazones.csv"
    assert Area.objects.get(code="S01006506").name == "Culter 1"
