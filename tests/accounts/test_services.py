from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cplan.accounts.models import Role, RoleAssignment
from cplan.accounts.services import role_assign
from cplan.core.models import ChangeRecord
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.geography.factories import PartnershipFactory


@pytest.mark.django_db
def test_a_national_admin_grants_a_role_and_it_is_recorded() -> None:
    admin = UserFactory(username="admin")
    RoleAssignmentFactory(user=admin, role=Role.NATIONAL_ADMIN, partnership=None)
    officer = UserFactory(username="officer")
    cpp = PartnershipFactory()
    assignment = role_assign(actor=admin, user=officer, role=Role.CPP_OFFICER, partnership=cpp)
    assert assignment.partnership == cpp
    record = ChangeRecord.objects.get(object_type="accounts.RoleAssignment")
    assert record.actor == "admin"
    assert record.after == {"user": "officer", "role": "cpp_officer", "scope": cpp.name}


@pytest.mark.django_db
def test_granting_twice_changes_nothing() -> None:
    cpp = PartnershipFactory()
    officer = UserFactory()
    role_assign(actor=None, user=officer, role=Role.CPP_OFFICER, partnership=cpp)
    role_assign(actor=None, user=officer, role=Role.CPP_OFFICER, partnership=cpp)
    assert RoleAssignment.objects.filter(user=officer).count() == 1


@pytest.mark.django_db
def test_an_officer_cannot_grant_roles() -> None:
    cpp = PartnershipFactory()
    officer = UserFactory()
    RoleAssignmentFactory(user=officer, role=Role.CPP_OFFICER, partnership=cpp)
    with pytest.raises(PermissionDenied):
        role_assign(actor=officer, user=UserFactory(), role=Role.CPP_OFFICER, partnership=cpp)


@pytest.mark.django_db
def test_a_partnership_role_needs_a_partnership() -> None:
    with pytest.raises(ValidationError, match="one partnership"):
        role_assign(actor=None, user=UserFactory(), role=Role.BOARD_MEMBER)
    with pytest.raises(ValidationError, match="national"):
        role_assign(
            actor=None, user=UserFactory(), role=Role.AUDITOR, partnership=PartnershipFactory()
        )
