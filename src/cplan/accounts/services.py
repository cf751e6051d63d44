"""Granting and removing roles (recorded in the change history)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import transaction

from cplan.accounts.models import Role, RoleAssignment
from cplan.core.history import change_record
from cplan.core.models import ChangeAction
from cplan.partnerships.models import Organisation, Partnership


def role_assign(
    *,
    actor: User | AnonymousUser | None,
    user: User,
    role: Role,
    partnership: Partnership | None = None,
    organisation: Organisation | None = None,
    source: str = "",
) -> RoleAssignment:
    """Give ``user`` a role. Only national administrators (or superusers, or a command) may."""
    if actor is not None and not _is_national_admin(actor):
        raise PermissionDenied("Only a national administrator may grant roles.")
    with transaction.atomic():
        assignment = RoleAssignment(
            user=user, role=role, partnership=partnership, organisation=organisation
        )
        assignment.full_clean(validate_constraints=False)
        existing = RoleAssignment.objects.filter(
            user=user, role=role, partnership=partnership, organisation=organisation
        ).first()
        if existing is not None:
            return existing
        assignment.save()
        change_record(
            user=actor,
            action=ChangeAction.CREATE,
            obj=assignment,
            after={
                "user": user.username,
                "role": role.value,
                "scope": str(partnership or organisation or ""),
            },
            source=source or "role_assign",
        )
    return assignment


def _is_national_admin(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return RoleAssignment.objects.filter(user=user, role=Role.NATIONAL_ADMIN).exists()
