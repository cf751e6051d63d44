"""The plan pages: who can read what, the forms' field-level errors, escaping, the scrutiny pack
page and PDF, search and filters."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from cplan.partnerships import services as partnership_services
from cplan.plans import services
from cplan.plans.models import PlanMeasure, ProgressUpdate
from tests.plans.factories import PlanParts, World, build_plan, build_world, observe

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.fixture
def published(world: World) -> PlanParts:
    parts = build_plan(world, publish=True)
    observe(world.indicator, world.council_area, {2016: 25.0, 2019: 24.0})
    return parts


def client_for(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def version_url(parts: PlanParts) -> str:
    return reverse("plans:version", args=[parts.version.plan_id, parts.version.number])


def test_every_read_page_renders(world: World, published: PlanParts) -> None:
    board = partnership_services.governance_body_create(
        user=world.officer, partnership=world.partnership, kind="board", name="CPP Board"
    )
    partnership_services.meeting_create(user=world.officer, body=board, date=dt.date(2024, 6, 12))
    services.progress_update_create(
        user=world.nhs_lead,
        commitment=published.commitment,
        rag="red",
        percent_complete=10,
        narrative="Recruitment delayed.",
        reported_on=dt.date(2024, 3, 1),
    )
    challenge = services.challenge_create(
        user=world.board_member, commitment=published.commitment, question="Why the delay?"
    )
    client = client_for(world.board_member)
    pages = [
        reverse("plans:list"),
        reverse("plans:detail", args=[published.version.plan_id]),
        version_url(published),
        reverse("plans:measures"),
        reverse("plans:measure", args=[published.measure.pk]),
        reverse("plans:commitments"),
        reverse("plans:commitment", args=[published.commitment.pk]),
        reverse("plans:challenges"),
        reverse("plans:challenge", args=[challenge.pk]),
        reverse("plans:scrutiny", args=["borsetshire"]),
        reverse("plans:scrutiny-pack", args=["borsetshire", "2024-06-12"]),
        reverse("partnerships:governance", args=["borsetshire"]),
        reverse("partnerships:body", args=["borsetshire", board.slug]),
        reverse("partnerships:organisations"),
        reverse("partnerships:organisation", args=["nhs-borsetshire"]),
    ]
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url


def test_the_public_reads_published_plans_but_not_drafts(
    world: World, published: PlanParts
) -> None:
    draft = build_plan(world)
    public = client_for()
    assert public.get(version_url(published)).status_code == 200
    assert public.get(version_url(draft)).status_code == 404
    assert public.get(reverse("plans:measure", args=[draft.measure.pk])).status_code == 404
    assert public.get(reverse("plans:commitment", args=[draft.commitment.pk])).status_code == 404
    listing = public.get(reverse("plans:list")).content.decode()
    assert listing.count("Borsetshire LOIP 2023-2030") == 1
    assert client_for(world.officer).get(version_url(draft)).status_code == 200
    assert client_for(world.other_officer).get(version_url(draft)).status_code == 404


def test_edit_pages_send_strangers_to_sign_in_and_refuse_other_partnerships(
    world: World,
) -> None:
    draft = build_plan(world)
    url = reverse("plans:priority-create", args=[draft.version.plan_id, 1])
    assert client_for().get(url).status_code == 302
    assert client_for(world.nhs_lead).get(url).status_code == 403
    assert client_for(world.officer).get(url).status_code == 200
    assert client_for(world.other_officer).get(url).status_code == 403


def measure_form(parts: PlanParts, world: World, **changes: str) -> dict[str, str]:
    return {
        "revision": "1",
        "outcome": str(parts.outcome.pk),
        "indicator": str(world.indicator.pk),
        "area_code": "S12900001",
        "locality": "",
        "breakdown": "all",
        "baseline_period": "2016",
        "baseline_value": "",
        "target_value": "15",
        "target_year": "2030",
        "trajectory": "",
        "note": "",
        "position": "0",
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"target_year": "2014"},
            "target_year",
            "The target year (2014) is not after the baseline year (2016)",
        ),
        (
            {"area_code": "S02900021"},
            "area_code",
            "Hollerton (S02900021) is outside Borsetshire",
        ),
        ({"area_code": "S99999999"}, "area_code", "No area has the code &#x27;S99999999&#x27;."),
        (
            {"trajectory": "2020 about 20"},
            "trajectory",
            "Line 1 (&#x27;2020 about 20&#x27;) is not",
        ),
        ({"note": "n" * 2001}, "note", "at most 2000 characters"),
    ],
)
def test_the_measure_form_reports_each_bad_input_on_its_field(
    world: World, changes: dict[str, str], field: str, message: str
) -> None:
    parts = build_plan(world)
    response = client_for(world.officer).post(
        reverse("plans:measure-create", args=[parts.outcome.pk]),
        measure_form(parts, world, **changes),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    assert message in page
    assert 'aria-invalid="true"' in page
    assert PlanMeasure.objects.count() == 1


def test_a_measure_added_through_the_form(world: World) -> None:
    parts = build_plan(world)
    response = client_for(world.officer).post(
        reverse("plans:measure-create", args=[parts.outcome.pk]),
        measure_form(parts, world, trajectory="2022: 20\n2026: 17.5"),
    )
    assert response.status_code == 302
    measure = PlanMeasure.objects.latest("id")
    assert measure.area == world.council_area
    assert measure.trajectory == [{"year": 2022, "value": 20.0}, {"year": 2026, "value": 17.5}]


def test_a_stale_form_is_refused_with_a_conflict_message(world: World) -> None:
    parts = build_plan(world)
    url = reverse("plans:item-edit", args=["priority", parts.priority.pk])
    form = {"revision": "1", "title": "Poverty", "description": "", "position": "1"}
    first, second = client_for(world.officer), client_for(world.officer)
    assert first.post(url, form).status_code == 302
    response = second.post(url, {**form, "title": "Child poverty"})
    assert response.status_code == 400
    assert "was changed by someone else since you opened it" in response.content.decode()
    parts.priority.refresh_from_db()
    assert parts.priority.title == "Poverty"


def test_html_in_text_is_shown_escaped(world: World, published: PlanParts) -> None:
    script = '<script>alert("x")</script>'
    response = client_for(world.nhs_lead).post(
        reverse("plans:progress-create", args=[published.commitment.pk]),
        {
            "rag": "amber",
            "percent_complete": "20",
            "narrative": script,
            "evidence": "Board paper | https://example.org/paper.pdf",
            "reported_on": "2024-02-01",
            "organisation": "",
        },
    )
    assert response.status_code == 302
    assert ProgressUpdate.objects.get().narrative == script
    page = client_for().get(reverse("plans:commitment", args=[published.commitment.pk]))
    html = page.content.decode()
    assert script not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<a href="https://example.org/paper.pdf" rel="nofollow noopener">Board paper</a>' in html


def test_progress_on_a_closed_plan_is_refused_on_the_page(
    world: World, published: PlanParts
) -> None:
    services.plan_version_transition(
        user=world.officer,
        version=published.version,
        expected_revision=published.version.revision,
        transition="close",
    )
    response = client_for(world.nhs_lead).post(
        reverse("plans:progress-create", args=[published.commitment.pk]),
        {
            "rag": "green",
            "percent_complete": "50",
            "narrative": "Done half.",
            "reported_on": "2024-02-01",
        },
    )
    assert response.status_code == 400
    assert "progress can no longer be reported on it" in response.content.decode()
    assert ProgressUpdate.objects.count() == 0


def test_the_scrutiny_pack_lists_what_the_board_must_see(
    world: World, published: PlanParts
) -> None:
    services.progress_update_create(
        user=world.nhs_lead,
        commitment=published.commitment,
        rag="red",
        percent_complete=10,
        narrative="Recruitment delayed.",
        reported_on=dt.date(2024, 3, 1),
    )
    url = reverse("plans:scrutiny-pack", args=["borsetshire", "2025-06-12"])
    assert client_for().get(url).status_code == 403
    assert client_for(world.other_officer).get(url).status_code == 403
    page = client_for(world.board_member).get(url).content.decode()
    off_track = page.split('id="off-track-heading"')[1].split('id="gaps-heading"')[0]
    assert "Child poverty, Borsetshire" in off_track
    flagged = page.split('id="commitments-heading"')[1].split('id="partners-heading"')[0]
    assert "Income maximisation in GP practices" in flagged
    assert "Overdue. Rated red." in flagged


def test_the_scrutiny_pack_pdf(world: World, published: PlanParts) -> None:
    response = client_for(world.board_member).get(
        reverse("plans:scrutiny-pack-pdf", args=["borsetshire", "2025-06-12"])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Borsetshire board scrutiny pack" in text
    assert "Income maximisation in GP practices" in text
    assert "Measures off track 1" in text
    assert "Measures without enough data to judge 0" in text


def test_lists_search_and_filter(world: World, published: PlanParts) -> None:
    client = client_for()
    measures = reverse("plans:measures")
    assert (
        "Child poverty, Borsetshire"
        in client.get(measures, {"state": "off track"}).content.decode()
    )
    assert (
        "Child poverty, Borsetshire"
        not in client.get(measures, {"state": "on track"}).content.decode()
    )
    commitments = reverse("plans:commitments")
    found = client.get(commitments, {"q": "GP practices", "as_of": "2025-06-01", "flag": "overdue"})
    assert "Income maximisation in GP practices" in found.content.decode()
    early = client.get(commitments, {"as_of": "2024-01-01", "flag": "overdue"})
    assert "Income maximisation in GP practices" not in early.content.decode()
    plans = reverse("plans:list")
    assert "Borsetshire LOIP" in client.get(plans, {"partnership": "borsetshire"}).content.decode()
    assert (
        "Borsetshire LOIP" not in client.get(plans, {"partnership": "felpersham"}).content.decode()
    )
    organisations = reverse("partnerships:organisations")
    police = client.get(organisations, {"type": "police"}).content.decode()
    assert "Police Scotland" in police
    assert "NHS Borsetshire" not in police


def test_the_plan_page_costs_the_same_queries_however_long_the_plan(
    world: World, django_assert_max_num_queries: Any
) -> None:
    parts = build_plan(world)
    client = client_for(world.officer)
    url = version_url(parts)
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    for number in range(4):
        priority = services.priority_create(
            user=world.officer, version=parts.version, title=f"P{number}"
        )
        outcome = services.outcome_create(
            user=world.officer,
            priority=priority,
            title=f"O{number}",
            national_outcomes=[world.health],
        )
        services.measure_create(
            user=world.officer,
            outcome=outcome,
            indicator=world.indicator,
            area=world.zone,
            baseline_period="2016",
            target_value=10.0,
            target_year=2030,
        )
        services.commitment_create(
            user=world.officer,
            priority=priority,
            title=f"C{number}",
            lead_organisation=world.police,
            start_date=dt.date(2024, 1, 1),
            due_date=dt.date(2025, 1, 1),
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
