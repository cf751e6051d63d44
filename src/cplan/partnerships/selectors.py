"""Reads about partnerships."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from cplan.geography.models import Area
from cplan.geography.selectors import resolve_area_codes
from cplan.partnerships.models import (
    GovernanceBody,
    GovernanceBodyKind,
    GovernanceMember,
    Membership,
    Organisation,
    Partnership,
)


def partnership_for_area_code(code: str) -> Partnership | None:
    """The partnership whose council area holds the area with this code (or former code)."""
    area_id = resolve_area_codes([code]).get(code)
    if area_id is None:
        return None
    council_id = Area.objects.filter(pk=area_id).values_list("council_area_id", flat=True).first()
    if council_id is None:
        return None
    return Partnership.objects.filter(council_area_id=council_id).first()


def partnerships_in_family_group(*, deprivation_family_group: int) -> list[Partnership]:
    """The CPPs CPOP calls "similar": the same LGBF deprivation family group."""
    return list(
        Partnership.objects.filter(deprivation_family_group=deprivation_family_group).order_by(
            "name"
        )
    )


# Governance (issue 5).


def organisation_list(
    *,
    search: str = "",
    type: str = "",
    statutory: bool | None = None,
    partnership: Partnership | None = None,
) -> QuerySet[Organisation]:
    organisations = Organisation.objects.prefetch_related("memberships__partnership")
    if search:
        organisations = organisations.filter(name__icontains=search)
    if type:
        organisations = organisations.filter(type=type)
    if statutory is not None:
        organisations = organisations.filter(is_statutory_partner=statutory)
    if partnership is not None:
        organisations = organisations.filter(memberships__partnership=partnership)
    return organisations.distinct().order_by("name")


def memberships_of(partnership: Partnership) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(partnership=partnership)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def governance_bodies(partnership: Partnership) -> list[GovernanceBody]:
    """The partnership's bodies, the board first, each with its members and meetings."""
    bodies = (
        GovernanceBody.objects.filter(partnership=partnership)
        .select_related("reports_to", "locality")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=GovernanceMember.objects.select_related("organisation").order_by(
                    "role", "organisation__name"
                ),
            ),
            "meetings",
        )
    )
    order = {kind: position for position, kind in enumerate(GovernanceBodyKind.values)}
    return sorted(bodies, key=lambda body: (order[body.kind], body.name))
