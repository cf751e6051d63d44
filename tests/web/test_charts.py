"""The Vega-Lite specifications: shape, and that they render offline with vl-convert."""

from __future__ import annotations

import pytest
import vl_convert as vlc

from cplan.web import charts, selectors
from tests.web.places import build_places

pytestmark = pytest.mark.django_db


def test_choropleth_links_each_area_and_reads_the_numbers() -> None:
    places = build_places()
    measure = selectors.council_area_simd_share(edition=places.edition)
    spec = charts.council_area_choropleth(measure, boundaries_url="/maps/council-areas.geojson")
    assert spec["data"]["url"] == "/maps/council-areas.geojson"
    lookup = spec["transform"][0]
    assert lookup["lookup"] == "properties.code"
    assert lookup["from"]["data"]["values"][0] == {
        "code": "S12900001",
        "name": "Borsetshire",
        "value": 37.5,
        "url": "/partnerships/borsetshire/",
    }
    coloured = spec["layer"][1]["encoding"]
    assert coloured["href"] == {"field": "url"}
    assert coloured["color"]["title"] == "% of people in SIMD quintile 1"
    assert spec["description"].endswith(measure.reading)


def test_choropleth_renders_offline_to_svg_with_one_shape_per_area() -> None:
    places = build_places()
    measure = selectors.council_area_simd_share(edition=places.edition)
    spec = charts.council_area_choropleth(
        measure, boundaries=selectors.council_area_boundaries(), width=300, height=300
    )
    svg = vlc.vegalite_to_svg(spec, vl_version="6.4")
    # The grey base layer is hidden from screen readers; the coloured layer labels each area.
    assert svg.count('aria-roledescription="geoshape"') == 3
    assert 'aria-label="Borsetshire: 37.5%"' in svg
    assert 'aria-label="Loxley Barrett: 0.0%"' in svg


def test_choropleth_needs_exactly_one_source_of_boundaries() -> None:
    places = build_places()
    measure = selectors.council_area_simd_share(edition=places.edition)
    with pytest.raises(ValueError, match="exactly one"):
        charts.council_area_choropleth(measure)


def test_quintile_bars_render_offline() -> None:
    places = build_places()
    page = selectors.partnership_page(partnership=places.partnerships["S12900001"])
    spec = charts.quintile_bars(page.quintiles, description="Borsetshire by quintile", width=300)
    assert [v["share"] for v in spec["layer"][0]["data"]["values"]] == [
        37.5,
        15.0,
        12.5,
        10.0,
        25.0,
    ]
    svg = vlc.vegalite_to_svg(spec, vl_version="6.4")
    assert "1 (most deprived)" in svg
    assert "37.5" in svg
