"""The 32 Community Planning Partnerships."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone


class Partnership(models.Model):
    """A CPP. Its ``code`` is its council area's current GSS code (a fact, not a choice)."""

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    council_area = models.OneToOneField(
        "geography.Area", on_delete=models.PROTECT, related_name="partnership"
    )
    deprivation_family_group = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="LGBF family group (2012 basis) by deprivation, 1-4."
    )
    density_family_group = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="LGBF family group (2012 basis) by population density, 1-4.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationType(models.TextChoices):
    COUNCIL = "council", "Council"
    NHS_BOARD = "nhs_board", "NHS board"
    POLICE = "police", "Police Scotland"
    FIRE = "fire", "Scottish Fire and Rescue Service"
    ENTERPRISE = "enterprise", "Scottish Enterprise / Highlands and Islands Enterprise"
    TRANSPORT = "transport", "Regional transport partnership"
    COLLEGE = "college", "College"
    TSI = "tsi", "Third sector interface"
    COMMUNITY = "community", "Community body"
    BUSINESS = "business", "Business"
    NATIONAL = "national", "National body"
    AUDIT = "audit", "Audit or scrutiny body"
    OTHER = "other", "Other"


class Organisation(models.Model):
    """A body that takes part in community planning (or audits it)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    type = models.CharField(max_length=20, choices=OrganisationType.choices)
    is_statutory_partner = models.BooleanField(
        default=False,
        help_text="A statutory community planning partner (Community Empowerment (Scotland) Act 2015, sch. 1).",
    )
    website = models.URLField(blank=True)
    partnerships: models.ManyToManyField[Partnership, Membership] = models.ManyToManyField(
        Partnership, through="Membership", related_name="organisations", blank=True
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """An organisation's membership of a partnership."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    joined = models.DateField(null=True, blank=True)
    left = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["partnership", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership}"


# Governance (issue 5): the bodies through which a partnership decides, delivers and scrutinises.

TEXT_LIMIT = 2000  # a remit or note: a paragraph or two, not a document


class GovernanceBodyKind(models.TextChoices):
    BOARD = "board", "Partnership board"
    THEMATIC_GROUP = "thematic_group", "Thematic group"
    LOCALITY_PARTNERSHIP = "locality_partnership", "Locality partnership"


class GovernanceBody(models.Model):
    """A board, thematic group or locality partnership of one partnership."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="governance_bodies"
    )
    kind = models.CharField(max_length=24, choices=GovernanceBodyKind.choices)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    remit = models.TextField(
        blank=True, max_length=TEXT_LIMIT, validators=[MaxLengthValidator(TEXT_LIMIT)]
    )
    reports_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reporting_bodies"
    )
    locality = models.ForeignKey(
        "geography.Locality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="governance_bodies",
        help_text="The locality a locality partnership serves.",
    )
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["partnership", "kind", "name"]
        verbose_name_plural = "governance bodies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="governance_unique_slug"),
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(kind="board"),
                name="governance_one_board",
                violation_error_message="This partnership already has a board.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.reports_to_id is not None:
            parent = self.reports_to
            if parent is None or parent.partnership_id != self.partnership_id:
                errors["reports_to"] = "A body can only report to a body of the same partnership."
            elif self.pk is not None and parent.pk == self.pk:
                errors["reports_to"] = "A body cannot report to itself."
        if self.kind == GovernanceBodyKind.BOARD and self.reports_to_id is not None:
            errors["reports_to"] = "The board is the top of the structure: it reports to no body."
        if self.kind == GovernanceBodyKind.LOCALITY_PARTNERSHIP and self.locality_id is None:
            errors["locality"] = "A locality partnership serves a locality: choose one."
        locality = self.locality
        if locality is not None and locality.partnership_id != self.partnership_id:
            errors["locality"] = f"{locality} is not a locality of {self.partnership}."
        if errors:
            raise ValidationError(errors)


class GovernanceRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice-chair"
    MEMBER = "member", "Member"
    ADVISER = "adviser", "Adviser (non-voting)"


class GovernanceMember(models.Model):
    """An organisation's seat on a governance body, and who fills it."""

    body = models.ForeignKey(GovernanceBody, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="governance_seats"
    )
    person = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who sits for the organisation, e.g. its chief executive.",
    )
    role = models.CharField(
        max_length=12, choices=GovernanceRole.choices, default=GovernanceRole.MEMBER
    )

    class Meta:
        ordering = ["body", "role", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "organisation", "person"], name="governance_member_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} on {self.body}"

    def clean(self) -> None:
        if not is_current_member(self.body.partnership, self.organisation):
            raise ValidationError(
                {
                    "organisation": f"{self.organisation} is not a member of "
                    f"{self.body.partnership}: add its membership first."
                }
            )


class Meeting(models.Model):
    """A meeting of a governance body: the date a scrutiny pack is prepared for."""

    body = models.ForeignKey(GovernanceBody, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "date"],
                name="meeting_unique_date",
                violation_error_message="This body already has a meeting on that date.",
            )
        ]

    def __str__(self) -> str:
        return self.title or f"{self.body} meeting, {self.date:%d %B %Y}"


def is_current_member(partnership: Partnership, organisation: Organisation) -> bool:
    """Whether ``organisation`` belongs to ``partnership`` today (joined, and not left)."""
    today = timezone.localdate()
    return (
        Membership.objects.filter(partnership=partnership, organisation=organisation)
        .filter(models.Q(left__isnull=True) | models.Q(left__gt=today))
        .exists()
    )
