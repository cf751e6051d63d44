"""The 32 partnerships the geography load writes, with their LGBF family groups."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from cplan.geography.importers import Problems
from cplan.partnerships.importers import read_family_groups
from cplan.partnerships.models import Partnership
from cplan.partnerships.selectors import partnership_for_area_code, partnerships_in_family_group

pytestmark = [pytest.mark.realdata]


@pytest.mark.django_db
def test_one_partnership_per_council_area_with_family_groups(real_geography: Path) -> None:
    partnerships = Partnership.objects.select_related("council_area")
    assert partnerships.count() == 32
    for partnership in partnerships:
        assert partnership.code == partnership.council_area.code
        assert partnership.name == partnership.council_area.name
        assert partnership.deprivation_family_group in {1, 2, 3, 4}
        assert partnership.density_family_group in {1, 2, 3, 4}
    # LGBF family groups are four groups of eight, for each of the two bases.
    assert Counter(p.deprivation_family_group for p in partnerships) == {1: 8, 2: 8, 3: 8, 4: 8}
    assert Counter(p.density_family_group for p in partnerships) == {1: 8, 2: 8, 3: 8, 4: 8}


@pytest.mark.django_db
def test_family_groups_matched_through_names_the_lgbf_writes(real_geography: Path) -> None:
    # family_groups.csv: "Edinburgh City,1,4", "Eilean Siar,4,1", "Aberdeen City,1,4".
    edinburgh = Partnership.objects.get(code="S12000036")
    assert edinburgh.name == "City of Edinburgh"
    assert (edinburgh.deprivation_family_group, edinburgh.density_family_group) == (1, 4)
    western_isles = Partnership.objects.get(code="S12000013")
    assert (western_isles.deprivation_family_group, western_isles.density_family_group) == (4, 1)
    assert western_isles.slug == "na-h-eileanan-siar"
    glasgow = partnership_for_area_code("S12000046")  # Glasgow's pre-2019 code
    assert glasgow is not None
    assert glasgow.code == "S12000049"
    assert (glasgow.deprivation_family_group, glasgow.density_family_group) == (4, 4)
    similar = [p.name for p in partnerships_in_family_group(deprivation_family_group=4)]
    assert similar == [
        "Dundee City",
        "East Ayrshire",
        "Glasgow City",
        "Inverclyde",
        "Na h-Eileanan Siar",
        "North Ayrshire",
        "North Lanarkshire",
        "West Dunbartonshire",
    ]


def test_reading_family_groups_needs_every_council(real_data_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "geography").mkdir()
    text = (real_data_dir / "geography" / "family_groups.csv").read_text(encoding="utf-8")
    short = "\n".join(line for line in text.splitlines() if not line.startswith("Moray,"))
    (tmp_path / "geography" / "family_groups.csv").write_text(short + "\n", encoding="utf-8")
    problems = Problems()
    read_family_groups(tmp_path, problems)
    assert [str(problem) for problem in problems.items] == [
        "geography/family_groups.csv, field council_area: council areas without family groups: "
        "S12000020"
    ]


def test_reading_family_groups_checks_the_group_numbers(
    real_data_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "geography").mkdir()
    text = (real_data_dir / "geography" / "family_groups.csv").read_text(encoding="utf-8")
    (tmp_path / "geography" / "family_groups.csv").write_text(
        text.replace("Moray,2,2", "Moray,5,2"), encoding="utf-8"
    )
    problems = Problems()
    assert read_family_groups(tmp_path, problems) is None
    assert [str(problem) for problem in problems.items] == [
        "geography/family_groups.csv line 21, field deprivation_family_group_2012, value '5': "
        "must be a whole number from 1 to 4"
    ]
