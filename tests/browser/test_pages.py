"""The pages in a real browser: the map draws, links lead on, the keyboard works, axe is clean."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import open_page
from tests.web.places import build_places

pytestmark = pytest.mark.browser

Axe = Callable[[Any], None]
MAP_SHAPES = "#scotland-map svg path[aria-roledescription='geoshape']"


def test_scotland_map_draws_and_is_accessible(page: Any, axe: Axe) -> None:
    build_places()
    page.goto("/")
    page.wait_for_selector("#scotland-map[data-chart-state='drawn']")
    # A grey base layer (hidden from screen readers) and a coloured layer, one shape per area.
    assert page.locator(MAP_SHAPES).count() == 3
    assert page.locator("#scotland-map svg path").count() >= 6
    assert "Borsetshire has the highest share" in (
        page.locator("#scotland-map svg").get_attribute("aria-label") or ""
    )
    axe(page)


def test_clicking_an_area_on_the_map_opens_its_partnership(page: Any) -> None:
    build_places()
    page.goto("/")
    page.wait_for_selector("#scotland-map[data-chart-state='drawn']")
    page.locator(f"{MAP_SHAPES}[aria-label='Felpersham: 18.0%']").click()
    page.wait_for_url("**/partnerships/felpersham/")
    assert page.locator("h1").inner_text() == "Felpersham"


def test_choosing_a_partnership_from_the_list(page: Any, axe: Axe) -> None:
    build_places()
    page.goto("/")
    table = page.locator("section[aria-labelledby='partnerships-heading'] table")
    table.get_by_role("link", name="Loxley Barrett").click()
    page.wait_for_url("**/partnerships/loxley-barrett/")
    assert page.locator("h1").inner_text() == "Loxley Barrett"
    assert page.get_by_role("row", name="Edgeley").count() == 1
    page.wait_for_selector("#quintile-chart[data-chart-state='drawn']")
    axe(page)


def test_keyboard_reaches_the_skip_link_then_the_navigation(page: Any) -> None:
    build_places()
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to main content"
    assert skip.bounding_box()["width"] > 1  # shown when focused
    focused_texts = []
    for _ in range(11):
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        focused_texts.append(focused.inner_text().strip())
        style = focused.evaluate(
            "el => { const s = getComputedStyle(el);"
            " return [s.outlineStyle, s.boxShadow, s.backgroundColor]; }"
        )
        assert style[0] != "none" or style[1] != "none", f"no visible focus on {focused_texts[-1]}"
    nav = [
        "Scotland",
        "Partnerships",
        "National picture",
        "Plans",
        "Audit",
        "Data",
        "API",
        "Sign in",
    ]
    positions = [focused_texts.index(name) for name in nav]
    assert positions == sorted(positions), focused_texts
    # Back to the nav's Partnerships link and follow it with Enter.
    page.goto("/")
    for _ in range(1 + focused_texts.index("Partnerships") + 1):
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/partnerships/")


def test_skip_link_moves_focus_to_the_main_content(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


@pytest.mark.parametrize(
    "path", ["/partnerships/", "/partnerships/borsetshire/", "/data/", "/accounts/login/"]
)
def test_pages_are_accessible(page: Any, axe: Axe, path: str) -> None:
    build_places()
    page.goto(path)
    axe(page)


def test_not_found_and_sign_in_errors_are_accessible(page: Any, axe: Axe) -> None:
    response = page.goto("/partnerships/nowhere/")
    assert response.status == 404
    axe(page)
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector(".ds_error-summary")
    axe(page)


def test_small_screen_menu_opens_and_is_accessible(page: Any, axe: Axe) -> None:
    build_places()
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/")
    menu = page.get_by_role("button", name="Menu")
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    mobile_nav = page.locator("#mobile-navigation")
    mobile_nav.get_by_role("link", name="Partnerships").click()
    page.wait_for_url("**/partnerships/")
    axe(page)


def test_pages_work_without_javascript(
    browser: Any, live_server: Any, transactional_db: None
) -> None:
    build_places()
    context, page, problems = open_page(browser, live_server.url, java_script_enabled=False)
    try:
        page.goto("/")
        assert page.get_by_text("The map needs JavaScript.").is_visible()
        assert page.locator("#measure-table-heading + .cplan-table-scroll tbody tr").count() == 3
        page.get_by_role("link", name="Borsetshire").first.click()
        page.wait_for_url("**/partnerships/borsetshire/")
        assert page.get_by_role("row", name="Ambridge").count() == 1
    finally:
        context.close()
    assert not problems.outside_requests, problems.report()


def test_htmx_requests_carry_the_csrf_token(page: Any) -> None:
    page.goto("/accounts/login/")
    assert page.evaluate("typeof window.htmx") == "object"
    # Sign-out accepts only a POST with a valid CSRF token: 403 without it, a redirect with it.
    with page.expect_response("**/accounts/logout/") as response:
        page.evaluate("htmx.ajax('POST', '/accounts/logout/', {target: 'body', swap: 'none'})")
    assert response.value.status == 302
