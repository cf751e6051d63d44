"""Areas, their code history, deprivation, population, typologies and boundaries.

Areas are keyed by official GSS codes (``S12000033``), never by name: names differ between files.
Council areas, intermediate zones and data zones nest (``parent``); health boards and wards overlap
council areas, so data zones point at them separately.
"""

from __future__ import annotations

from django.db import models


class AreaLevel(models.TextChoices):
    COUNTRY = "country", "Country"
    HEALTH_BOARD = "health_board", "Health board"
    COUNCIL_AREA = "council_area", "Council area"
    WARD = "ward", "Multi-member ward"
    INTERMEDIATE_ZONE = "intermediate_zone", "Intermediate zone"
    DATA_ZONE = "data_zone", "Data zone"


# The first three characters of a GSS code name its type.
CODE_PREFIX_LEVEL: dict[str, AreaLevel] = {
    "S92": AreaLevel.COUNTRY,
    "S08": AreaLevel.HEALTH_BOARD,
    "S12": AreaLevel.COUNCIL_AREA,
    "S13": AreaLevel.WARD,
    "S02": AreaLevel.INTERMEDIATE_ZONE,
    "S01": AreaLevel.DATA_ZONE,
}


class Area(models.Model):
    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=20, choices=AreaLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # The council area an area lies in (itself for a council area): one join for "areas of a CPP".
    council_area = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    health_board = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ward = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    urban_rural_6 = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Scottish Government 6-fold urban/rural class (1 = large urban).",
    )
    urban_rural_8 = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class AreaCodeAlias(models.Model):
    """Another code under which data for an area arrives (e.g. Fife's pre-2018 S12000015)."""

    code = models.CharField(max_length=9, unique=True)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="aliases")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "area code aliases"

    def __str__(self) -> str:
        return f"{self.code} → {self.area.code}"


class DeprivationEdition(models.Model):
    """An edition of an area deprivation index, e.g. SIMD 2020v2."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100)
    published = models.DateField(null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Year of the population the edition's file carries."
    )
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["-published"]

    def __str__(self) -> str:
        return self.name


class Deprivation(models.Model):
    """A data zone's position in one edition. Quintile/decile 1 = most deprived."""

    edition = models.ForeignKey(DeprivationEdition, on_delete=models.CASCADE, related_name="ranks")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="deprivation")
    rank = models.PositiveIntegerField()
    vigintile = models.PositiveSmallIntegerField()
    decile = models.PositiveSmallIntegerField()
    quintile = models.PositiveSmallIntegerField()
    local_quintile = models.PositiveSmallIntegerField(
        help_text="Quintile within the council area, population-weighted (computed on load)."
    )
    population = models.PositiveIntegerField(help_text="Population the edition's file carries.")
    working_age_population = models.PositiveIntegerField(null=True, blank=True)
    # Domain ranks as published: zones tied on a domain share the mean of their ranks (3330.5).
    income_rank = models.FloatField(null=True, blank=True)
    employment_rank = models.FloatField(null=True, blank=True)
    health_rank = models.FloatField(null=True, blank=True)
    education_rank = models.FloatField(null=True, blank=True)
    access_rank = models.FloatField(null=True, blank=True)
    crime_rank = models.FloatField(null=True, blank=True)
    housing_rank = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "area"], name="deprivation_unique_area")
        ]

    def __str__(self) -> str:
        return f"{self.area.code} {self.edition.code} rank {self.rank}"


class Population(models.Model):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField()
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="population_unique_area_year")
        ]

    def __str__(self) -> str:
        return f"{self.area.code} {self.year}: {self.count}"


class Typology(models.Model):
    """A classification of intermediate zones into groups of similar communities."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name_plural = "typologies"

    def __str__(self) -> str:
        return self.name


class TypologyMembership(models.Model):
    typology = models.ForeignKey(Typology, on_delete=models.CASCADE, related_name="members")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="typologies")
    group_number = models.PositiveSmallIntegerField()
    group_name = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["typology", "area"], name="typology_unique_area")
        ]

    def __str__(self) -> str:
        return f"{self.area.code} in {self.typology.code} group {self.group_number}"


class Boundary(models.Model):
    """A simplified boundary as GeoJSON geometry (WGS84), for maps."""

    area = models.OneToOneField(Area, on_delete=models.CASCADE, related_name="boundary")
    geometry = models.JSONField()
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name_plural = "boundaries"

    def __str__(self) -> str:
        return f"Boundary of {self.area.code}"


class Locality(models.Model):
    """A neighbourhood a partnership defines from intermediate zones or data zones."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="localities"
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    description = models.TextField(blank=True)
    areas = models.ManyToManyField(Area, related_name="localities")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["partnership", "name"]
        verbose_name_plural = "localities"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="locality_unique_slug")
        ]

    def __str__(self) -> str:
        return self.name
