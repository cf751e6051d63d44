"""Plans in a real browser (issue 5): a CPP officer signs in and builds a plan with a priority,
outcome, measure and commitment, and publishes it; the partner lead posts a progress update; a
board member sees it in the scrutiny pack and records a challenge. Every page is axe-clean."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from cplan.plans.models import Challenge, PlanStatus, PlanVersion, ProgressUpdate
from tests.plans.factories import build_world, observe

pytestmark = pytest.mark.browser

Axe = Callable[[Any], None]
PASSWORD = "correct horse battery staple"  # the factories' password


def sign_in(page: Any, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Sign out").count() > 0


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").first.click()
    page.wait_for_load_state()


def tick(page: Any, label: str) -> None:
    """Tick a Design System checkbox or radio button as a person does: by its label."""
    page.locator("label", has_text=label).first.click()
    assert page.get_by_label(label, exact=True).first.is_checked()


def save(page: Any, name: str = "Save") -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()
    assert page.locator("#error-summary").count() == 0, page.locator("#error-summary").inner_text()


def test_plan_to_progress_to_scrutiny_and_challenge(page: Any, axe: Axe) -> None:
    world = build_world()
    observe(world.indicator, world.council_area, {2016: 25.0, 2019: 24.0, 2021: 23.5})

    # A CPP officer builds the plan.
    sign_in(page, "officer")
    page.goto("/plans/")
    page.get_by_role("link", name="Create a plan").click()
    page.select_option("#id_partnership", label="Borsetshire")
    page.fill("#id_title", "Borsetshire LOIP 2023-2030")
    page.fill("#id_summary", "Fewer children in poverty, everywhere in Borsetshire.")
    page.fill("#id_period_start", "2023-04-01")
    page.fill("#id_period_end", "2030-03-31")
    axe(page)
    save(page, "Create the plan")
    assert page.locator("h1").inner_text() == "Borsetshire LOIP 2023-2030"

    page.get_by_role("link", name="Add a priority").click()
    page.fill("#id_title", "Tackling child poverty")
    save(page)
    page.get_by_role("link", name="Add an outcome to Tackling child poverty").click()
    page.fill("#id_title", "Fewer children grow up in poverty")
    tick(page, "Poverty")
    axe(page)
    save(page)
    page.get_by_role("link", name="Add a measure to Fewer children grow up in poverty").click()
    page.select_option("#id_indicator", label="Child poverty")
    assert page.input_value("#id_area_code") == "S12900001"
    page.fill("#id_baseline_period", "2016")
    page.fill("#id_target_value", "18")
    page.fill("#id_target_year", "2030")
    axe(page)
    save(page)
    page.get_by_role("link", name="Add a commitment to Tackling child poverty").click()
    page.fill("#id_title", "Income maximisation advice in every GP practice")
    page.select_option("#id_lead_organisation", label="NHS Borsetshire")
    tick(page, "Borsetshire Council")
    page.fill("#id_start_date", "2023-04-01")
    page.fill("#id_due_date", "2026-03-31")
    tick(page, "Preventative")
    save(page)
    # The measure's status is computed from the data: 25 → 23.5 is too slow for 18 by 2030.
    measure_row = page.locator("tr[id^=measure-]")
    assert "Off track" in measure_row.inner_text()
    page.get_by_role("button", name="Approve this version").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Publish this version").click()
    page.wait_for_load_state()
    assert "Published: anyone can now read it." in page.locator("main").inner_text()
    axe(page)
    version = PlanVersion.objects.get()
    assert version.status == PlanStatus.PUBLISHED
    sign_out(page)

    # The partner lead reports progress.
    sign_in(page, "nhs-lead")
    page.goto("/plans/commitments/")
    page.get_by_role("link", name="Income maximisation advice in every GP practice").click()
    page.get_by_role("link", name="Report progress").click()
    tick(page, "Amber")
    page.fill("#id_percent_complete", "35")
    page.fill(
        "#id_narrative",
        "Advisers are now in 14 of 40 practices; recruitment is slower than planned.",
    )
    page.fill("#id_evidence", "Board paper | https://example.org/paper.pdf")
    axe(page)
    save(page, "Post the update")
    assert "14 of 40 practices" in page.locator("main").inner_text()
    update = ProgressUpdate.objects.get()
    assert (update.rag, update.percent_complete, update.organisation) == ("amber", 35, world.nhs)
    sign_out(page)

    # A board member reads the scrutiny pack and challenges the lead partner.
    sign_in(page, "councillor")
    page.goto(f"/plans/scrutiny/borsetshire/?date={dt.date.today().isoformat()}")
    page.wait_for_load_state()
    pack = page.locator("main").inner_text()
    assert "Child poverty, Borsetshire" in pack  # off track
    assert "NHS Borsetshire" in pack  # partner by partner
    partners = pack.split("4. Partner by partner")[1]
    assert (
        "Leads: Income maximisation advice in every GP practice, due 31 Mar 2026 – Amber"
        in partners
    )
    axe(page)
    page.goto("/plans/commitments/")
    page.get_by_role("link", name="Income maximisation advice in every GP practice").click()
    page.get_by_role("link", name="Challenge the lead partner").click()
    page.fill(
        "#id_question",
        "Recruitment is behind: what will NHS Borsetshire do to reach all 40 practices?",
    )
    save(page, "Record the challenge")
    assert "Your challenge was put to NHS Borsetshire." in page.locator("main").inner_text()
    page.goto("/plans/challenges/")
    assert "what will NHS Borsetshire do" in page.locator("main").inner_text()
    axe(page)
    challenge = Challenge.objects.get()
    assert (challenge.organisation, challenge.raised_by_name) == (world.nhs, "councillor")
