"""Indicators, the breakdowns they are published by, observations and import runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Polarity(models.TextChoices):
    HIGHER_IS_BETTER = "higher_is_better", "Higher is better"
    LOWER_IS_BETTER = "lower_is_better", "Lower is better"
    NEUTRAL = "neutral", "Neither (context)"


class Unit(models.TextChoices):
    PERCENT = "percent", "%"
    RATE_PER_1000 = "per_1000", "per 1,000"
    RATE_PER_10000 = "per_10000", "per 10,000"
    RATE_PER_100000 = "per_100000", "per 100,000"
    COUNT = "count", "count"
    SCORE = "score", "score"
    INDEX = "index", "index"
    YEARS = "years", "years"
    POUNDS = "pounds", "£"
    RATIO = "ratio", "ratio"
    OTHER = "other", "other"


class PeriodType(models.TextChoices):
    CALENDAR_YEAR = "calendar_year", "Calendar year"
    FINANCIAL_YEAR = "financial_year", "Financial or school year"
    MULTI_YEAR = "multi_year", "Multi-year period"
    QUARTER = "quarter", "Quarter"
    MONTH = "month", "Month"


class ValueKind(models.TextChoices):
    OBSERVED = "observed", "Observed"
    IMPUTED = "imputed", "Imputed"
    PROJECTED = "projected", "Projected"
    SYNTHETIC = "synthetic", "Synthetic (demo)"


class Indicator(models.Model):
    code = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=300)
    definition = models.TextField(blank=True)
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.OTHER)
    unit_label = models.CharField(max_length=60, blank=True, help_text="Shown after values.")
    multiplier = models.FloatField(
        default=1.0, help_text="value = numerator / denominator × multiplier (100 for a %)."
    )
    polarity = models.CharField(
        max_length=20, choices=Polarity.choices, default=Polarity.HIGHER_IS_BETTER
    )
    period_type = models.CharField(
        max_length=20, choices=PeriodType.choices, default=PeriodType.CALENDAR_YEAR
    )
    source = models.CharField(max_length=300, blank=True)
    source_url = models.URLField(blank=True)
    geography_levels = models.JSONField(default=list, blank=True)
    breakdowns = models.JSONField(
        default=list, blank=True, help_text="Dimension names the indicator is published by."
    )
    disclosure_min_count = models.PositiveIntegerField(
        default=0, help_text="Suppress published values whose numerator is below this (0 = none)."
    )
    national_outcomes = models.ManyToManyField(
        "frameworks.NationalOutcome", blank=True, related_name="local_indicators"
    )
    is_core = models.BooleanField(default=False, help_text="In the core outcome set (CPOP).")
    topic = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def higher_is_better(self) -> bool:
        return self.polarity != Polarity.LOWER_IS_BETTER


class Breakdown(models.Model):
    """A disaggregation, e.g. ``{"Gender": "Male", "SIMD quintiles": "1"}``; ``{}`` is the total.

    ``key`` is the canonical text form (``Gender=Male|SIMD quintiles=1``, ``All`` for the total),
    unique, so observations point at a breakdown rather than repeat it.
    """

    TOTAL_KEY = "All"

    key = models.CharField(max_length=500, unique=True)
    dimensions = models.JSONField(default=dict)
    # SIMD-quintile breakdowns feed inequality measures: the quintile (1 = most deprived) and the key
    # of the same breakdown without its quintile, so one query finds the five quintiles and the total.
    simd_quintile = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    simd_base_key = models.CharField(
        max_length=500,
        db_index=True,
        default=TOTAL_KEY,  # right for the total, which other apps create with get_or_create(key="All")
        help_text="The key without its SIMD-quintile dimension (the key itself when it has none).",
    )

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class ImportStatus(models.TextChoices):
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    UNCHANGED = "unchanged", "Already imported"


class ImportRun(models.Model):
    file_name = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64, db_index=True)
    layout = models.CharField(max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.CharField(max_length=150)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ImportStatus.choices)
    rows_read = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(
        default=0, help_text="All errors found; ``errors`` lists the first 1,000."
    )
    errors = models.JSONField(default=list, blank=True)
    options = models.JSONField(
        default=dict, blank=True, help_text="Indicator, period, measurement and skipped area types."
    )
    notes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status}, {self.started_at:%Y-%m-%d %H:%M})"


class Observation(models.Model):
    """One published value. The natural key is (indicator, area, period, breakdown).

    This is the fact table (millions of rows), written in bulk by ``cplan.indicators.bulk``. Its
    foreign keys have no database constraint (``db_constraint=False``): PostgreSQL checks them row by
    row, which cost ~12 s per million rows. Importers resolve every id before writing and lock the
    referenced rows (``FOR KEY SHARE``) in the writing transaction; Django's ``on_delete`` still
    cascades or protects. Every index slows a million-row import, so there are two: the unique key
    ``(area, indicator, period, breakdown)`` serves look-ups by area (an area's profile) and
    ``(indicator, period_end)`` by indicator (all areas, the latest period).
    """

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="observations",
        db_constraint=False,
        db_index=False,  # the (indicator, period_end) index starts with it
    )
    area = models.ForeignKey(
        "geography.Area",
        on_delete=models.CASCADE,
        related_name="observations",
        db_constraint=False,
        db_index=False,  # the unique key (area, indicator, period, breakdown) starts with it
    )
    period = models.CharField(
        max_length=20, help_text="Canonical label: 2019, 2019/20, 2014-2017, 2019 Q1, 2019-03."
    )
    period_start = models.DateField()
    period_end = models.DateField()
    breakdown = models.ForeignKey(
        Breakdown,
        on_delete=models.PROTECT,
        related_name="observations",
        db_constraint=False,
        db_index=False,  # breakdowns are shared reference rows, almost never deleted
    )
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    lower_ci = models.FloatField(null=True, blank=True)
    upper_ci = models.FloatField(null=True, blank=True)
    kind = models.CharField(max_length=12, choices=ValueKind.choices, default=ValueKind.OBSERVED)
    provisional = models.BooleanField(default=False)
    import_run = models.ForeignKey(
        ImportRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observations",
        db_constraint=False,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area", "indicator", "period", "breakdown"], name="observation_unique"
            )
        ]
        indexes = [models.Index(fields=["indicator", "period_end"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.area.code} {self.period} {self.breakdown.key}"
