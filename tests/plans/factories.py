"""A fictional partnership for plan tests: Borsetshire, its partners, people and one indicator.

Built through the services (so history and rules apply as they would for a user), except the
reference rows (places, organisations, roles, observations) which factories create directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User

from cplan.accounts.models import Role
from cplan.frameworks.models import NationalOutcome
from cplan.geography.models import Area, Locality
from cplan.indicators.models import Breakdown, Indicator, Observation, Polarity
from cplan.partnerships.models import Organisation, OrganisationType, Partnership
from cplan.plans import services
from cplan.plans.models import Commitment, LocalOutcome, PlanMeasure, PlanVersion, Priority
from tests.accounts.factories import (
    MembershipFactory,
    OrganisationFactory,
    RoleAssignmentFactory,
    UserFactory,
)
from tests.geography.factories import (
    CouncilAreaFactory,
    IntermediateZoneFactory,
    PartnershipFactory,
)
from tests.indicators.factories import BreakdownFactory, IndicatorFactory

START, END = dt.date(2023, 4, 1), dt.date(2030, 3, 31)


@dataclass
class World:
    partnership: Partnership
    other: Partnership
    council_area: Area
    zone: Area
    other_zone: Area
    council: Organisation
    nhs: Organisation
    police: Organisation
    outsider: Organisation  # a member of the other partnership only
    officer: User
    other_officer: User
    nhs_lead: User
    police_lead: User
    board_member: User
    admin: User
    auditor: User
    health: NationalOutcome
    poverty: NationalOutcome
    indicator: Indicator


def organisation(name: str, slug: str, kind: str, *members: Partnership) -> Organisation:
    created = OrganisationFactory(name=name, slug=slug, type=kind, is_statutory_partner=True)
    for partnership in members:
        MembershipFactory(partnership=partnership, organisation=created)
    return created


def user_with(username: str, role: Role, **scope: object) -> User:
    user = UserFactory(username=username)
    RoleAssignmentFactory(user=user, role=role, **{"partnership": None, **scope})
    return user


def build_world() -> World:
    council_area = CouncilAreaFactory(code="S12900001", name="Borsetshire")
    council_area.council_area = council_area
    council_area.save()
    partnership = PartnershipFactory(council_area=council_area, slug="borsetshire")
    zone = IntermediateZoneFactory(code="S02900011", name="Ambridge", parent=council_area)
    other_area = CouncilAreaFactory(code="S12900002", name="Felpersham")
    other = PartnershipFactory(council_area=other_area, slug="felpersham")
    other_zone = IntermediateZoneFactory(code="S02900021", name="Hollerton", parent=other_area)
    council = organisation(
        "Borsetshire Council", "borsetshire-council", OrganisationType.COUNCIL, partnership
    )
    nhs = organisation(
        "NHS Borsetshire", "nhs-borsetshire", OrganisationType.NHS_BOARD, partnership, other
    )
    police = organisation(
        "Police Scotland", "police-scotland", OrganisationType.POLICE, partnership
    )
    outsider = organisation(
        "Felpersham College", "felpersham-college", OrganisationType.COLLEGE, other
    )
    return World(
        partnership=partnership,
        other=other,
        council_area=council_area,
        zone=zone,
        other_zone=other_zone,
        council=council,
        nhs=nhs,
        police=police,
        outsider=outsider,
        officer=user_with("officer", Role.CPP_OFFICER, partnership=partnership),
        other_officer=user_with("felpersham-officer", Role.CPP_OFFICER, partnership=other),
        nhs_lead=user_with("nhs-lead", Role.PARTNER_LEAD, organisation=nhs),
        police_lead=user_with("police-lead", Role.PARTNER_LEAD, organisation=police),
        board_member=user_with("councillor", Role.BOARD_MEMBER, partnership=partnership),
        admin=user_with("national-admin", Role.NATIONAL_ADMIN),
        auditor=user_with("auditor", Role.AUDITOR),
        # get_or_create: the real framework may be loaded already (tests/conftest.py).
        health=NationalOutcome.objects.get_or_create(code="HEA", defaults={"name": "Health"})[0],
        poverty=NationalOutcome.objects.get_or_create(code="POV", defaults={"name": "Poverty"})[0],
        indicator=IndicatorFactory(
            code="child-poverty",
            name="Child poverty",
            polarity=Polarity.LOWER_IS_BETTER,
        ),
    )


@dataclass
class PlanParts:
    version: PlanVersion
    priority: Priority
    outcome: LocalOutcome
    measure: PlanMeasure
    commitment: Commitment


def build_plan(world: World, *, publish: bool = False, target: float = 18.0) -> PlanParts:
    """A LOIP with one priority, outcome, measure (child poverty, baseline 2016) and commitment."""
    user = world.officer
    version = services.plan_create(
        user=user,
        partnership=world.partnership,
        kind="loip",
        title="Borsetshire LOIP 2023-2030",
        period_start=START,
        period_end=END,
    )
    priority = services.priority_create(user=user, version=version, title="Tackling poverty")
    outcome = services.outcome_create(
        user=user,
        priority=priority,
        title="Fewer children grow up in poverty",
        national_outcomes=[world.poverty],
    )
    measure = services.measure_create(
        user=user,
        outcome=outcome,
        indicator=world.indicator,
        area=world.council_area,
        baseline_period="2016",
        target_value=target,
        target_year=2030,
    )
    commitment = services.commitment_create(
        user=user,
        priority=priority,
        title="Income maximisation in GP practices",
        lead_organisation=world.nhs,
        contributors=[world.council],
        start_date=dt.date(2023, 4, 1),
        due_date=dt.date(2025, 3, 31),
        preventative=True,
    )
    if publish:
        version = publish_version(world, version)
    return PlanParts(version, priority, outcome, measure, commitment)


def publish_version(world: World, version: PlanVersion) -> PlanVersion:
    version = services.plan_version_transition(
        user=world.officer,
        version=version,
        expected_revision=version.revision,
        transition="approve",
    )
    return services.plan_version_transition(
        user=world.officer,
        version=version,
        expected_revision=version.revision,
        transition="publish",
    )


def observe(
    indicator: Indicator,
    area: Area,
    values: dict[int, float],
    *,
    breakdown: Breakdown | None = None,
    kind: str = "observed",
    numerators: dict[int, tuple[float, float]] | None = None,
) -> None:
    """Yearly observations (calendar years) of ``indicator`` for ``area``."""
    breakdown = breakdown or BreakdownFactory()
    for year, value in values.items():
        numerator, denominator = (numerators or {}).get(year, (None, None))
        Observation.objects.create(
            indicator=indicator,
            area=area,
            period=str(year),
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31),
            breakdown=breakdown,
            value=value,
            numerator=numerator,
            denominator=denominator,
            kind=kind,
        )


def quintile(number: int) -> Breakdown:
    return BreakdownFactory(
        key=f"SIMD quintiles={number}",
        dimensions={"SIMD quintiles": str(number)},
        simd_quintile=number,
        simd_base_key=Breakdown.TOTAL_KEY,
    )


def locality(world: World, *areas: Area) -> Locality:
    created = Locality.objects.create(partnership=world.partnership, name="North", slug="north")
    created.areas.set(areas)
    return created
