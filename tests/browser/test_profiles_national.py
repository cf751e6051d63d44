"""The national picture in a real browser: axe is clean, the family filter works, and the CSV
download holds the figures worked by hand in tests/web/test_national.py."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from tests.web.outcome_data import build_outcomes
from tests.web.places import build_places

pytestmark = pytest.mark.browser

Axe = Callable[[Any], None]


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def test_national_picture_filters_downloads_and_is_accessible(
    page: Any, axe: Axe, tmp_path: Path
) -> None:
    build_outcomes(build_places())
    page.goto("/")
    page.get_by_role("link", name="National picture").click()
    page.wait_for_url("**/national/")
    assert page.get_by_role("row", name="Loxley Barrett").count() == 1
    axe(page)
    page.get_by_label("Deprivation family group").select_option("4")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/national/?family=4")
    assert page.get_by_role("row", name="Loxley Barrett").count() == 0
    axe(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download these figures (CSV)").click()
    saved = tmp_path / "national.csv"
    download_info.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text())))
    assert {r["area_name"]: (float(r["value"]), r["rank"]) for r in rows} == {
        "Borsetshire": (18.0, "3"),
        "Felpersham": (12.0, "1"),
    }
    page.get_by_role("link", name="Felpersham").click()
    page.wait_for_url("**/partnerships/felpersham/outcomes/")
