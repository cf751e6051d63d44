"""The plans API: the same visibility, rules and permissions as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cplan.plans import services
from cplan.plans.models import ProgressUpdate
from tests.plans.factories import PlanParts, World, build_plan, build_world, observe

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.fixture
def published(world: World) -> PlanParts:
    parts = build_plan(world, publish=True)
    observe(world.indicator, world.council_area, {2016: 25.0, 2019: 24.0, 2021: 19.0})
    return parts


def api(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_plans_and_their_measures_with_computed_status(world: World, published: PlanParts) -> None:
    draft = build_plan(world)
    plans = api().get(reverse("plans:api-plans")).json()
    assert [(p["plan_id"], p["status"]) for p in plans] == [
        (published.version.plan_id, "published")
    ]
    assert len(api(world.officer).get(reverse("plans:api-plans")).json()) == 2
    url = reverse("plans:api-version", args=[draft.version.plan_id, 1])
    assert api().get(url).status_code == 404
    version = api().get(reverse("plans:api-version", args=[published.version.plan_id, 1])).json()
    [measure] = version["priorities"][0]["outcomes"][0]["measures"]
    assert measure["status"]["state"] == "on track"
    assert measure["status"]["progress_status"] == "substantial progress"
    assert [p["value"] for p in measure["series"]] == [25.0, 24.0, 19.0]
    assert version["priorities"][0]["commitments"][0]["lead_organisation"] == "NHS Borsetshire"


def test_measure_list_filters_by_status(
    world: World, published: PlanParts, django_assert_max_num_queries: Any
) -> None:
    url = reverse("plans:api-measures")
    with django_assert_max_num_queries(6):
        on_track = api().get(url, {"state": "on track"}).json()
    assert [m["indicator"] for m in on_track] == ["child-poverty"]
    assert api().get(url, {"state": "off track"}).json() == []
    assert api().get(url, {"state": "sideways"}).status_code == 400


def post_progress(user: Any, parts: PlanParts, **changes: Any) -> Any:
    body = {
        "rag": "amber",
        "percent_complete": 40,
        "narrative": "Advisers in 16 practices.",
        "reported_on": "2024-02-01",
        "evidence": [{"title": "Paper", "url": "https://example.org/paper.pdf"}],
        **changes,
    }
    url = reverse("plans:api-progress-create", args=[parts.commitment.pk])
    return api(user).post(url, body, format="json")


def test_a_partner_posts_progress_through_the_api(world: World, published: PlanParts) -> None:
    response = post_progress(world.nhs_lead, published)
    assert response.status_code == 201
    assert response.json()["organisation"] == "NHS Borsetshire"
    assert post_progress(world.police_lead, published).status_code == 403
    assert post_progress(None, published).status_code == 403
    bad = post_progress(
        world.nhs_lead, published, evidence=[{"title": "x", "url": "javascript:alert(1)"}]
    )
    assert bad.status_code == 400
    assert "evidence" in bad.json()
    future = post_progress(
        world.nhs_lead, published, reported_on=(dt.date.today() + dt.timedelta(days=3)).isoformat()
    )
    assert future.json() == {"reported_on": ["The report date cannot be in the future."]}
    assert ProgressUpdate.objects.count() == 1


def test_progress_on_a_closed_plan_is_a_400(world: World, published: PlanParts) -> None:
    services.plan_version_transition(
        user=world.officer,
        version=published.version,
        expected_revision=published.version.revision,
        transition="close",
    )
    response = post_progress(world.nhs_lead, published)
    assert response.status_code == 400
    assert "progress can no longer be reported on it" in response.json()["detail"][0]


def test_a_stale_challenge_response_is_a_409(world: World, published: PlanParts) -> None:
    challenge = services.challenge_create(
        user=world.board_member, commitment=published.commitment, question="When?"
    )
    url = reverse("plans:api-challenge-respond", args=[challenge.pk])
    first = api(world.nhs_lead).post(url, {"response": "March.", "revision": 1}, format="json")
    assert first.json()["status"] == "answered"
    second = api(world.officer).post(url, {"response": "April.", "revision": 1}, format="json")
    assert second.status_code == 409
    assert "changed by someone else" in second.json()["detail"]
    challenge.refresh_from_db()
    assert challenge.response == "March."
