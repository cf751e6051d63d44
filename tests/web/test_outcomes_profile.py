"""The CPP outcomes profile: figures worked by hand in tests/web/outcome_data.py."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from cplan.partnerships.models import Partnership
from cplan.web.charts import spine_rows
from cplan.web.outcomes_profile import outcomes_profile
from tests.web.outcome_data import SOURCE, build_outcomes
from tests.web.places import build_places

pytestmark = pytest.mark.django_db

# Partnership, data version (2), core indicators, observations.
OUTCOMES_QUERIES = 5
# Partnership and data version: the profile comes from the cache.
OUTCOMES_QUERIES_CACHED = 3
URL = "/partnerships/borsetshire/outcomes/"


@pytest.fixture
def places_with_outcomes() -> None:
    build_outcomes(build_places())


def test_profile_figures_match_the_worked_example(places_with_outcomes: None) -> None:
    borsetshire = outcomes_profile(partnership=Partnership.objects.get(slug="borsetshire"))
    assert borsetshire.family_members == ("Felpersham",)
    (measure,) = borsetshire.measures
    assert measure.name == "Child poverty"
    assert (measure.baseline_period, measure.latest_period) == ("2010/11", "2011/12")
    assert measure.latest_kind == "observed"
    assert measure.value == 18.0
    assert measure.scotland == 15.0
    assert measure.family_mean == pytest.approx(15.0)
    assert (measure.rank, measure.n_ranked, measure.family_rank) == (3, 3, 2)
    assert measure.improvement_rate == pytest.approx(-10.0)
    assert measure.scotland_improvement_rate == pytest.approx(-6.25)
    assert measure.family_improvement_rate == pytest.approx(-11.7647, abs=1e-4)
    assert measure.direction == "improving"
    assert (measure.light_scotland, measure.light_family) == ("amber", "red")
    assert [p.kind for p in measure.trend] == ["imputed", "observed", "projected"]
    assert measure.trend[2].value == 17.0
    assert measure.trend[2].family_mean == pytest.approx(14.25)
    assert measure.change_reading == (
        "Child poverty fell from 20.0% to 18.0% between 2010/11 and 2011/12, faster than in "
        "Scotland."
    )
    assert measure.comparison_reading == (
        "In 2011/12 Borsetshire's child poverty was 18.0%: worse than Scotland (15.0%) and worse "
        "than the average of similar partnerships (15.0%); 3rd best of 3."
    )

    felpersham = outcomes_profile(partnership=Partnership.objects.get(slug="felpersham"))
    (measure,) = felpersham.measures
    assert (measure.rank, measure.light_scotland, measure.light_family) == (1, "green", "green")
    assert measure.improvement_rate == pytest.approx(-14.2857, abs=1e-4)


def test_spine_positions_put_scotland_at_the_centre_and_better_to_the_right(
    places_with_outcomes: None,
) -> None:
    profile = outcomes_profile(partnership=Partnership.objects.get(slug="borsetshire"))
    (row,) = spine_rows(profile)
    # Scotland 15, CPPs 12..18, lower is better: Borsetshire (18) is the worst, at −1.
    assert row["value"] == pytest.approx(-1.0)
    assert row["family_mean"] == pytest.approx(0.0)
    assert (row["worst"], row["best"]) == (pytest.approx(-1.0), pytest.approx(1.0))
    assert (row["family_low"], row["family_high"]) == (pytest.approx(-1.0), pytest.approx(1.0))


def test_outcomes_page_shows_readings_table_charts_and_sources(
    client: Client, places_with_outcomes: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(OUTCOMES_QUERIES):
        response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "Of Borsetshire&#x27;s 1 outcome measure, between 2010/11 and 2011/12 1 improved, "
        "0 stayed about the same and 0 worsened. Against Scotland, 0 are green, 1 are amber "
        "and 0 are red."
    ) in page
    assert "worse than the average of similar partnerships (15.0%); 3rd best of 3." in page
    assert '<td class="cplan-num">18.0</td>' in page
    assert "3 of 3" in page
    assert '<strong class="ds_tag ds_tag--orange">Amber</strong>' in page
    assert '<strong class="ds_tag ds_tag--red">Red</strong>' in page
    assert "deprivation family group 4: Felpersham" in page
    assert SOURCE in page
    assert "Imputed, Observed, Projected" in page
    assert 'href="/partnerships/borsetshire/outcomes/cpop-cpp-child-poverty-test.csv"' in page
    assert 'href="/partnerships/borsetshire/outcomes.csv"' in page
    spec_text = page.split('<script id="trend-cpop-cpp-child-poverty-test-spec"', 1)[1]
    spec = json.loads(spec_text.split(">", 1)[1].split("</script>", 1)[0])
    borsetshire = [row for row in spec["data"]["values"] if row["series"] == "Borsetshire"]
    assert [(r["period"], r["value"], r["kind"]) for r in borsetshire] == [
        ("2010/11", 20.0, "Imputed"),
        ("2011/12", 18.0, "Observed"),
        ("2012/13", 17.0, "Projected"),
    ]
    assert spec["layer"][0]["data"]["values"] == [{"period": "2012/13"}]  # shaded projection
    with django_assert_num_queries(OUTCOMES_QUERIES_CACHED):
        again = client.get(URL).content.decode()
    assert again.split("</header>", 2)[2] == page.split("</header>", 2)[2]


def test_partnership_page_links_to_its_outcomes_profile(
    client: Client, places_with_outcomes: None
) -> None:
    page = client.get("/partnerships/borsetshire/").content.decode()
    assert 'href="/partnerships/borsetshire/outcomes/"' in page


def _csv(response: object) -> list[dict[str, str]]:
    content = response.content.decode()  # type: ignore[attr-defined]
    return list(csv.DictReader(io.StringIO(content)))


def test_measure_csv_has_every_period_with_its_kind_and_source(
    client: Client, places_with_outcomes: None
) -> None:
    response = client.get("/partnerships/borsetshire/outcomes/cpop-cpp-child-poverty-test.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "borsetshire-cpop-cpp-child-poverty-test.csv" in response["Content-Disposition"]
    rows = _csv(response)
    assert [(r["period"], r["kind"], float(r["value"])) for r in rows] == [
        ("2010/11", "imputed", 20.0),
        ("2011/12", "observed", 18.0),
        ("2012/13", "projected", 17.0),
    ]
    assert [float(r["scotland"]) for r in rows] == [16.0, 15.0, 14.5]
    assert [float(r["family_mean"]) for r in rows] == [17.0, 15.0, 14.25]
    assert {r["source"] for r in rows} == {SOURCE}
    assert {r["area_code"] for r in rows} == {"S12900001"}


def test_summary_csv_has_the_latest_figures_and_judgements(
    client: Client, places_with_outcomes: None
) -> None:
    (row,) = _csv(client.get("/partnerships/felpersham/outcomes.csv"))
    assert row["measure_code"] == "cpop-cpp-child-poverty-test"
    assert (row["period"], row["kind"], float(row["value"])) == ("2011/12", "observed", 12.0)
    assert (row["rank"], row["areas_ranked"], row["direction"]) == ("1", "3", "improving")
    assert row["traffic_light_against_scotland"] == "green"
    assert float(row["improvement_rate_percent"]) == pytest.approx(-14.2857, abs=1e-4)


def test_unknown_partnership_or_measure_is_not_found(
    client: Client, places_with_outcomes: None
) -> None:
    assert client.get("/partnerships/nowhere/outcomes/").status_code == 404
    assert client.get("/partnerships/borsetshire/outcomes/nope.csv").status_code == 404


def test_outcomes_page_before_any_measure_is_loaded(client: Client) -> None:
    build_places()
    page = client.get(URL).content.decode()
    assert "No outcome measures are loaded for Borsetshire yet." in page
    assert "vega-embed" not in page
