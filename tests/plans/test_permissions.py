"""Object-level rules on top of the policy table (tests/accounts/test_permissions.py has the
role × action × partnership matrix): a partner reports only on its own commitments and answers only
challenges put to it; drafts are seen by the partnership's own people only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from cplan.accounts.models import Role
from cplan.accounts.permissions import can
from cplan.partnerships.models import Partnership
from cplan.plans import services
from cplan.plans.models import Challenge, PlanStatus
from cplan.plans.selectors import partnerships_where, visible_versions
from tests.accounts.test_permissions import user_with
from tests.plans.factories import World, build_plan, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def report(user: object, commitment: object) -> None:
    services.progress_update_create(
        user=user,  # type: ignore[arg-type]
        commitment=commitment,  # type: ignore[arg-type]
        rag="green",
        percent_complete=50,
        narrative="Going well.",
        reported_on=dt.date(2024, 2, 1),
    )


def test_partners_report_on_commitments_they_lead_or_contribute_to(world: World) -> None:
    parts = build_plan(world, publish=True)  # led by the NHS, the council contributes
    report(world.nhs_lead, parts.commitment)
    report(world.officer, parts.commitment)  # the officer may report for any partner
    with pytest.raises(PermissionDenied, match="You report for Police Scotland, which neither"):
        report(world.police_lead, parts.commitment)
    with pytest.raises(PermissionDenied):
        report(world.other_officer, parts.commitment)
    with pytest.raises(PermissionDenied):
        report(world.board_member, parts.commitment)
    reporters = sorted(u.organisation.name for u in parts.commitment.updates.all())  # type: ignore[union-attr]
    assert reporters == ["NHS Borsetshire", "NHS Borsetshire"]


def test_only_the_challenged_partner_responds(world: World) -> None:
    parts = build_plan(world, publish=True)
    challenge = services.challenge_create(
        user=world.board_member,
        commitment=parts.commitment,
        question="Why only 12 practices?",
    )
    assert challenge.organisation == world.nhs  # the commitment's lead by default
    with pytest.raises(PermissionDenied, match="put to NHS Borsetshire"):
        services.challenge_respond(
            user=world.police_lead,
            challenge=challenge,
            expected_revision=challenge.revision,
            response="Not us.",
        )
    answered = services.challenge_respond(
        user=world.nhs_lead,
        challenge=challenge,
        expected_revision=challenge.revision,
        response="Recruitment of advisers was delayed; all 40 by March.",
    )
    assert answered.status == "answered"
    assert answered.responded_by_name == "nhs-lead"
    with pytest.raises(PermissionDenied):
        services.challenge_close(
            user=world.nhs_lead, challenge=answered, expected_revision=answered.revision
        )
    closed = services.challenge_close(
        user=world.board_member, challenge=answered, expected_revision=answered.revision
    )
    assert closed.status == "closed"


def test_only_board_members_challenge(world: World) -> None:
    parts = build_plan(world, publish=True)
    for user in (world.officer, world.nhs_lead, world.auditor, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.challenge_create(user=user, commitment=parts.commitment, question="Why?")
    assert Challenge.objects.count() == 0


def test_officers_cannot_touch_another_partnership(world: World) -> None:
    parts = build_plan(world)
    with pytest.raises(PermissionDenied, match="You may not plan edit for Borsetshire"):
        services.priority_create(user=world.other_officer, version=parts.version, title="Ours now")
    with pytest.raises(PermissionDenied):
        services.plan_version_transition(
            user=world.other_officer,
            version=parts.version,
            expected_revision=parts.version.revision,
            transition="approve",
        )
    assert parts.version.priorities.count() == 1


def test_drafts_are_seen_by_the_partnerships_own_people_only(world: World) -> None:
    draft = build_plan(world).version
    published = build_plan(world, publish=True).version
    insiders = [world.officer, world.board_member, world.nhs_lead, world.admin, world.auditor]
    for user in insiders:
        assert set(visible_versions(user)) == {draft, published}, user
    for user in (AnonymousUser(), world.other_officer, None):
        assert set(visible_versions(user)) == {published}
    assert published.status == PlanStatus.PUBLISHED


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_partnerships_where_agrees_with_can(role: str) -> None:
    world = build_world()
    user = user_with(role, world.partnership)
    where = partnerships_where(user, "plan.view_draft")
    for partnership in Partnership.objects.all():
        expected = can(user, "plan.view_draft", partnership=partnership)
        assert (where is None or partnership.pk in where) is expected, partnership
