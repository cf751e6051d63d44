"""The Communities page of a CPP and the community profile: figures worked by hand in
tests/web/community_data.py."""

from __future__ import annotations

import csv
import io
import json
import math
import statistics

import numpy as np
import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from cplan.web.communities import community_tables
from tests.web.community_data import (
    ATTAINMENT,
    CHILD_POVERTY,
    INCOME_DEPRIVED,
    SOURCE,
    build_communities,
)
from tests.web.places import build_places

pytestmark = pytest.mark.django_db

ROOT_HALF = 1 / math.sqrt(2)
URL = "/partnerships/borsetshire/communities/"
# Partnership, data version (2), then the national tables: community values, zones, typology,
# council names, measures, polarity, income counts; then the CPP's zone names.
COMMUNITIES_QUERIES = 11
# Partnership, data version (2), zone names: the tables come from the cache.
COMMUNITIES_QUERIES_CACHED = 4
# Zone with its CPP, data version (2), the community's values, typology names.
COMMUNITY_QUERIES_CACHED = 5


@pytest.fixture
def places_with_communities() -> None:
    build_communities(build_places())


def _row(frame: object, zone: str) -> dict[str, object]:
    table = frame  # a DataFrame
    found = table[table["InterZone"] == zone]  # type: ignore[index]
    return dict(found.iloc[0])


def test_scores_improvement_and_flags_match_the_worked_example(
    places_with_communities: None,
) -> None:
    tables = community_tables()
    assert (tables.first_year, tables.latest_year, tables.income_period) == (
        "2010/11",
        "2021/22",
        "2017",
    )
    ambridge = _row(tables.per_community, "S02900011")
    assert ambridge["CombinedCPPScore"] == pytest.approx(-2 * ROOT_HALF)
    assert ambridge["OutcomeRank"] == 1
    assert ambridge["CombinedTypeScore"] == pytest.approx(-1.3533, abs=1e-4)
    assert ambridge["CombinedCPPChangeScore"] == pytest.approx(2 * ROOT_HALF)
    assert (ambridge["PoorestOutcomes"], ambridge["LeastImprovement"]) == (True, False)
    assert ambridge["IncomeDeprived"] == pytest.approx(30.0)

    penny = _row(tables.per_community, "S02900012")
    assert (penny["OutcomeRank"], penny["ImprovementRank"]) == (2, 1)
    assert (penny["PoorestOutcomes"], penny["LeastImprovement"]) == (False, True)

    edgeley = _row(tables.per_community, "S02900031")
    assert math.isnan(float(edgeley["CombinedCPPScore"]))  # alone in its CPP
    assert edgeley["CombinedTypeScore"] == pytest.approx(2.2833, abs=1e-4)
    assert (edgeley["TypeRank"], edgeley["TypeSize"]) == (3, 3)

    # Independent check of one TypeScore with the standard library.
    group = [CHILD_POVERTY[z][1] for z in ("S02900011", "S02900021", "S02900031")]
    measure = tables.per_measure
    score = measure[
        (measure["InterZone"] == "S02900011") & (measure["Indicator"] == "Child Poverty")
    ]
    expected = -(24.0 - statistics.mean(group)) / statistics.stdev(group)
    assert float(score["TypeScore"].iloc[0]) == pytest.approx(expected)
    assert float(score["TypeScore"].iloc[0]) == pytest.approx(-0.7759, abs=1e-4)


def test_expected_value_is_the_line_through_scotlands_communities(
    places_with_communities: None,
) -> None:
    tables = community_tables()
    zones = sorted(INCOME_DEPRIVED)
    slope, intercept = np.polyfit(
        [INCOME_DEPRIVED[z] for z in zones], [ATTAINMENT[z][1] for z in zones], 1
    )
    measure = tables.per_measure
    hollerton = measure[
        (measure["InterZone"] == "S02900021") & (measure["Indicator"] == "Attainment")
    ]
    assert float(hollerton["expected"].iloc[0]) == pytest.approx(intercept + slope * 20)
    # With five communities no value can fall outside its own 95 % prediction interval.
    assert set(measure["fares"]) == {"as expected"}


def test_communities_page_lists_ranks_flags_and_sources(
    client: Client,
    places_with_communities: None,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_num_queries(COMMUNITIES_QUERIES):
        response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "Of Borsetshire&#x27;s 2 communities, Ambridge has the poorest outcomes in 2021/22 and "
        "Penny Hassett improved least between 2010/11 and 2021/22. 0 communities fare worse than "
        "expected for their deprivation on at least one measure."
    ) in page
    table = page.split('id="communities-table"', 1)[1].split("</table>", 1)[0]
    assert table.index("Ambridge") < table.index("Penny Hassett")  # poorest outcomes first
    assert '<td class="cplan-num">-1.41</td>' in table
    assert "-1.35 (worse)" in table
    assert '<a class="ds_link" href="/communities/S02900011/">Ambridge</a>' in table
    assert "Poorest outcomes</strong>" in table
    assert "Least improvement</strong>" in table
    assert "Hollerton" not in table  # another CPP's community
    vulnerable = page.split('id="vulnerable-table"', 1)[1].split("</table>", 1)[0]
    assert vulnerable.index("1. <a") < vulnerable.index("Ambridge") < vulnerable.index("Penny")
    assert "<td>Faster</td>" in vulnerable
    assert "<td>Slower</td>" in vulnerable
    assert "SIMD (2017)" in page
    with django_assert_num_queries(COMMUNITIES_QUERIES_CACHED):
        again = client.get(URL).content.decode()
    assert again.split("</header>", 2)[2] == page.split("</header>", 2)[2]


def test_sort_and_filter_come_from_the_query(client: Client, places_with_communities: None) -> None:
    by_improvement = client.get(URL, {"sort": "improvement"}).content.decode()
    table = by_improvement.split('id="communities-table"', 1)[1].split("</table>", 1)[0]
    assert table.index("Penny Hassett") < table.index("Ambridge")
    assert 'aria-sort="ascending"><a class="ds_link" href="?sort=improvement' in table
    flagged = client.get(URL, {"flag": "least-improvement"}).content.decode()
    table = flagged.split('id="communities-table"', 1)[1].split("</table>", 1)[0]
    assert "Penny Hassett" in table
    assert "Ambridge" not in table
    assert "1 of 2 communities flagged for least improvement" in table
    none = client.get(URL, {"flag": "worse-than-expected"}).content.decode()
    assert "No community of Borsetshire is flagged for worse than expected" in none
    unknown = client.get(URL, {"sort": "nonsense", "flag": "nonsense"}).content.decode()
    assert "2 of 2 communities, sorted by poorest outcomes first" in unknown


def test_community_profile_against_its_typology_group(
    client: Client,
    places_with_communities: None,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client.get(URL)  # fills the cache
    with django_assert_num_queries(COMMUNITY_QUERIES_CACHED):
        response = client.get("/communities/S02900011/")
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "Ambridge has the poorest outcomes of Borsetshire&#x27;s 2 communities and the 2nd least "
        "improvement; overall it does worse than similar communities elsewhere in Scotland."
    ) in page
    assert "CPOP typology group 1: Small towns, average deprivation" in page
    assert "30.0% (SIMD, 2017)" in page
    assert '<td class="cplan-num">1 of 2</td>' in page  # outcomes rank in the CPP
    assert '<td class="cplan-num">1 of 3</td>' in page  # poorest of typology group 1
    measures = page.split('id="community-measures-table"', 1)[1].split("</table>", 1)[0]
    # Child poverty 24.0; group 1 average 16.7; Borsetshire average 16.5; TypeScore −0.78;
    # CPPScore −0.71; change 20.0 % (a fall, so an improvement).
    for cell in ("24.0", "16.7", "16.5", "-0.78", "-0.71", "20.0"):
        assert f'<td class="cplan-num">{cell}</td>' in measures
    assert '<td class="cplan-num">23.0</td>' in page  # the projection: shown, never scored
    assert (
        "In 2021/22 Ambridge&#x27;s child poverty was 24.0%: worse than similar communities "
        "(16.7%) and worse than Borsetshire&#x27;s communities (16.5%)."
    ) in page
    spec_text = page.split('<script id="trend-cpop-iz-child-poverty-spec"', 1)[1]
    spec = json.loads(spec_text.split(">", 1)[1].split("</script>", 1)[0])
    rows = {(r["series"], r["period"]): (r["value"], r["kind"]) for r in spec["data"]["values"]}
    assert rows[("Ambridge", "2022/23")] == (23.0, "Projected")
    assert rows[("Similar communities", "2021/22")] == (pytest.approx(50 / 3), "Observed")
    assert rows[("Borsetshire communities", "2010/11")] == (20.0, "Imputed")
    assert spec["layer"][0]["data"]["values"] == [{"period": "2022/23"}]  # shaded projection
    assert SOURCE in page
    assert 'href="/partnerships/borsetshire/communities/"' in page


def test_community_csv_holds_every_period_with_kind_and_averages(
    client: Client, places_with_communities: None
) -> None:
    response = client.get("/communities/S02900011.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    poverty = [r for r in rows if r["measure_code"] == "cpop-iz-child-poverty"]
    assert [(r["period"], r["kind"], float(r["value"])) for r in poverty] == [
        ("2010/11", "imputed", 30.0),
        ("2021/22", "observed", 24.0),
        ("2022/23", "projected", 23.0),
    ]
    assert float(poverty[1]["cpp_average"]) == pytest.approx(16.5)
    assert float(poverty[1]["typology_group_average"]) == pytest.approx(50 / 3)
    assert {r["source"] for r in rows} == {SOURCE}


def test_communities_csv_has_every_community_with_its_flags(
    client: Client, places_with_communities: None
) -> None:
    response = client.get("/partnerships/felpersham/communities.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["community_code"] for r in rows] == ["S02900021", "S02900022"]
    hollerton = rows[0]
    assert (hollerton["poorest_outcomes"], hollerton["least_improvement"]) == ("True", "True")
    assert float(hollerton["combined_score_in_cpp"]) == pytest.approx(-2 * ROOT_HALF)
    assert float(hollerton["income_deprived_percent"]) == pytest.approx(20.0)


def test_partnership_page_links_to_its_communities(
    client: Client, places_with_communities: None
) -> None:
    page = client.get("/partnerships/borsetshire/").content.decode()
    assert 'href="/partnerships/borsetshire/communities/"' in page


def test_unknown_places_are_not_found(client: Client, places_with_communities: None) -> None:
    assert client.get("/partnerships/nowhere/communities/").status_code == 404
    assert client.get("/communities/S02999999/").status_code == 404
    assert client.get("/communities/S12900001/").status_code == 404  # a council area


def test_pages_before_any_community_figure_is_loaded(client: Client) -> None:
    build_places()
    page = client.get(URL).content.decode()
    assert "No community figures can be shown yet: no CPOP community values are loaded" in page
    assert client.get("/communities/S02900011/").status_code == 404
    assert client.get("/partnerships/borsetshire/communities.csv").status_code == 404
