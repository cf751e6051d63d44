"""The Communities page, a community profile and the inequality page in a real browser: the main
flow by keyboard and mouse, sorting and filtering through the form, axe clean, and the CSV download
holding the figures in the database (tests/web/community_data.py)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from cplan.indicators.models import Observation
from tests.web.community_data import build_communities, build_quintile_counts
from tests.web.places import build_places

pytestmark = pytest.mark.browser

Axe = Callable[[Any], None]


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _first_community(page: Any) -> str:
    return str(page.locator("#communities-table tbody tr th a").first.inner_text())


def test_communities_sort_filter_and_open_a_community(page: Any, axe: Axe) -> None:
    build_communities(build_places())
    page.goto("/partnerships/borsetshire/")
    page.get_by_role("link", name="Communities:").click()
    page.wait_for_url("**/partnerships/borsetshire/communities/")
    assert _first_community(page) == "Ambridge"
    axe(page)

    page.get_by_label("Sort by").select_option("improvement")
    page.get_by_role("button", name="Update the table").click()
    page.wait_for_url("**/communities/?sort=improvement&flag=")
    assert _first_community(page) == "Penny Hassett"

    page.get_by_label("Which communities").select_option("poorest")
    page.get_by_role("button", name="Update the table").press("Enter")
    page.wait_for_url("**/communities/?sort=improvement&flag=poorest")
    assert page.locator("#communities-table tbody tr").count() == 1

    page.get_by_role("link", name="Ambridge").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/communities/S02900011/")
    assert page.get_by_role("heading", level=1).inner_text() == "Ambridge"
    page.wait_for_selector("#trend-cpop-iz-child-poverty[data-chart-state='drawn']")
    label = page.locator("#trend-cpop-iz-child-poverty svg").get_attribute("aria-label")
    assert "child poverty was 24.0%" in (label or "")
    page.get_by_text("Child poverty over time", exact=True).click()
    assert page.get_by_role("row", name="2022/23 Projected 23.0").count() == 1
    axe(page)


def test_downloaded_community_csv_matches_the_database(page: Any, tmp_path: Path) -> None:
    build_communities(build_places())
    page.goto("/communities/S02900012/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download Penny Hassett's figures over time (CSV)").click()
    saved = tmp_path / "download.csv"
    download_info.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text())))
    stored = {
        (o.indicator.code, o.period, o.kind): o.value
        for o in Observation.objects.filter(area__code="S02900012").select_related("indicator")
    }
    assert {(r["measure_code"], r["period"], r["kind"]): float(r["value"]) for r in rows} == stored


def test_inequality_page_is_accessible_and_says_synthetic(page: Any, axe: Axe) -> None:
    build_communities(build_places())
    build_quintile_counts()
    page.goto("/partnerships/borsetshire/")
    page.get_by_role("link", name="Inequality:").click()
    page.wait_for_url("**/partnerships/borsetshire/inequality/")
    assert "These figures are synthetic." in page.locator("#synthetic-warning").inner_text()
    assert page.get_by_role("row", name="2021/22 Synthetic (demo) 18.0").count() == 1
    axe(page)
