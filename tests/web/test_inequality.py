"""Inequality by SIMD quintile on a CPP's page: synthetic data-zone counts worked by hand in
tests/web/community_data.py (``build_quintile_counts``)."""

from __future__ import annotations

import numpy as np
import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from cplan.partnerships.models import Partnership
from cplan.web.inequality import inequality_page, inequality_tables
from tests.web.community_data import (
    BORSETSHIRE_RATES,
    build_communities,
    build_quintile_counts,
)
from tests.web.places import build_places

pytestmark = pytest.mark.django_db

URL = "/partnerships/borsetshire/inequality/"
# Partnership, data version (2), then the counts: data-zone counts, SIMD edition, quintiles,
# multipliers; measures; polarity.
INEQUALITY_QUERIES = 9
# Partnership and data version: the tables come from the cache.
INEQUALITY_QUERIES_CACHED = 3
# Quintile 1 holds two data zones of 100 people, the others one.
POPULATION = np.array([200.0, 100.0, 100.0, 100.0, 100.0])


@pytest.fixture
def places_with_counts() -> None:
    build_communities(build_places())
    build_quintile_counts()


def _sii(rates: list[float]) -> float:
    """ScotPHO's SII by hand: weighted least squares of the rate on the cumulative-population
    midpoint (weights = population shares), sign flipped."""
    share = POPULATION / POPULATION.sum()
    midpoint = np.cumsum(share) - share / 2
    slope, _ = np.polyfit(midpoint, rates, 1, w=np.sqrt(share))
    return float(-slope)


def test_rates_gap_sii_and_trend_for_borsetshire(places_with_counts: None) -> None:
    tables = inequality_tables()
    assert tables is not None
    page = inequality_page(
        tables,
        code="S12900001",
        name="Borsetshire",
        slug=Partnership.objects.get(slug="borsetshire").slug,
    )
    (measure,) = page.measures
    assert measure.info.label == "Child poverty"
    assert (measure.latest_period, measure.kind) == ("2021/22", "synthetic")
    assert [q.national for q in measure.quintiles] == pytest.approx([32.0, 26.0, 20.0, 17.0, 14.0])
    assert [q.local for q in measure.quintiles] == pytest.approx([32.0, 26.0, 20.0, 17.0, 14.0])
    # Scotland adds Felpersham's five data zones at 20 %: quintile 1 = (32 + 32 + 20) / 3.
    assert [q.scotland for q in measure.quintiles] == pytest.approx([28.0, 23.0, 20.0, 18.5, 17.0])
    assert [p.gap for p in measure.points] == pytest.approx([30.0, 24.0, 18.0])
    expected = [_sii([BORSETSHIRE_RATES[q][i] for q in range(1, 6)]) for i in range(3)]
    assert [p.sii for p in measure.points] == pytest.approx(expected)
    assert measure.points[2].rii == pytest.approx(expected[2] / (141 / 6))
    assert measure.trend.trend == "narrowing"
    assert measure.scotland_trend.trend == "narrowing"
    assert measure.reading.startswith(
        f"Child poverty in 2021/22 is {expected[2]:.1f} percentage points higher in the most "
        "deprived areas than in the least deprived"
    )
    assert page.synthetic


def test_inequality_page_says_the_figures_are_synthetic(
    client: Client,
    places_with_counts: None,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_num_queries(INEQUALITY_QUERIES):
        response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<strong>These figures are synthetic.</strong>" in page
    assert "Borsetshire, Scotland's quintiles: <strong>narrowing</strong>." in page
    for cell in ("32.0", "28.0", "18.5", "30.0", "24.0", "18.0"):
        assert f'<td class="cplan-num">{cell}</td>' in page
    assert "<td>Synthetic (demo)</td>" in page
    with django_assert_num_queries(INEQUALITY_QUERIES_CACHED):
        again = client.get(URL).content.decode()
    assert again.split("</header>", 2)[2] == page.split("</header>", 2)[2]


def test_partnership_page_links_to_its_inequality_page(
    client: Client, places_with_counts: None
) -> None:
    page = client.get("/partnerships/borsetshire/").content.decode()
    assert 'href="/partnerships/borsetshire/inequality/"' in page


def test_inequality_page_without_data_zone_counts(client: Client) -> None:
    build_places()
    page = client.get(URL).content.decode()
    assert "No figures by deprivation quintile can be shown yet" in page
    assert client.get("/partnerships/nowhere/inequality/").status_code == 404
