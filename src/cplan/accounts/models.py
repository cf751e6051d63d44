"""Roles. A user holds any number of role assignments; a person with none is the public."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", "National administrator"
    CPP_OFFICER = "cpp_officer", "CPP officer"
    PARTNER_LEAD = "partner_lead", "Partner lead"
    BOARD_MEMBER = "board_member", "Board member"
    AUDITOR = "auditor", "Auditor"


# Which scope each role needs: a partnership, an organisation, or none (national).
ROLE_SCOPE: dict[str, str] = {
    Role.NATIONAL_ADMIN: "national",
    Role.CPP_OFFICER: "partnership",
    Role.PARTNER_LEAD: "organisation",
    Role.BOARD_MEMBER: "partnership",
    Role.AUDITOR: "national",
}


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    organisation = models.ForeignKey(
        "partnerships.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "role"]
        # One row per (user, role, scope); written as three conditional constraints because
        # SQLite cannot treat NULLs as equal in one.
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(partnership__isnull=True, organisation__isnull=True),
                name="role_unique_national",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "partnership"],
                condition=models.Q(partnership__isnull=False),
                name="role_unique_partnership",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="role_unique_organisation",
            ),
        ]

    def __str__(self) -> str:
        scope = self.partnership or self.organisation or "Scotland"
        return f"{self.user} – {self.get_role_display()} ({scope})"

    def clean(self) -> None:
        scope = ROLE_SCOPE[self.role]
        if scope == "partnership" and (self.partnership_id is None or self.organisation_id):
            raise ValidationError({"partnership": "This role is held for one partnership."})
        if scope == "organisation" and (self.organisation_id is None or self.partnership_id):
            raise ValidationError({"organisation": "This role is held for one organisation."})
        if scope == "national" and (self.partnership_id or self.organisation_id):
            raise ValidationError(
                {"role": "This role is national: name no partnership or organisation."}
            )
