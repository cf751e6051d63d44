"""Plans and accountability: versions of a plan, what they aim for, who delivers and how it is going.

A ``Plan`` is the lasting identity (a partnership's LOIP, or a locality plan). Its content lives in
numbered ``PlanVersion`` rows: only a draft can be edited; a published version never changes, and a
change makes a new version whose items are copies carrying the same ``key``, so two versions can be
compared item by item and a commitment's progress updates follow it from version to version.

Measure status is never stored: it is computed from the observations (``selectors``), so it follows
the data. Models hold invariants only; services check permission, write and record history.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from cplan.indicators.models import Polarity
from cplan.partnerships.models import Partnership, is_current_member
from outcomes.trends import period_start_year

TITLE_LIMIT = 200
SHORT_TEXT_LIMIT = 2000  # a description or a question
LONG_TEXT_LIMIT = 5000  # a narrative or a response
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100


def long_text(limit: int = SHORT_TEXT_LIMIT, *, blank: bool = True) -> models.TextField[str, str]:
    """A text field whose length is checked by ``full_clean`` (a TextField alone is not)."""
    return models.TextField(blank=blank, max_length=limit, validators=[MaxLengthValidator(limit)])


class PlanKind(models.TextChoices):
    LOIP = "loip", "Local Outcomes Improvement Plan"
    LOCALITY = "locality", "Locality plan"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Superseded"
    CLOSED = "closed", "Closed"


#: Versions anyone may read; drafts and approved-but-unpublished versions are internal.
PUBLIC_STATUSES = (PlanStatus.PUBLISHED, PlanStatus.SUPERSEDED, PlanStatus.CLOSED)


class Plan(models.Model):
    """A partnership's LOIP or one of its locality plans, across all its versions."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="plans")
    kind = models.CharField(max_length=12, choices=PlanKind.choices)
    locality = models.ForeignKey(
        "geography.Locality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
        help_text="The locality a locality plan is for.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partnership", "kind", "-created_at"]

    def __str__(self) -> str:
        where = self.locality or self.partnership
        return f"{self.get_kind_display()} – {where}"

    def clean(self) -> None:
        locality = self.locality
        if self.kind == PlanKind.LOCALITY and locality is None:
            raise ValidationError({"locality": "A locality plan is for a locality: choose one."})
        if self.kind == PlanKind.LOIP and locality is not None:
            raise ValidationError(
                {"locality": "A LOIP covers the whole partnership: leave the locality empty."}
            )
        if locality is not None and locality.partnership_id != self.partnership_id:
            raise ValidationError(
                {"locality": f"{locality} is not a locality of {self.partnership}."}
            )


class PlanVersion(models.Model):
    """One numbered version of a plan: its words, period and lifecycle status."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    title = models.CharField(max_length=TITLE_LIMIT)
    summary = long_text(LONG_TEXT_LIMIT)
    period_start = models.DateField()
    period_end = models.DateField()
    created_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique_number"),
            # One version in preparation at a time, so "the draft" of a plan is never ambiguous.
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(status__in=["draft", "approved"]),
                name="plan_one_open_version",
                violation_error_message="This plan already has a version in preparation.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.number})"

    @property
    def is_editable(self) -> bool:
        return self.status == PlanStatus.DRAFT

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end <= self.period_start:
            raise ValidationError(
                {
                    "period_end": f"The plan period ends ({self.period_end:%d/%m/%Y}) on or before "
                    f"it starts ({self.period_start:%d/%m/%Y}): the end must come after the start."
                }
            )


class VersionItem(models.Model):
    """Shared by the items of a version: the version, a key kept across versions, a revision."""

    key = models.UUIDField(default=uuid.uuid4, editable=False)
    revision = models.PositiveIntegerField(default=1, editable=False)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the page.")

    class Meta:
        abstract = True


class Priority(VersionItem):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(max_length=TITLE_LIMIT)
    description = long_text()

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="priority_unique_key")
        ]

    def __str__(self) -> str:
        return self.title


class LocalOutcome(VersionItem):
    """What a priority aims to change, linked to the NPF national outcomes it contributes to."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="outcomes")
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="outcomes")
    title = models.CharField(max_length=TITLE_LIMIT)
    description = long_text()
    national_outcomes = models.ManyToManyField(
        "frameworks.NationalOutcome", related_name="local_outcomes"
    )

    class Meta:
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="outcome_unique_key")
        ]

    def __str__(self) -> str:
        return self.title


class MeasureBreakdown(models.TextChoices):
    ALL = "all", "Everyone"
    SIMD_Q1 = "simd_q1", "SIMD quintile 1 (most deprived)"
    SIMD_Q2 = "simd_q2", "SIMD quintile 2"
    SIMD_Q3 = "simd_q3", "SIMD quintile 3"
    SIMD_Q4 = "simd_q4", "SIMD quintile 4"
    SIMD_Q5 = "simd_q5", "SIMD quintile 5 (least deprived)"
    SIMD_GAP = "simd_gap", "Gap between SIMD quintiles 1 and 5"


class PlanMeasure(VersionItem):
    """An indicator for an area or locality (optionally one SIMD quintile, or the gap between the
    most and least deprived), with a baseline, a target and an optional trajectory."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="measures")
    outcome = models.ForeignKey(LocalOutcome, on_delete=models.CASCADE, related_name="measures")
    indicator = models.ForeignKey(
        "indicators.Indicator", on_delete=models.PROTECT, related_name="plan_measures"
    )
    area = models.ForeignKey(
        "geography.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_measures",
    )
    locality = models.ForeignKey(
        "geography.Locality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_measures",
    )
    breakdown = models.CharField(
        max_length=10, choices=MeasureBreakdown.choices, default=MeasureBreakdown.ALL
    )
    baseline_period = models.CharField(
        max_length=20, help_text="As the data name it: 2016, 2016/17 or 2014-2016."
    )
    baseline_value = models.FloatField(
        null=True, blank=True, help_text="As the plan states it (the status uses the data)."
    )
    target_value = models.FloatField()
    target_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(EARLIEST_YEAR), MaxValueValidator(LATEST_YEAR)]
    )
    trajectory = models.JSONField(
        default=list,
        blank=True,
        help_text='Milestones between baseline and target: [{"year": 2022, "value": 18.5}, ...].',
    )
    note = long_text()

    class Meta:
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="measure_unique_key"),
            models.CheckConstraint(
                condition=models.Q(area__isnull=False, locality__isnull=True)
                | models.Q(area__isnull=True, locality__isnull=False),
                name="measure_area_or_locality",
            ),
        ]

    def __str__(self) -> str:
        where = self.locality or (self.area.name if self.area else "")
        suffix = (
            "" if self.breakdown == MeasureBreakdown.ALL else f", {self.get_breakdown_display()}"
        )
        return f"{self.indicator.name}, {where}{suffix}"

    @property
    def baseline_year(self) -> int:
        return int(period_start_year([self.baseline_period])[0])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        self._check_place(errors)
        self._check_years(errors)
        self._check_direction(errors)
        if errors:
            raise ValidationError(errors)

    def _check_place(self, errors: dict[str, str]) -> None:
        if self.area_id is None and self.locality_id is None:
            errors["area"] = "Choose the area or the locality the measure is for."
            return
        if self.area_id is not None and self.locality_id is not None:
            errors["locality"] = "Choose an area or a locality, not both."
            return
        partnership = self.version.plan.partnership
        area, locality = self.area, self.locality
        if area is not None and partnership.council_area_id not in (area.pk, area.council_area_id):
            errors["area"] = (
                f"{area} is outside {partnership}: a measure is for the partnership's own "
                "council area or an area within it."
            )
        if locality is not None and locality.partnership_id != partnership.pk:
            errors["locality"] = f"{locality} is not a locality of {partnership}."

    def _check_direction(self, errors: dict[str, str]) -> None:
        """An indicator that is neither better high nor low takes its direction from the target."""
        indicator = self.indicator if self.indicator_id else None
        if indicator is None or indicator.polarity != Polarity.NEUTRAL:
            return
        if self.baseline_value is None:
            errors["baseline_value"] = (
                f"{indicator} is neither better high nor low: give the baseline value, so that "
                "the target says which way is better."
            )
        elif self.target_value == self.baseline_value:
            errors["target_value"] = (
                "The target equals the baseline: for this indicator the target must say which "
                "way is better."
            )

    def _check_years(self, errors: dict[str, str]) -> None:
        try:
            baseline_year = self.baseline_year
        except ValueError:
            errors["baseline_period"] = (
                f"{self.baseline_period!r} has no four-digit year: write it as the data name it, "
                "e.g. 2016, 2016/17 or 2014-2016."
            )
            return
        if self.target_year is not None and self.target_year <= baseline_year:
            errors["target_year"] = (
                f"The target year ({self.target_year}) is not after the baseline year "
                f"({baseline_year}): a target must lie in the future of its baseline."
            )
            return
        problem = trajectory_problem(self.trajectory, baseline_year, self.target_year)
        if problem:
            errors["trajectory"] = problem


def trajectory_problem(trajectory: object, baseline_year: int, target_year: int | None) -> str:
    """Why a trajectory is not a list of milestones between baseline and target ('' if it is)."""
    if not isinstance(trajectory, list):
        return "The trajectory must be a list of milestones (year and value)."
    previous = baseline_year
    for position, point in enumerate(trajectory, start=1):
        if not isinstance(point, dict) or set(point) != {"year", "value"}:
            return f"Milestone {position} must give a year and a value."
        year, value = point["year"], point["value"]
        if not isinstance(year, int) or not isinstance(value, int | float):
            return f"Milestone {position} must give a whole year and a number."
        if year <= previous or (target_year is not None and year >= target_year):
            return (
                f"Milestone {position} ({year}) is out of order: milestones run in year order "
                f"after the baseline year ({baseline_year}) and before the target year "
                f"({target_year})."
            )
        previous = year
    return ""


class Commitment(VersionItem):
    """What a lead partner, with contributing partners, will do for a priority, and by when."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="commitments")
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="commitments")
    title = models.CharField(max_length=TITLE_LIMIT)
    description = long_text()
    lead_organisation = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.PROTECT, related_name="led_commitments"
    )
    contributors = models.ManyToManyField(
        "partnerships.Organisation", blank=True, related_name="contributed_commitments"
    )
    start_date = models.DateField()
    due_date = models.DateField()
    preventative = models.BooleanField(
        default=False, help_text="Prevents problems arising rather than responding to them."
    )
    locality = models.ForeignKey(
        "geography.Locality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
    )

    class Meta:
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="commitment_unique_key")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start_date and self.due_date and self.due_date <= self.start_date:
            errors["due_date"] = (
                f"The due date ({self.due_date:%d/%m/%Y}) is not after the start date "
                f"({self.start_date:%d/%m/%Y}): a commitment is due after it starts."
            )
        partnership = self.version.plan.partnership
        lead = self.lead_organisation if self.lead_organisation_id else None
        if lead is not None and not is_current_member(partnership, lead):
            errors["lead_organisation"] = (
                f"{lead} is not a member of {partnership}: only a member partner can lead a "
                "commitment."
            )
        locality = self.locality
        if locality is not None and locality.partnership_id != partnership.pk:
            errors["locality"] = f"{locality} is not a locality of {partnership}."
        if errors:
            raise ValidationError(errors)


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class ProgressUpdate(models.Model):
    """A dated report on a commitment by a partner: never edited; a correction is a new update."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    rag = models.CharField("RAG rating", max_length=5, choices=Rag.choices)
    percent_complete = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(100)], help_text="How much of the commitment is done, 0-100."
    )
    narrative = long_text(LONG_TEXT_LIMIT, blank=False)
    evidence = models.JSONField(
        default=list, blank=True, help_text='Links: [{"title": "...", "url": "https://..."}].'
    )
    reported_on = models.DateField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=150)
    organisation = models.ForeignKey(
        "partnerships.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="progress_updates",
        help_text="The partner the author reported for.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_on", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.commitment}: {self.get_rag_display()} on {self.reported_on:%d/%m/%Y}"

    def clean(self) -> None:
        # Runs after field errors too (ModelForm), so a missing date is left to its field error.
        if not self.reported_on:
            return
        if self.reported_on > timezone.localdate():
            raise ValidationError({"reported_on": "The report date cannot be in the future."})
        start = self.commitment.start_date
        if self.reported_on < start:
            raise ValidationError(
                {
                    "reported_on": f"The report date ({self.reported_on:%d/%m/%Y}) is before the "
                    f"commitment starts ({start:%d/%m/%Y})."
                }
            )


class ResponsibilityFunction(models.TextChoices):
    """The four roles the 2014 Audit Scotland report says must be clear (Part 2)."""

    AGREE = "agree", "Agrees the priority"
    ALLOCATE = "allocate", "Allocates resources"
    IMPLEMENT = "implement", "Implements"
    SCRUTINISE = "scrutinise", "Scrutinises performance"


class Responsibility(models.Model):
    """Who is accountable for one function of one priority: a governance body or a partner."""

    priority = models.ForeignKey(
        Priority, on_delete=models.CASCADE, related_name="responsibilities"
    )
    function = models.CharField(max_length=12, choices=ResponsibilityFunction.choices)
    body = models.ForeignKey(
        "partnerships.GovernanceBody",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="responsibilities",
    )
    organisation = models.ForeignKey(
        "partnerships.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="responsibilities",
    )

    class Meta:
        ordering = ["priority", "function", "id"]
        verbose_name_plural = "responsibilities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(body__isnull=False, organisation__isnull=True)
                | models.Q(body__isnull=True, organisation__isnull=False),
                name="responsibility_body_or_organisation",
            ),
            models.UniqueConstraint(
                fields=["priority", "function", "body"],
                condition=models.Q(body__isnull=False),
                name="responsibility_unique_body",
                violation_error_message="That body already has this responsibility.",
            ),
            models.UniqueConstraint(
                fields=["priority", "function", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="responsibility_unique_organisation",
                violation_error_message="That partner already has this responsibility.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party}: {self.get_function_display()} ({self.priority})"

    @property
    def party(self) -> str:
        return str(self.body or self.organisation or "")

    def clean(self) -> None:
        partnership = self.priority.version.plan.partnership
        body, organisation = self.body, self.organisation
        if (body is None) == (organisation is None):
            raise ValidationError({"body": "Choose a governance body or a partner, not both."})
        if body is not None and body.partnership_id != partnership.pk:
            raise ValidationError({"body": f"{body} is not a body of {partnership}."})
        if organisation is not None and not is_current_member(partnership, organisation):
            raise ValidationError(
                {"organisation": f"{organisation} is not a member of {partnership}."}
            )


class ChallengeStatus(models.TextChoices):
    OPEN = "open", "Awaiting response"
    ANSWERED = "answered", "Answered"
    CLOSED = "closed", "Closed by the board"


class Challenge(models.Model):
    """A board member's question to a partner about a commitment or measure, and the answer."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="challenges"
    )
    meeting = models.ForeignKey(
        "partnerships.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="challenges",
    )
    commitment = models.ForeignKey(
        Commitment, null=True, blank=True, on_delete=models.CASCADE, related_name="challenges"
    )
    measure = models.ForeignKey(
        PlanMeasure, null=True, blank=True, on_delete=models.CASCADE, related_name="challenges"
    )
    organisation = models.ForeignKey(
        "partnerships.Organisation",
        on_delete=models.PROTECT,
        related_name="challenges",
        help_text="The partner asked to respond.",
    )
    question = long_text(SHORT_TEXT_LIMIT, blank=False)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_by_name = models.CharField(max_length=150)
    raised_at = models.DateTimeField(auto_now_add=True)
    response = long_text(LONG_TEXT_LIMIT)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_by_name = models.CharField(max_length=150, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ChallengeStatus.choices, default=ChallengeStatus.OPEN
    )
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-raised_at", "-id"]

    def __str__(self) -> str:
        subject = self.commitment or self.measure or self.organisation
        return f"Challenge to {self.organisation} on {subject}"

    def clean(self) -> None:
        if self.commitment_id is not None and self.measure_id is not None:
            raise ValidationError({"measure": "Challenge a commitment or a measure, not both."})
        subject_partnership = None
        if self.commitment is not None:
            subject_partnership = self.commitment.version.plan.partnership_id
        elif self.measure is not None:
            subject_partnership = self.measure.version.plan.partnership_id
        if subject_partnership is not None and subject_partnership != self.partnership_id:
            raise ValidationError("The challenge and its subject belong to different partnerships.")
        meeting = self.meeting
        if meeting is not None and meeting.body.partnership_id != self.partnership_id:
            raise ValidationError({"meeting": f"{meeting} is not a meeting of {self.partnership}."})
        if self.organisation_id and not is_current_member(self.partnership, self.organisation):
            raise ValidationError(
                {"organisation": f"{self.organisation} is not a member of {self.partnership}."}
            )
