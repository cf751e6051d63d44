"""The permission matrix: every role × every action × own / other partnership.

``EXPECTED`` is written out by hand (it is the specification); the test fails if an action is added
to the policy without a row here, so no cell can be missed.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied

from cplan.accounts.models import Role
from cplan.accounts.permissions import POLICY, can, require
from cplan.partnerships.models import Partnership
from tests.accounts.factories import (
    MembershipFactory,
    OrganisationFactory,
    RoleAssignmentFactory,
    UserFactory,
)
from tests.geography.factories import PartnershipFactory

ROLES = ["public", *[r.value for r in Role]]
# action -> roles allowed on their OWN partnership; national roles are allowed everywhere they appear.
EXPECTED: dict[str, dict[str, tuple[bool, bool]]] = {
    # role: (own partnership, other partnership)
    "observations.import": {"national_admin": (True, True), "cpp_officer": (True, False)},
    "locality.edit": {"national_admin": (True, True), "cpp_officer": (True, False)},
    "partnership.edit": {"national_admin": (True, True), "cpp_officer": (True, False)},
    "audit.edit": {"auditor": (True, True)},
    "audit.rate": {"auditor": (True, True)},
    # A partner lead responds for its organisation, not a partnership: tests/audit/test_permissions.py.
    "audit.respond": {"cpp_officer": (True, False)},
    "audit.view_draft": {"auditor": (True, True), "national_admin": (True, True)},
    "organisation.edit": {"national_admin": (True, True), "cpp_officer": (True, False)},
    "governance.edit": {"national_admin": (True, True), "cpp_officer": (True, False)},
    "plan.edit": {"national_admin": (True, True), "cpp_officer": (True, False)},
    "plan.approve": {
        "national_admin": (True, True),
        "cpp_officer": (True, False),
        "board_member": (True, False),
    },
    "plan.publish": {"national_admin": (True, True), "cpp_officer": (True, False)},
    "plan.view_draft": {
        "national_admin": (True, True),
        "auditor": (True, True),
        "cpp_officer": (True, False),
        "board_member": (True, False),
        "partner_lead": (True, False),
    },
    "measure.edit": {"national_admin": (True, True), "cpp_officer": (True, False)},
    "commitment.edit": {"national_admin": (True, True), "cpp_officer": (True, False)},
    # A partner lead reports only on commitments its organisation leads or contributes to, and
    # answers only challenges put to it: checked by the services (tests/plans/test_permissions.py).
    "progress.create": {"cpp_officer": (True, False), "partner_lead": (True, False)},
    "challenge.create": {"board_member": (True, False)},
    "challenge.respond": {"cpp_officer": (True, False), "partner_lead": (True, False)},
    "challenge.close": {"board_member": (True, False)},
}


def test_every_action_in_the_policy_has_an_expectation() -> None:
    assert set(EXPECTED) == set(POLICY)


def user_with(role: str, own: Partnership) -> User | AnonymousUser:
    if role == "public":
        return AnonymousUser()
    user = UserFactory()
    if role in {"national_admin", "auditor"}:
        RoleAssignmentFactory(user=user, role=role, partnership=None)
    elif role == "partner_lead":
        organisation = OrganisationFactory()
        MembershipFactory(partnership=own, organisation=organisation)
        RoleAssignmentFactory(user=user, role=role, partnership=None, organisation=organisation)
    else:
        RoleAssignmentFactory(user=user, role=role, partnership=own)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(action: str, role: str) -> None:
    own, other = PartnershipFactory(), PartnershipFactory()
    user = user_with(role, own)
    expected_own, expected_other = EXPECTED[action].get(role, (False, False))
    assert can(user, action, partnership=own) is expected_own
    assert can(user, action, partnership=other) is expected_other
    if not expected_other:
        with pytest.raises(PermissionDenied):
            require(user, action, partnership=other)


@pytest.mark.django_db
def test_unknown_action_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown action"):
        can(AnonymousUser(), "plan.frobnicate")
