"""The pages on Scotland's real geography (SIMD 2020v2 and the 32 council boundaries).

Expected figures come from the published SIMD 2020v2 file: population-weighted share of each
council area's people in national quintile 1 data zones, population mid-2017.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from cplan.web.geo import signed_area
from tests.web.test_pages import PARTNERSHIP_QUERIES, SCOTLAND_QUERIES

pytestmark = [pytest.mark.realdata, pytest.mark.slow, pytest.mark.django_db]


def test_scotland_page_on_real_data(
    client: Client, real_geography: Path, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(SCOTLAND_QUERIES):
        response = client.get("/")
    page = response.content.decode()
    assert (
        "Glasgow City has the highest share of its people living in Scotland&#x27;s most "
        "deprived 20% of data zones (44.3%); Na h-Eileanan Siar, Orkney Islands and Shetland "
        "Islands have the lowest (0.0%). For Scotland as a whole it is 19.5%."
    ) in page
    assert '<td class="cplan-num">275,320</td>' in page  # Glasgow's people in quintile 1
    assert '<td class="cplan-num">5,424,800</td>' in page  # Scotland, mid-2017
    assert page.count('<a href="/partnerships/') >= 2 * 32


def test_fife_page_on_real_data(
    client: Client, real_geography: Path, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(PARTNERSHIP_QUERIES):
        response = client.get("/partnerships/fife/")
    page = response.content.decode()
    assert "S12000047" in page
    assert "371,410" in page
    assert "19.6%" in page
    assert "11th highest of 32 council areas (Scotland 19.5%)" in page
    assert '<span class="cplan-stat__value">104</span>' in page
    assert '<span class="cplan-stat__value">494</span>' in page


def test_real_boundaries_are_served_wound_for_vega(client: Client, real_geography: Path) -> None:
    features = client.get("/maps/council-areas.geojson").json()["features"]
    assert len(features) == 32
    for feature in features:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        assert all(signed_area(polygon[0]) <= 0 for polygon in polygons), feature["id"]
