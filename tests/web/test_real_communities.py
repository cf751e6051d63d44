"""The Communities page and a community profile on the real data: CPOP's community file imported
through the platform's importer onto the real geography (with SIMD 2020v2's income counts).

Expected figures are CPOP's published worked example (METHODS.md §1): Culter (S02001236), child
poverty 2021/22 = 12.20472 → CPPScore 0.4361868, TypeScore −0.0416217; improvement since 2010/11
Change −1.86348, CPPChangeScore −0.53609, TypeChangeScore −1.01732.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from cplan.indicators.layouts import ImportOptions
from cplan.indicators.services import catalogue_load, observations_import
from cplan.web.communities import community_tables

pytestmark = [pytest.mark.realdata, pytest.mark.slow, pytest.mark.django_db]

CULTER = "S02001236"


@pytest.fixture
def cpop_communities(real_geography: Path) -> None:
    catalogue_load(outcomes_path=real_geography / "npf_national_outcomes_2018.csv", actor="test")
    path = real_geography / "cpop" / "iz_outcomes.csv"
    report = observations_import(
        data=path.read_bytes(), file_name=path.name, options=ImportOptions(), actor="test"
    )
    assert report.ok, report.errors[:5]


def test_culter_scores_equal_cpops_published_figures(cpop_communities: None) -> None:
    tables = community_tables()
    assert (tables.first_year, tables.latest_year) == ("2010/11", "2021/22")
    measure = tables.per_measure
    culter = measure[(measure["InterZone"] == CULTER) & (measure["Indicator"] == "Child Poverty")]
    row = culter.iloc[0]
    assert row["value"] == pytest.approx(12.20472, abs=1e-5)
    assert row["CPPScore"] == pytest.approx(0.4361868, abs=1e-7)
    assert row["TypeScore"] == pytest.approx(-0.0416217, abs=1e-7)
    assert row["Change"] == pytest.approx(-1.86348, abs=1e-5)
    assert row["CPPChangeScore"] == pytest.approx(-0.53609, abs=1e-5)
    assert row["TypeChangeScore"] == pytest.approx(-1.01732, abs=1e-5)
    assert len(tables.per_community) == 1279
    assert tables.income_period == "2017"
    assert tables.per_community["IncomeDeprived"].notna().all()


def test_aberdeen_communities_and_culter_pages(client: Client, cpop_communities: None) -> None:
    listing = client.get("/partnerships/aberdeen-city/communities/").content.decode()
    table = listing.split('id="communities-table"', 1)[1].split("</table>", 1)[0]
    assert table.count('<a class="ds_link" href="/communities/S0200') == 49
    assert "49 of 49 communities" in table
    profile = client.get(f"/communities/{CULTER}/").content.decode()
    assert "Culter" in profile
    measures = profile.split('id="community-measures-table"', 1)[1].split("</table>", 1)[0]
    # Child poverty: 12.2 %, TypeScore −0.04, CPPScore 0.44, change −186.3 % (it rose).
    for cell in ("12.2", "-0.04", "0.44", "-186.3"):
        assert f'<td class="cplan-num">{cell}</td>' in measures
