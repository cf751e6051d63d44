"""Browser-test harness: Debian's Chromium driven by Playwright, and axe-core for accessibility.

- ``browser``: one headless Chromium per test session (skipped cleanly when /usr/bin/chromium is
  absent; Playwright's own browser downloads are never used).
- ``page``: a fresh browser context and page per test, pointed at pytest-django's ``live_server``
  with a transactional database (load data inside the test). The page may only talk to the live
  server: any request elsewhere is blocked and fails the test, as does a JavaScript error.
- ``axe``: ``axe(page)`` injects ``node_modules/axe-core/axe.min.js`` and fails the test on any
  serious or critical WCAG 2.2 AA violation, listing each rule, its help page and the elements.

Browser tests carry ``@pytest.mark.browser`` and run in one xdist group, so parallel runs start a
single Chromium.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
DESKTOP = {"width": 1280, "height": 900}

# Playwright's sync API keeps an asyncio loop in the test's thread; Django refuses ORM calls from a
# thread with a running loop unless told that this (single-threaded) use is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.xdist_group("browser"))


def axe_script() -> Path:
    return Path(settings.NODE_MODULES_DIR) / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class PageProblems:
    """What a page did that a test should never see."""

    outside_requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def on_console(self, message: Any) -> None:
        # A failed load is reported by on_response, which knows whether it was the page itself
        # (a 404 page is a fine thing to test) or something the page needed.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(message.text)

    def on_response(self, response: Any) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.errors.append(f"{response.status} for {response.url}")

    def report(self) -> str:
        lines = [f"request outside the platform: {url}" for url in self.outside_requests]
        return "\n".join(lines + [f"JavaScript error: {error}" for error in self.errors])


def open_page(browser: Any, base_url: str, **context_options: Any) -> tuple[Any, Any, PageProblems]:
    """A new context and page that may only load from ``base_url``."""
    problems = PageProblems()
    context = browser.new_context(
        base_url=base_url, viewport=DESKTOP, service_workers="block", **context_options
    )
    allowed = urlsplit(base_url).netloc

    def guard(route: Any) -> None:
        if urlsplit(route.request.url).netloc == allowed:
            route.continue_()
        else:
            problems.outside_requests.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("pageerror", lambda error: problems.errors.append(str(error)))
    page.on("console", problems.on_console)
    page.on("response", problems.on_response)
    return context, page, problems


@pytest.fixture
def page(browser: Any, live_server: Any, transactional_db: None) -> Iterator[Any]:
    context, new_page, problems = open_page(browser, live_server.url)
    yield new_page
    context.close()
    if problems.outside_requests or problems.errors:
        pytest.fail(problems.report(), pytrace=False)


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe found {len(violations)} serious or critical WCAG 2.2 AA violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"][:5]:
            target = " ".join(str(part) for part in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}: {summary}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more element(s)")
    return "\n".join(lines)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical WCAG 2.2 AA violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script()))
    result = page.evaluate(
        """async (tags) => await window.axe.run(document, {
            runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]
        })""",
        AXE_TAGS,
    )
    return [v for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    if violations:
        pytest.fail(format_violations(page.url, violations), pytrace=False)


@pytest.fixture
def axe() -> Callable[[Any], None]:
    """``axe(page)``: fail on serious or critical WCAG 2.2 AA violations, with a readable list."""
    return assert_accessible
