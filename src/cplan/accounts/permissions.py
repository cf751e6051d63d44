"""The one place that decides who may write what.

Every service calls :func:`require` with an action and the partnership (or organisation) the object
belongs to. The rules are a table (:data:`POLICY`): action → roles allowed, each with the scope it
must match. Tests generate the permission matrix from the same table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied

from cplan.accounts.models import Role, RoleAssignment
from cplan.partnerships.models import Membership, Organisation, Partnership

# How a role's scope must relate to the target:
ANY = "any"  # national roles: every partnership
OWN_PARTNERSHIP = "own_partnership"  # the role's partnership is the target's
MEMBER_ORGANISATION = (
    "member_organisation"  # the role's organisation is a member of the target's partnership
)
OWN_ORGANISATION = "own_organisation"  # the role's organisation is the target organisation


@dataclass(frozen=True)
class Rule:
    role: Role
    scope: str


POLICY: dict[str, tuple[Rule, ...]] = {
    "observations.import": (
        Rule(Role.NATIONAL_ADMIN, ANY),
        Rule(Role.CPP_OFFICER, OWN_PARTNERSHIP),
    ),
    "locality.edit": (Rule(Role.NATIONAL_ADMIN, ANY), Rule(Role.CPP_OFFICER, OWN_PARTNERSHIP)),
    "partnership.edit": (Rule(Role.NATIONAL_ADMIN, ANY), Rule(Role.CPP_OFFICER, OWN_PARTNERSHIP)),
    # Audit (issue 6): auditors create reports and recommendations and rate progress; an addressed
    # body responds for itself only (the service also checks that the body is an addressee).
    "audit.edit": (Rule(Role.AUDITOR, ANY),),
    "audit.rate": (Rule(Role.AUDITOR, ANY),),
    "audit.respond": (
        Rule(Role.CPP_OFFICER, OWN_PARTNERSHIP),
        Rule(Role.PARTNER_LEAD, OWN_ORGANISATION),
    ),
    "audit.view_draft": (Rule(Role.AUDITOR, ANY), Rule(Role.NATIONAL_ADMIN, ANY)),
    # Plans and accountability (issue 5). Officers keep the plan; partners report progress on the
    # commitments they lead or contribute to and answer challenges put to them (the services also
    # check that the organisation is the lead, a contributor or the one challenged); board members
    # approve plans and challenge; drafts are read by the partnership's own people and auditors.
    "organisation.edit": (Rule(Role.NATIONAL_ADMIN, ANY), Rule(Role.CPP_OFFICER, OWN_PARTNERSHIP)),
    "governance.edit": (Rule(Role.NATIONAL_ADMIN, ANY), Rule(Role.CPP_OFFICER, OWN_PARTNERSHIP)),
    "plan.edit": (Rule(Role.NATIONAL_ADMIN, ANY), Rule(Role.CPP_OFFICER, OWN_PARTNERSHIP)),
    "plan.approve": (
        Rule(Role.NATIONAL_ADMIN, ANY),
        Rule(Role.CPP_OFFICER, OWN_PARTNERSHIP),
        Rule(Role.BOARD_MEMBER, OWN_PARTNERSHIP),
    ),
    "plan.publish": (Rule(Role.NATIONAL_ADMIN, ANY), Rule(Role.CPP_OFFICER, OWN_PARTNERSHIP)),
    "plan.view_draft": (
        Rule(Role.NATIONAL_ADMIN, ANY),
        Rule(Role.AUDITOR, ANY),
        Rule(Role.CPP_OFFICER, OWN_PARTNERSHIP),
        Rule(Role.BOARD_MEMBER, OWN_PARTNERSHIP),
        Rule(Role.PARTNER_LEAD, MEMBER_ORGANISATION),
    ),
    "measure.edit": (Rule(Role.NATIONAL_ADMIN, ANY), Rule(Role.CPP_OFFICER, OWN_PARTNERSHIP)),
    "commitment.edit": (Rule(Role.NATIONAL_ADMIN, ANY), Rule(Role.CPP_OFFICER, OWN_PARTNERSHIP)),
    "progress.create": (
        Rule(Role.CPP_OFFICER, OWN_PARTNERSHIP),
        Rule(Role.PARTNER_LEAD, MEMBER_ORGANISATION),
    ),
    "challenge.create": (Rule(Role.BOARD_MEMBER, OWN_PARTNERSHIP),),
    "challenge.respond": (
        Rule(Role.CPP_OFFICER, OWN_PARTNERSHIP),
        Rule(Role.PARTNER_LEAD, MEMBER_ORGANISATION),
    ),
    "challenge.close": (Rule(Role.BOARD_MEMBER, OWN_PARTNERSHIP),),
}


def roles_of(user: User | AnonymousUser | None) -> list[RoleAssignment]:
    if user is None or not user.is_authenticated:
        return []
    cached: list[RoleAssignment] | None = getattr(user, "_cplan_roles", None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user))
        # Cached on the user object, which lives for one request.
        setattr(user, "_cplan_roles", cached)  # noqa: B010 - not a declared attribute of User
    return cached


def _scope_matches(
    assignment: RoleAssignment,
    scope: str,
    partnership: Partnership | None,
    organisation: Organisation | None,
) -> bool:
    if scope == ANY:
        return True
    if scope == OWN_PARTNERSHIP:
        return partnership is not None and assignment.partnership_id == partnership.pk
    if scope == OWN_ORGANISATION:
        return organisation is not None and assignment.organisation_id == organisation.pk
    if scope == MEMBER_ORGANISATION:
        return (
            partnership is not None
            and assignment.organisation_id is not None
            and Membership.objects.filter(
                partnership=partnership, organisation_id=assignment.organisation_id
            ).exists()
        )
    raise ValueError(f"unknown scope {scope!r}")


def can(
    user: User | AnonymousUser | None,
    action: str,
    *,
    partnership: Partnership | None = None,
    organisation: Organisation | None = None,
) -> bool:
    if action not in POLICY:
        raise ValueError(f"unknown action {action!r}: add it to cplan.accounts.permissions.POLICY")
    if user is not None and user.is_authenticated and user.is_superuser:
        return True
    rules = POLICY[action]
    return any(
        assignment.role == rule.role
        and _scope_matches(assignment, rule.scope, partnership, organisation)
        for assignment in roles_of(user)
        for rule in rules
    )


def require(
    user: User | AnonymousUser | None,
    action: str,
    *,
    partnership: Partnership | None = None,
    organisation: Organisation | None = None,
) -> None:
    """Raise PermissionDenied (HTTP 403) unless ``user`` may do ``action`` here."""
    if not can(user, action, partnership=partnership, organisation=organisation):
        where = partnership or organisation or "Scotland"
        raise PermissionDenied(f"You may not {action.replace('.', ' ')} for {where}.")


def partnerships_for(user: User | AnonymousUser | None, roles: Iterable[Role]) -> set[int]:
    """Ids of the partnerships where ``user`` holds one of ``roles`` (for filtering lists)."""
    wanted = set(roles)
    return {a.partnership_id for a in roles_of(user) if a.role in wanted and a.partnership_id}
