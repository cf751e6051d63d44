"""The 32 Community Planning Partnerships."""

from __future__ import annotations

from django.db import models


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
