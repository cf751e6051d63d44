"""Organisations, memberships, governance bodies, their members and meetings (issue 5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cplan.core.models import ChangeRecord
from cplan.core.snapshots import ConflictError
from cplan.partnerships import services
from cplan.partnerships.models import GovernanceBody, Membership, Organisation
from cplan.plans import services as plan_services
from cplan.plans.selectors import responsibility_matrix
from tests.plans.factories import World, build_plan, build_world, locality

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def board(world: World) -> GovernanceBody:
    return services.governance_body_create(
        user=world.officer,
        partnership=world.partnership,
        kind="board",
        name="Borsetshire CPP Board",
    )


def test_an_officer_adds_a_new_partner(world: World) -> None:
    created = services.organisation_create(
        user=world.officer,
        partnership=world.partnership,
        name="Borsetshire Voluntary Action",
        type="tsi",
        joined=dt.date(2017, 4, 1),
    )
    assert created.slug == "borsetshire-voluntary-action"
    assert Membership.objects.get(organisation=created).partnership == world.partnership
    assert sorted(
        ChangeRecord.objects.filter(
            source__in=["organisation_create", "membership_add"]
        ).values_list("object_type", flat=True)
    ) == ["partnerships.Membership", "partnerships.Organisation"]
    with pytest.raises(ValidationError) as error:
        services.organisation_create(
            user=world.officer,
            partnership=world.partnership,
            name="borsetshire voluntary action",
            type="tsi",
        )
    assert error.value.message_dict == {
        "name": [
            "An organisation called borsetshire voluntary action already exists: add it as a "
            "member instead."
        ]
    }


def test_an_organisation_serving_two_partnerships_is_edited_nationally(world: World) -> None:
    nhs = world.nhs  # a member of Borsetshire and Felpersham
    opened = services.organisation_fingerprint(nhs)
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            user=world.officer,
            organisation=nhs,
            expected_fingerprint=opened,
            name="NHS Borsetshire and Felpersham",
            type=nhs.type,
            is_statutory_partner=True,
            website="",
        )
    updated = services.organisation_update(
        user=world.admin,
        organisation=nhs,
        expected_fingerprint=opened,
        name="NHS Borsetshire and Felpersham",
        type=nhs.type,
        is_statutory_partner=True,
        website="https://nhs.example.org/",
    )
    assert updated.name == "NHS Borsetshire and Felpersham"
    with pytest.raises(ConflictError):
        services.organisation_update(
            user=world.admin,
            organisation=nhs,
            expected_fingerprint=opened,  # stale: the name changed since
            name="NHS Borsetshire",
            type=nhs.type,
            is_statutory_partner=True,
            website="",
        )
    assert Organisation.objects.get(pk=nhs.pk).name == "NHS Borsetshire and Felpersham"


def test_a_partner_cannot_leave_before_it_joined(world: World) -> None:
    membership = world.council.memberships.get()
    membership.joined = dt.date(2015, 1, 1)
    membership.save()
    with pytest.raises(ValidationError) as error:
        services.membership_end(user=world.officer, membership=membership, left=dt.date(2014, 1, 1))
    assert error.value.message_dict == {
        "left": ["The leaving date (01/01/2014) is before the joining date (01/01/2015)."]
    }


def test_one_board_per_partnership(world: World) -> None:
    board(world)
    with pytest.raises(ValidationError, match="already has a board"):
        services.governance_body_create(
            user=world.officer, partnership=world.partnership, kind="board", name="Second board"
        )


def test_governance_structure_rules(world: World) -> None:
    top = board(world)
    with pytest.raises(ValidationError) as error:
        services.governance_body_create(
            user=world.officer,
            partnership=world.partnership,
            kind="locality_partnership",
            name="North Locality Partnership",
            reports_to=top,
        )
    assert error.value.message_dict == {
        "locality": ["A locality partnership serves a locality: choose one."]
    }
    north = services.governance_body_create(
        user=world.officer,
        partnership=world.partnership,
        kind="locality_partnership",
        name="North Locality Partnership",
        reports_to=top,
        locality=locality(world, world.zone),
    )
    assert north.reports_to == top
    felpersham_board = services.governance_body_create(
        user=world.other_officer, partnership=world.other, kind="board", name="Felpersham Board"
    )
    with pytest.raises(ValidationError, match="same partnership"):
        services.governance_body_create(
            user=world.officer,
            partnership=world.partnership,
            kind="thematic_group",
            name="Health group",
            reports_to=felpersham_board,
        )
    with pytest.raises(PermissionDenied):
        services.governance_body_create(
            user=world.other_officer,
            partnership=world.partnership,
            kind="thematic_group",
            name="Takeover group",
        )


def test_board_seats_are_for_member_partners(world: World) -> None:
    top = board(world)
    seat = services.governance_member_add(
        user=world.officer, body=top, organisation=world.nhs, role="chair", person="Chair, NHS"
    )
    assert str(seat) == "NHS Borsetshire on Borsetshire CPP Board"
    with pytest.raises(ValidationError) as error:
        services.governance_member_add(
            user=world.officer, body=top, organisation=world.outsider, role="member"
        )
    assert error.value.message_dict == {
        "organisation": [
            "Felpersham College is not a member of Borsetshire: add its membership first."
        ]
    }
    services.governance_member_remove(user=world.officer, member=seat)
    assert not top.members.exists()
    assert ChangeRecord.objects.filter(source="governance_member_remove").count() == 1


def test_meetings_and_concurrent_body_edits(world: World) -> None:
    top = board(world)
    services.meeting_create(user=world.officer, body=top, date=dt.date(2024, 6, 12))
    with pytest.raises(ValidationError, match="already has a meeting on that date"):
        services.meeting_create(user=world.officer, body=top, date=dt.date(2024, 6, 12))
    services.governance_body_update(
        user=world.officer,
        body=top,
        expected_revision=1,
        kind="board",
        name="Borsetshire Community Planning Board",
        remit="Sets the priorities.",
        reports_to=None,
        locality=None,
    )
    with pytest.raises(ConflictError):
        services.governance_body_update(
            user=world.officer,
            body=top,
            expected_revision=1,
            kind="board",
            name="Overwritten",
            remit="",
            reports_to=None,
            locality=None,
        )


def test_the_responsibility_matrix_flags_gaps_and_overlaps(world: World) -> None:
    parts = build_plan(world)
    top = board(world)
    group = services.governance_body_create(
        user=world.officer,
        partnership=world.partnership,
        kind="thematic_group",
        name="Tackling Poverty Group",
        reports_to=top,
    )
    for function, body in (("agree", top), ("scrutinise", top), ("scrutinise", group)):
        plan_services.responsibility_add(
            user=world.officer, priority=parts.priority, function=function, body=body
        )
    plan_services.responsibility_add(
        user=world.officer,
        priority=parts.priority,
        function="implement",
        organisation=world.council,
    )
    with pytest.raises(ValidationError, match="That body already has this responsibility"):
        plan_services.responsibility_add(
            user=world.officer, priority=parts.priority, function="agree", body=top
        )
    [row] = responsibility_matrix(parts.version)
    assert [(c.function.value, c.problem) for c in row.cells] == [
        ("agree", ""),
        ("allocate", "gap"),
        ("implement", ""),
        ("scrutinise", "overlap"),
    ]
    assert row.gaps == ["Allocates resources"]
    assert row.overlaps == ["Scrutinises performance"]
    with pytest.raises(ValidationError, match="is not a member of Borsetshire"):
        plan_services.responsibility_add(
            user=world.officer,
            priority=parts.priority,
            function="allocate",
            organisation=world.outsider,
        )
