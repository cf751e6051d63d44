"""The pages: status, figures from the database, 404s, sign-in, and pinned query counts."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from cplan.geography.models import Boundary, DeprivationEdition
from cplan.partnerships.models import Partnership
from tests.web.places import build_places

pytestmark = pytest.mark.django_db

# Edition, measure by council area, partnerships (with subqueries), boundary count.
SCOTLAND_QUERIES = 4
# Partnership, edition, intermediate zones, quintiles, measure by council area.
PARTNERSHIP_QUERIES = 5


def html(response: Any) -> str:
    return response.content.decode()


def test_scotland_page_shows_the_map_reading_table_and_partnerships(
    client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    build_places()
    with django_assert_num_queries(SCOTLAND_QUERIES):
        response = client.get("/")
    assert response.status_code == 200
    page = html(response)
    assert "Borsetshire has the highest share of its people living in Scotland&#x27;s" in page
    assert "Loxley Barrett has the lowest (0.0%). For Scotland as a whole it is 21.8%." in page
    assert 'data-chart-spec="scotland-map-spec"' in page
    assert "vendor/vega-embed/vega-embed.min.js" in page
    # The table alternative, highest first, with counts.
    rows = page[page.index('id="measure-table-heading"') :]
    assert rows.index("Borsetshire") < rows.index("Felpersham") < rows.index("Loxley Barrett")
    assert '<td class="cplan-num">37.5</td>' in page
    assert '<td class="cplan-num">1,500</td>' in page
    assert '<td class="cplan-num">11,000</td>' in page
    # The list of partnerships links to each one.
    assert '<a href="/partnerships/loxley-barrett/">Loxley Barrett</a>' in page
    assert "Population (mid-2017)" in page


def test_scotland_map_spec_is_embedded_as_json(client: Client) -> None:
    build_places()
    page = html(client.get("/"))
    start = page.index('<script id="scotland-map-spec" type="application/json">')
    body = page[start:].split(">", 1)[1].split("</script>", 1)[0]
    spec = json.loads(body)
    assert spec["data"]["url"] == "/maps/council-areas.geojson"
    assert len(spec["transform"][0]["from"]["data"]["values"]) == 3


def test_scotland_page_without_boundaries_or_deprivation(client: Client) -> None:
    build_places(boundaries=False)
    Boundary.objects.all().delete()  # and any real ones, inside the test's transaction
    page = html(client.get("/"))
    assert "No council area boundaries are loaded, so the map cannot be drawn" in page
    assert "scotland-map-spec" not in page
    assert "vega-embed" not in page
    DeprivationEdition.objects.all().delete()
    page = html(client.get("/"))
    assert "No deprivation figures are loaded yet" in page
    assert "Borsetshire" in page


def test_every_page_answers_before_any_data_is_loaded(client: Client) -> None:
    for url in ("/", "/partnerships/", "/data/", "/accounts/login/"):
        assert client.get(url).status_code == 200, url
    empty = render_to_string("web/_partnership_table.html", {"partnerships": []})
    assert "No partnerships are loaded yet" in empty


def test_partnership_page(
    client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    build_places()
    with django_assert_num_queries(PARTNERSHIP_QUERIES):
        response = client.get("/partnerships/borsetshire/")
    assert response.status_code == 200
    page = html(response)
    assert '<h1 class="ds_page-header__title">Borsetshire</h1>' in page
    assert "S12900001" in page
    assert '<li class="ds_breadcrumbs__item" aria-current="page">Borsetshire</li>' in page
    assert "37.5%" in page
    assert "the highest of 3 council areas (Scotland 21.8%)" in page
    assert "1 of Borsetshire's 2 have at least one data zone" in page
    # Ambridge: 2,000 people in 3 data zones, 75% in quintile 1, best rank 12.
    ambridge = page[page.index('<th scope="row">Ambridge</th>') :].split("</tr>", 1)[0]
    cells = [c.split("</td>")[0] for c in ambridge.split('<td class="cplan-num">')[1:]]
    assert cells == ["2,000", "3", "75.0", "75.0", "12"]
    assert "In Borsetshire, 37.5% of people live in data zones in Scotland" in page
    felpersham = html(client.get("/partnerships/felpersham/"))
    assert "2nd highest of 3 council areas" in felpersham
    assert 'data-chart-spec="quintile-chart-spec"' in page


def test_partnership_page_query_count_does_not_grow_with_zones(
    client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    build_places()
    with django_assert_num_queries(PARTNERSHIP_QUERIES):
        client.get("/partnerships/loxley-barrett/")  # one zone
    with django_assert_num_queries(PARTNERSHIP_QUERIES):
        client.get("/partnerships/felpersham/")  # two zones


def test_unknown_partnership_is_a_404_page(client: Client) -> None:
    build_places()
    response = client.get("/partnerships/ambridge-upon-sea/")
    assert response.status_code == 404
    assert "Page not found" in html(response)
    assert "Community Planning Platform" in html(response)


def test_boundaries_endpoint(
    client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    build_places()
    with django_assert_num_queries(1):
        response = client.get("/maps/council-areas.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert "max-age=600" in response["Cache-Control"]
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == 3


def test_pages_refuse_writes(client: Client) -> None:
    assert client.post("/").status_code == 405


def test_partnerships_and_data_pages(client: Client) -> None:
    build_places()
    page = html(client.get("/partnerships/"))
    assert f"Scotland's {Partnership.objects.count()} partnerships" in page
    assert '<a href="/partnerships/felpersham/">Felpersham</a>' in page
    data = html(client.get("/data/"))
    assert "Test SIMD (population mid-2017)" in data
    assert 'id="sources"' in data


def test_base_layout_is_the_design_system(client: Client) -> None:
    page = html(client.get("/"))
    assert '<html lang="en-GB">' in page
    assert '<a class="ds_skip-links__link" href="#main-content">Skip to main content</a>' in page
    assert '<main id="main-content"' in page
    assert "vendor/sgds/css/design-system.min.css" in page
    assert "vendor/sgds/scripts/design-system.js" in page
    assert "vendor/htmx/htmx.min.js" in page
    assert 'hx-headers=\'{"X-CSRFToken": "' in page
    assert 'ds_phase-banner__tag">Beta</strong>' in page
    assert "Open Government Licence v3.0" in page
    assert "Contains public sector information licensed under the" in page
    assert 'aria-current="page">Scotland</a>' in page
    assert "http://" not in page.replace("http://www.w3.org", "")
    for name in ("Scotland", "Partnerships", "Data", "API", "Sign in"):
        assert f">{name}</a>" in page


def test_static_files_the_pages_use_are_served(client: Client) -> None:
    for path in (
        "/static/vendor/sgds/css/design-system.min.css",
        "/static/vendor/sgds/scripts/design-system.js",
        "/static/vendor/sgds/images/icons/icons.stack.svg",
        "/static/vendor/htmx/htmx.min.js",
        "/static/vendor/vega/vega.min.js",
        "/static/vendor/vega-lite/vega-lite.min.js",
        "/static/vendor/vega-embed/vega-embed.min.js",
        "/static/web/charts.js",
        "/static/web/cplan.css",
        "/static/web/saltire.svg",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_sign_in_and_out(client: Client) -> None:
    User.objects.create_user("officer", password="correct horse battery")
    page = html(client.get("/accounts/login/"))
    assert 'autocomplete="current-password"' in page
    assert '<button type="submit" class="ds_button">Sign in</button>' in page
    failed = client.post("/accounts/login/", {"username": "officer", "password": "wrong"})
    assert failed.status_code == 200
    assert "There is a problem" in html(failed)
    assert "<title>Error: Sign in" in html(failed)
    signed_in = client.post(
        "/accounts/login/", {"username": "officer", "password": "correct horse battery"}
    )
    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/"
    page = html(client.get("/"))
    assert ">Sign out</button>" in page
    assert client.get("/accounts/logout/").status_code == 405  # sign-out is a POST
    signed_out = client.post("/accounts/logout/")
    assert signed_out.status_code == 302
    assert ">Sign in</a>" in html(client.get("/"))


def test_blank_sign_in_names_each_field(client: Client) -> None:
    page = html(client.post("/accounts/login/", {"username": "", "password": ""}))
    assert '<a href="#id_username">Username: This field is required.</a>' in page
    assert 'aria-invalid="true" aria-describedby="id_password-error"' in page


def test_admin_stays_at_admin(client: Client) -> None:
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_server_error_page_renders_without_a_request() -> None:
    page = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in page
    assert "hx-headers" not in page
