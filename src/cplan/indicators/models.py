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
    rows_skipped = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status}, {self.started_at:%Y-%m-%d %H:%M})"


class Observation(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    area = models.ForeignKey(
        "geography.Area", on_delete=models.CASCADE, related_name="observations"
    )
    period = models.CharField(max_length=20, help_text="As published: 2019, 2019/20, 2014-2017 ...")
    period_start = models.DateField()
    period_end = models.DateField()
    breakdown = models.ForeignKey(Breakdown, on_delete=models.PROTECT, related_name="observations")
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    lower_ci = models.FloatField(null=True, blank=True)
    upper_ci = models.FloatField(null=True, blank=True)
    kind = models.CharField(max_length=12, choices=ValueKind.choices, default=ValueKind.OBSERVED)
    provisional = models.BooleanField(default=False)
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="observations"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period", "breakdown"], name="observation_unique"
            )
        ]
        indexes = [
            models.Index(fields=["indicator", "period_end"]),
            models.Index(fields=["area", "indicator"]),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.area.code} {self.period} {self.breakdown.key}"
