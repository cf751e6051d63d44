"""The permission matrix through the pages: every role × every plans/governance write action ×
own / other partnership, by HTTP request → allowed, or 403 (a read of a draft → 404). Generated from
the same ``EXPECTED`` table as the policy test, so no cell is missed.

Each partnership gets a complete draft, an approved version, a published plan with a commitment
and a challenge. A partner lead's own organisation leads the commitment and is challenged, so the
services' organisation-level checks pass exactly when the policy says they should.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.test import Client
from django.urls import reverse

from cplan.accounts.models import Role
from cplan.frameworks.models import NationalOutcome
from cplan.partnerships.models import Organisation, Partnership
from cplan.plans import services
from cplan.plans.models import Challenge, Commitment, PlanVersion
from tests.accounts.factories import MembershipFactory, OrganisationFactory
from tests.accounts.test_permissions import EXPECTED, ROLES, user_with
from tests.geography.factories import PartnershipFactory
from tests.indicators.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

ACTIONS = [
    "organisation.edit",
    "governance.edit",
    "plan.edit",
    "plan.approve",
    "plan.publish",
    "plan.view_draft",
    "measure.edit",
    "commitment.edit",
    "progress.create",
    "challenge.create",
    "challenge.respond",
    "challenge.close",
]


@dataclass
class Target:
    partnership: Partnership
    draft: PlanVersion
    approved: PlanVersion
    published: PlanVersion
    commitment: Commitment
    challenge: Challenge


def build_target(partnership: Partnership, lead: Organisation, setup: User) -> Target:
    """Plans in every state for ``partnership``, written by a national administrator."""
    outcome = NationalOutcome.objects.get_or_create(code="POV", defaults={"name": "Poverty"})[0]
    indicator = IndicatorFactory(code="child-poverty")

    def plan(title: str) -> tuple[PlanVersion, Commitment]:
        version = services.plan_create(
            user=setup,
            partnership=partnership,
            kind="loip",
            title=title,
            period_start=dt.date(2023, 4, 1),
            period_end=dt.date(2030, 3, 31),
        )
        priority = services.priority_create(user=setup, version=version, title="Poverty")
        local = services.outcome_create(
            user=setup, priority=priority, title="Fewer poor children", national_outcomes=[outcome]
        )
        services.measure_create(
            user=setup,
            outcome=local,
            indicator=indicator,
            area=partnership.council_area,
            baseline_period="2016",
            target_value=15.0,
            target_year=2030,
        )
        commitment = services.commitment_create(
            user=setup,
            priority=priority,
            title="Advice in GP practices",
            lead_organisation=lead,
            start_date=dt.date(2023, 4, 1),
            due_date=dt.date(2026, 3, 31),
        )
        return version, commitment

    draft, _ = plan("Draft plan")
    approved, _ = plan("Approved plan")
    approved = services.plan_version_transition(
        user=setup, version=approved, expected_revision=1, transition="approve"
    )
    published, commitment = plan("Published plan")
    for transition in ("approve", "publish"):
        published = services.plan_version_transition(
            user=setup,
            version=published,
            expected_revision=published.revision,
            transition=transition,
        )
    challenge = services.challenge_create(
        user=_board_member(partnership), commitment=commitment, question="Why so slow?"
    )
    return Target(partnership, draft, approved, published, commitment, challenge)


def _board_member(partnership: Partnership) -> User:
    user = user_with("board_member", partnership)
    assert isinstance(user, User)
    return user


def lead_for(user: User | AnonymousUser, partnership: Partnership) -> Organisation:
    """The partner lead's organisation (a member of its own partnership), else a new member."""
    if isinstance(user, User):
        assignment = user.role_assignments.filter(role=Role.PARTNER_LEAD).first()
        organisation = assignment.organisation if assignment is not None else None
        if (
            organisation is not None
            and organisation.memberships.filter(partnership=partnership).exists()
        ):
            return organisation
    organisation = OrganisationFactory()
    MembershipFactory(partnership=partnership, organisation=organisation)
    return organisation


Request = tuple[str, str, dict[str, str]]  # method, URL, form data


def version_url(version: PlanVersion, suffix: str = "") -> str:
    return reverse("plans:version", args=[version.plan_id, version.number]) + suffix


REQUESTS: dict[str, Callable[[Target], Request]] = {
    "organisation.edit": lambda t: (
        "post",
        reverse("partnerships:organisation-create", args=[t.partnership.slug]),
        {"name": f"New partner of {t.partnership.slug}", "type": "community"},
    ),
    "governance.edit": lambda t: (
        "post",
        reverse("partnerships:body-create", args=[t.partnership.slug]),
        {"kind": "thematic_group", "name": "Poverty group", "revision": "1"},
    ),
    "plan.edit": lambda t: (
        "post",
        reverse("plans:priority-create", args=[t.draft.plan_id, 1]),
        {"title": "Health", "description": "", "position": "0", "revision": "1"},
    ),
    "plan.approve": lambda t: (
        "post",
        reverse("plans:transition", args=[t.draft.plan_id, 1, "approve"]),
        {"revision": str(t.draft.revision)},
    ),
    "plan.publish": lambda t: (
        "post",
        reverse("plans:transition", args=[t.approved.plan_id, 1, "publish"]),
        {"revision": str(t.approved.revision)},
    ),
    "plan.view_draft": lambda t: ("get", version_url(t.draft), {}),
    "measure.edit": lambda t: (
        "post",
        reverse("plans:measure-create", args=[t.draft.outcomes.get().pk]),
        {
            "revision": "1",
            "outcome": str(t.draft.outcomes.get().pk),
            "indicator": str(t.draft.measures.get().indicator_id),
            "area_code": t.partnership.code,
            "breakdown": "all",
            "baseline_period": "2017",
            "target_value": "12",
            "target_year": "2030",
            "position": "0",
        },
    ),
    "commitment.edit": lambda t: (
        "post",
        reverse("plans:item-edit", args=["commitment", t.draft.commitments.get().pk]),
        {
            "revision": "1",
            "priority": str(t.draft.priorities.get().pk),
            "title": "Advice in every GP practice",
            "lead_organisation": str(t.draft.commitments.get().lead_organisation_id),
            "start_date": "2023-04-01",
            "due_date": "2026-03-31",
            "position": "1",
        },
    ),
    "progress.create": lambda t: (
        "post",
        reverse("plans:progress-create", args=[t.commitment.pk]),
        {
            "rag": "green",
            "percent_complete": "40",
            "narrative": "Fine.",
            "reported_on": "2024-01-05",
        },
    ),
    "challenge.create": lambda t: (
        "post",
        reverse("plans:challenge-create", args=["commitment", t.commitment.pk]),
        {"question": "What is the evidence?"},
    ),
    "challenge.respond": lambda t: (
        "post",
        reverse("plans:challenge", args=[t.challenge.pk]),
        {"response": "Here it is.", "revision": str(t.challenge.revision)},
    ),
    "challenge.close": lambda t: (
        "post",
        reverse("plans:challenge-close", args=[t.challenge.pk]),
        {"revision": str(t.challenge.revision)},
    ),
}


def test_every_action_of_this_app_has_a_request() -> None:
    assert set(REQUESTS) == set(ACTIONS)
    assert set(ACTIONS) <= set(EXPECTED)


def outcome_of(client: Client, request: Request) -> int:
    method, url, data = request
    response = client.post(url, data) if method == "post" else client.get(url)
    return int(response.status_code)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_page_permission_matrix(action: str, role: str) -> None:
    own, other = PartnershipFactory(), PartnershipFactory()
    user = user_with(role, own)
    setup = user_with("national_admin", own)
    assert isinstance(setup, User)
    targets = {
        "own": build_target(own, lead_for(user, own), setup),
        "other": build_target(other, lead_for(AnonymousUser(), other), setup),
    }
    client = Client()
    if isinstance(user, User):
        client.force_login(user)
    refused = 404 if action == "plan.view_draft" else 403
    expected = dict(zip(("own", "other"), EXPECTED[action].get(role, (False, False)), strict=True))
    for where, target in targets.items():
        status = outcome_of(client, REQUESTS[action](target))
        if expected[where]:
            assert status in (200, 302), f"{role} {action} {where}: {status}"
        elif role == "public" and action != "plan.view_draft":
            assert status == 302, f"{role} {action} {where}: {status} (should be sent to sign in)"
        else:
            assert status == refused, f"{role} {action} {where}: {status}"


def test_a_refused_write_changes_nothing() -> None:
    own, other = PartnershipFactory(), PartnershipFactory()
    setup = user_with("national_admin", own)
    assert isinstance(setup, User)
    target = build_target(other, lead_for(AnonymousUser(), other), setup)
    intruder = user_with("cpp_officer", own)
    client = Client()
    client.force_login(intruder)  # type: ignore[arg-type]
    before = {
        "priorities": target.draft.priorities.count(),
        "status": target.approved.status,
        "challenge": target.challenge.status,
    }
    for action in ("plan.edit", "plan.publish", "challenge.respond"):
        assert outcome_of(client, REQUESTS[action](target)) == 403
    target.approved.refresh_from_db()
    target.challenge.refresh_from_db()
    assert before == {
        "priorities": target.draft.priorities.count(),
        "status": target.approved.status,
        "challenge": target.challenge.status,
    }
