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
