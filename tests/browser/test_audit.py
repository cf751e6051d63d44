"""Audit recommendations in a real browser: a CPP officer responds, an auditor rates the response,
and the national roll-up follows; every page is axe-clean; the impact report's PDF holds the
progress appendix."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from pypdf import PdfReader

from cplan.accounts.models import Role
from cplan.audit.services import audit_import
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.audit.conftest import VALID
from tests.browser.conftest import open_page
from tests.geography.factories import CouncilAreaFactory, PartnershipFactory

pytestmark = pytest.mark.browser

Axe = Callable[[Any], None]
PASSWORD = "correct horse battery staple"  # the factory's password
REC = "/audit/recommendations/BA2021-R02/"


def load_audit_set() -> None:
    """The fictional Borsetshire audit set; Felpersham has not responded to BA2021-R02 yet."""
    for code, name, slug in [
        ("S12900001", "Borsetshire", "borsetshire"),
        ("S12900002", "Felpersham", "felpersham"),
    ]:
        PartnershipFactory(council_area=CouncilAreaFactory(code=code, name=name), slug=slug)
    audit_import(directory=VALID)
    felpersham_officer = UserFactory(username="felpersham-officer")
    RoleAssignmentFactory(
        user=felpersham_officer,
        role=Role.CPP_OFFICER,
        partnership=PartnershipFactory(code="S12900002"),
    )
    RoleAssignmentFactory(user=UserFactory(username="auditor"), role=Role.AUDITOR, partnership=None)


def sign_in(page: Any, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def rollup(page: Any) -> dict[str, int]:
    counts = page.locator("#rollup .cplan-rollup__count")
    return {
        counts.nth(i).get_attribute("data-status"): int(counts.nth(i).inner_text())
        for i in range(counts.count())
    }


def test_a_response_then_a_rating_move_the_national_rollup(
    page: Any, axe: Axe, browser: Any, live_server: Any
) -> None:
    load_audit_set()
    page.goto(REC)
    before = rollup(page)
    assert (before["amber"], before["not_responded"], before["awaiting_rating"]) == (1, 1, 0)
    axe(page)

    # The Felpersham officer responds, citing its plan as evidence.
    sign_in(page, "felpersham-officer")
    page.goto(REC)
    form = page.locator("#respond form")
    form.get_by_label("What has been done").fill(
        "Our 2022 budget moves 5% of spending to prevention."
    )
    form.get_by_label("Evidence (optional)").fill("LOIP 2022-2032 | /partnerships/felpersham/")
    axe(page)
    form.get_by_role("button", name="Submit response").click()
    page.wait_for_url(f"**{REC}#responses")
    assert page.get_by_role("status").first.inner_text().startswith("Your response for Felpersham")
    after_response = rollup(page)
    assert (after_response["not_responded"], after_response["awaiting_rating"]) == (0, 1)
    felpersham_row = page.locator("#rollup-table tr[data-partnership='S12900002']")
    assert felpersham_row.get_by_role("link", name="LOIP 2022-2032").is_visible()
    axe(page)

    # An auditor, in a browser of their own, rates the response red.
    context, auditor_page, problems = open_page(browser, live_server.url)
    try:
        sign_in(auditor_page, "auditor")
        auditor_page.goto(REC)
        assess = auditor_page.locator("#assess form")
        # Borsetshire's response was rated on import, so Felpersham's is the only one waiting.
        responses = assess.get_by_label("Rating a response")
        assert responses.locator("option").nth(1).inner_text().startswith("Felpersham, ")
        responses.select_option(index=1)
        assess.get_by_text("Red", exact=True).click()  # the design system styles the label
        assert assess.get_by_label("Red", exact=True).is_checked()
        assess.get_by_label("Headline").fill("Too early to see a shift of resources.")
        axe(auditor_page)
        assess.get_by_role("button", name="Record the rating").click()
        auditor_page.wait_for_url(f"**{REC}#progress")
        rated = rollup(auditor_page)
        assert (rated["red"], rated["amber"], rated["awaiting_rating"]) == (1, 1, 0)
        axe(auditor_page)
    finally:
        context.close()
    assert not problems.outside_requests
    assert not problems.errors

    # The public sees the new rating too.
    page.goto(REC)
    assert rollup(page)["red"] == 1


def test_the_dashboard_and_impact_report_are_accessible_and_the_pdf_has_the_appendix(
    page: Any, axe: Axe
) -> None:
    load_audit_set()
    page.goto("/audit/")
    axe(page)
    reports = page.locator("section[aria-labelledby='reports-heading']")
    reports.get_by_role("link", name="Community planning in Borsetshire: an update").click()
    page.get_by_role("link", name="Impact report").click()
    page.wait_for_url("**/audit/reports/BA2021/impact/")
    appendix = page.locator("#appendix-table")
    assert appendix.locator("tr[data-recommendation]").count() == 4
    axe(page)
    pdf = page.request.get(page.url.replace("/impact/", "/impact.pdf"))
    assert pdf.headers["content-type"] == "application/pdf"
    text = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf.body())).pages
    )
    assert "Appendix: progress on implementing the recommendations" in text
    assert "Grouped: BA2021-R01, BA2021-R03 (closely related)" in text
    for headline in [
        "The route map has been agreed.",
        "The evaluation framework is still being developed.",
        "No evaluation has started.",
    ]:
        assert headline in text
    page.goto("/audit/recommendations/?dimension=value_for_money")
    assert page.get_by_role("status").inner_text() == "1 recommendation"
    axe(page)
