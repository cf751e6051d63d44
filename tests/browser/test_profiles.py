"""The CPP outcomes profile in a real browser: charts draw, axe is clean, the CSV download holds
the figures in the database (tests/web/outcome_data.py)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from cplan.indicators.models import Observation
from tests.web.outcome_data import build_outcomes
from tests.web.places import build_places

pytestmark = pytest.mark.browser

Axe = Callable[[Any], None]


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def test_outcomes_profile_draws_and_is_accessible(page: Any, axe: Axe) -> None:
    build_outcomes(build_places())
    page.goto("/partnerships/borsetshire/")
    page.get_by_role("link", name="Outcomes profile").click()
    page.wait_for_url("**/partnerships/borsetshire/outcomes/")
    page.wait_for_selector("#spine-chart[data-chart-state='drawn']")
    page.wait_for_selector("#trend-cpop-cpp-child-poverty-test[data-chart-state='drawn']")
    label = page.locator("#trend-cpop-cpp-child-poverty-test svg").get_attribute("aria-label")
    assert "fell from 20.0% to 18.0%" in (label or "")
    page.get_by_text("Table of child poverty over time").click()
    assert page.get_by_role("row", name="2012/13 Projected 17.0 14.5 14.3").count() == 1
    axe(page)


def test_downloaded_csv_matches_the_database(page: Any, tmp_path: Path) -> None:
    build_outcomes(build_places())
    page.goto("/partnerships/borsetshire/outcomes/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download child poverty figures (CSV)").click()
    saved = tmp_path / "download.csv"
    download_info.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text())))
    stored = {
        (o.period, o.kind): o.value
        for o in Observation.objects.filter(
            indicator__code="cpop-cpp-child-poverty-test", area__code="S12900001"
        )
    }
    assert {(r["period"], r["kind"]): float(r["value"]) for r in rows} == stored
