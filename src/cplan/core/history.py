"""Writing the change history. Every service that changes state calls :func:`change_record`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models

from cplan.core.models import ChangeAction, ChangeRecord


def _actor_name(user: User | AnonymousUser | None, fallback: str) -> str:
    if user is None or not user.is_authenticated:
        return fallback
    return str(user.get_username())


def change_record(
    *,
    user: User | AnonymousUser | None,
    action: ChangeAction,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    source: str = "",
    actor: str = "system",
) -> ChangeRecord:
    """Record one change to ``obj``. ``actor`` names a command when there is no user."""
    return ChangeRecord.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        actor=_actor_name(user, actor),
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
        source=source[:300],
    )
