"""The national picture: ranks worked by hand from tests/web/outcome_data.py.

Child poverty, lower is better, latest judged period 2011/12 (2012/13 is projected, not used):

| CPP            | 2010/11 | 2011/12 | rank | improvement (oriented)    | rank | pace a year | rank | band |
|----------------|---------|---------|------|---------------------------|------|-------------|------|------|
| Borsetshire    | 20.0    | 18.0    | 3    | −(18/20 − 1)·100 = 10.0   | 2    | 0.1         | 2    | 5    |
| Felpersham     | 14.0    | 12.0    | 1    | −(12/14 − 1)·100 = 14.29  | 1    | 0.142857    | 1    | 2    |
| Loxley Barrett | 15.0    | 15.0    | 2    | 0.0                       | 3    | 0.0         | 3    | 4    |

Band = ceil(5 · rank / 3). Pace over one year is the relative change, oriented. Family groups:
Borsetshire and Felpersham 4, Loxley Barrett 1.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from cplan.web.national import national_picture
from tests.web.outcome_data import build_outcomes
from tests.web.places import build_places

pytestmark = pytest.mark.django_db

# Data version (2), core indicators, observations, partnership slugs.
NATIONAL_QUERIES = 5
# Data version only: the picture comes from the cache.
NATIONAL_QUERIES_CACHED = 2
URL = "/national/"


@pytest.fixture
def places_with_outcomes() -> None:
    build_outcomes(build_places())


def test_ranks_match_the_worked_example(places_with_outcomes: None) -> None:
    picture = national_picture()
    (measure,) = picture.measures
    assert (measure.name, measure.baseline_period, measure.latest_period) == (
        "Child poverty",
        "2010/11",
        "2011/12",
    )
    assert measure.scotland == 15.0
    assert picture.family_groups == (1, 4)
    rows = {row.name: row for row in picture.rows}
    assert list(rows) == ["Borsetshire", "Felpersham", "Loxley Barrett"]
    expected = {
        "Borsetshire": (18.0, 3, 10.0, 2, 0.1, 2, 5),
        "Felpersham": (12.0, 1, 14.2857, 1, 0.142857, 1, 2),
        "Loxley Barrett": (15.0, 2, 0.0, 3, 0.0, 3, 4),
    }
    for name, (
        value,
        rank,
        improvement,
        improvement_rank,
        pace,
        pace_rank,
        band,
    ) in expected.items():
        (cell,) = rows[name].cells
        assert cell.value == value
        assert cell.rank == rank
        assert cell.improvement == pytest.approx(improvement, abs=1e-4)
        assert cell.improvement_rank == improvement_rank
        assert cell.pace == pytest.approx(pace, abs=1e-6)
        assert cell.pace_rank == pace_rank
        assert cell.band == band
        assert rows[name].pace_rank == pace_rank
    assert picture.reading == (
        "Across the 1 core measure, between 2010/11 and 2011/12 Felpersham improved fastest "
        "(median 14.3% a year improvement) and Loxley Barrett slowest "
        "(median 0.0% a year improvement)."
    )


def test_page_shows_the_heat_table_with_links(
    client: Client, places_with_outcomes: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(NATIONAL_QUERIES):
        response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 of 3 partnerships" in html
    assert 'href="/partnerships/felpersham/outcomes/"' in html
    assert "12.0, rank 1" in html
    assert "cplan-heat-2" in html
    assert "cplan-heat-5" in html
    assert "improvement rank 2; pace rank 2" in html
    assert 'aria-current="page">National picture</a>' in html
    with django_assert_num_queries(NATIONAL_QUERIES_CACHED):
        assert client.get(URL).status_code == 200


def test_family_filter_keeps_national_ranks(client: Client, places_with_outcomes: None) -> None:
    html = client.get(URL, {"family": "4"}).content.decode()
    assert "2 of 3 partnerships in deprivation family group 4" in html
    assert "Loxley Barrett" not in html.split("<tbody>")[1]
    assert "18.0, rank 3" in html
    assert 'href="/national.csv?family=4"' in html


def test_unknown_family_group_is_refused_clearly(
    client: Client, places_with_outcomes: None
) -> None:
    response = client.get(URL, {"family": "9"})
    assert response.status_code == 400
    assert "Family group &#x27;9&#x27; is not one of the family groups (1, 4)" in (
        response.content.decode()
    )
    assert client.get("/national.csv", {"family": "x"}).status_code == 400


def test_csv_has_the_same_figures(client: Client, places_with_outcomes: None) -> None:
    response = client.get("/national.csv", {"family": "4"})
    assert response["Content-Disposition"] == (
        'attachment; filename="national-picture-family-4.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["area_name"] for r in rows] == ["Borsetshire", "Felpersham"]
    borsetshire = rows[0]
    assert borsetshire["period"] == "2011/12"
    assert borsetshire["kind"] == "observed"
    assert float(borsetshire["value"]) == 18.0
    assert borsetshire["rank"] == "3"
    assert float(borsetshire["improvement_rate_percent_polarity_adjusted"]) == pytest.approx(10.0)
    assert borsetshire["improvement_rank"] == "2"
    assert borsetshire["pace_rank"] == "2"
    assert float(borsetshire["scotland"]) == 15.0


def test_page_without_measures_says_so(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    assert "No core outcome measures are loaded yet." in response.content.decode()


def test_partnership_page_links_to_its_family_in_the_national_picture(
    client: Client, places_with_outcomes: None
) -> None:
    html = client.get("/partnerships/borsetshire/").content.decode()
    assert 'href="/national/?family=4"' in html
