"""Audit reports, their recommendations, the bodies' responses and the auditors' assessments.

A recommendation is addressed to one or several bodies: organisations (the Scottish Government,
COSLA, ...), one partnership, or all 32 partnerships at once. Each addressed body may respond; an
auditor rates progress in dated assessments, either of the recommendation as a whole (no body) or
of one body's progress (each CPP's own rating of an "all CPPs" recommendation).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from cplan.partnerships.models import Organisation, Partnership


class AuditDimension(models.TextChoices):
    """The four audit dimensions of the Code of Audit Practice; the order is the display order."""

    GOVERNANCE = "governance_and_transparency", "governance and transparency"
    VALUE_FOR_MONEY = "value_for_money", "value for money"
    FINANCIAL_MANAGEMENT = "financial_management", "financial management"
    FINANCIAL_SUSTAINABILITY = "financial_sustainability", "financial sustainability"


class Rag(models.TextChoices):
    """A progress rating. An assessment with a blank rating is "not rated" (a narrative only)."""

    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


class AuditReportQuerySet(models.QuerySet["AuditReport"]):
    def published(self) -> AuditReportQuerySet:
        return self.filter(is_published=True)


class AuditReport(models.Model):
    """A published audit or scrutiny report (or a draft an auditor is preparing)."""

    code = models.CharField(
        max_length=40, unique=True, help_text="The report's identifier, e.g. CP2016."
    )
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=300)
    published_on = models.DateField()
    follows = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followed_by",
        help_text="The earlier report this one follows up.",
    )
    notes = models.TextField(blank=True)
    url = models.URLField(blank=True, max_length=500)
    is_published = models.BooleanField(
        default=True, help_text="Published reports and their ratings are public."
    )

    objects = AuditReportQuerySet.as_manager()

    class Meta:
        ordering = ["published_on", "code"]

    def __str__(self) -> str:
        return f"{self.title} ({self.published_on:%Y})"

    def clean(self) -> None:
        if self.follows_id is not None and self.follows_id == self.pk:
            raise ValidationError({"follows": "A report cannot follow itself."})


class RecommendationGroup(models.Model):
    """Recommendations closely related enough to be followed up together (one report only)."""

    code = models.CharField(max_length=40, unique=True)
    report = models.ForeignKey(AuditReport, on_delete=models.CASCADE, related_name="groups")

    class Meta:
        ordering = ["report", "code"]

    def __str__(self) -> str:
        return f"{self.report.code} group {self.code}"


class Recommendation(models.Model):
    code = models.CharField(max_length=40, unique=True, help_text="e.g. CP2016-R01.")
    report = models.ForeignKey(
        AuditReport, on_delete=models.CASCADE, related_name="recommendations"
    )
    group = models.ForeignKey(
        RecommendationGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    position = models.PositiveIntegerField(help_text="Order within the report.")
    text = models.TextField(help_text="What the addressees should do, in the report's words.")
    follow_up_by = models.DateField(
        null=True,
        blank=True,
        help_text="Progress should be reassessed by this date; after it the recommendation is overdue.",
    )

    class Meta:
        ordering = ["report__published_on", "report__code", "position", "code"]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        group = self.group if self.group_id is not None else None
        if group is not None and group.report_id != self.report_id:
            raise ValidationError({"group": f"Group {group.code} belongs to another report."})


class AddresseeKind(models.TextChoices):
    ORGANISATION = "organisation", "An organisation"
    PARTNERSHIP = "partnership", "One partnership"
    ALL_PARTNERSHIPS = "all_partnerships", "All Community Planning Partnerships"


class Addressee(models.Model):
    """One body a recommendation is addressed to, in the order the report names them."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="addressees"
    )
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=AddresseeKind.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["recommendation", "position"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=AddresseeKind.ORGANISATION,
                        organisation__isnull=False,
                        partnership__isnull=True,
                    )
                    | Q(
                        kind=AddresseeKind.PARTNERSHIP,
                        organisation__isnull=True,
                        partnership__isnull=False,
                    )
                    | Q(
                        kind=AddresseeKind.ALL_PARTNERSHIPS,
                        organisation__isnull=True,
                        partnership__isnull=True,
                    )
                ),
                name="addressee_kind_matches_body",
            ),
            models.UniqueConstraint(
                fields=["recommendation", "organisation"],
                condition=Q(organisation__isnull=False),
                name="addressee_unique_organisation",
            ),
            models.UniqueConstraint(
                fields=["recommendation", "partnership"],
                condition=Q(partnership__isnull=False),
                name="addressee_unique_partnership",
            ),
            models.UniqueConstraint(
                fields=["recommendation"],
                condition=Q(kind="all_partnerships"),
                name="addressee_unique_all_partnerships",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == AddresseeKind.ALL_PARTNERSHIPS:
            return "Community Planning Partnerships"
        return str(self.organisation or self.partnership)


class RecommendationDimension(models.Model):
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="dimensions"
    )
    dimension = models.CharField(max_length=40, choices=AuditDimension.choices)

    class Meta:
        ordering = ["recommendation", "dimension"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "dimension"], name="recommendation_dimension_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recommendation.code}: {self.get_dimension_display()}"


def _one_body_at_most() -> Q:
    return Q(partnership__isnull=True) | Q(organisation__isnull=True)


class Response(models.Model):
    """What an addressed body says it has done, for an auditor to rate."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="responses"
    )
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField()
    text = models.TextField()
    submitted_by = models.CharField(max_length=200, blank=True, help_text="Who, by name.")
    submitted_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recommendation", "submitted_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(partnership__isnull=False, organisation__isnull=True)
                    | Q(partnership__isnull=True, organisation__isnull=False)
                ),
                name="response_from_one_body",
            )
        ]

    def __str__(self) -> str:
        return f"{self.body} on {self.recommendation.code} ({self.submitted_on})"

    @property
    def body(self) -> Partnership | Organisation:
        body = self.partnership or self.organisation
        assert body is not None  # noqa: S101 - the check constraint guarantees one
        return body


class ProgressAssessment(models.Model):
    """An auditor's dated rating of progress: of the whole recommendation, or of one body."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="assessments"
    )
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    response = models.ForeignKey(
        Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="ratings"
    )
    assessed_on = models.DateField()
    rag = models.CharField(max_length=5, choices=Rag.choices, blank=True)
    headline = models.CharField(max_length=500)
    narrative = models.TextField(blank=True)
    assessed_by = models.CharField(max_length=200, help_text="Who assessed: a person or a report.")
    assessed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recommendation", "assessed_on", "id"]
        constraints = [
            models.CheckConstraint(condition=_one_body_at_most(), name="assessment_body")
        ]

    def __str__(self) -> str:
        rating = self.get_rag_display() if self.rag else "not rated"
        return f"{self.recommendation.code} {self.assessed_on}: {rating}"

    @property
    def body(self) -> Partnership | Organisation | None:
        return self.partnership or self.organisation


class EvidenceLink(models.Model):
    """A link cited as evidence: a CPP's plan, measure or commitment page, a published document."""

    response = models.ForeignKey(
        Response, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    assessment = models.ForeignKey(
        ProgressAssessment,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=200)
    url = models.CharField(
        max_length=500, help_text="An http(s) address, or a page of this site starting with /."
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(response__isnull=False, assessment__isnull=True)
                    | Q(response__isnull=True, assessment__isnull=False)
                ),
                name="evidence_has_one_parent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} <{self.url}>"


class ImpactMeasure(models.Model):
    """A figure on a report's reach: downloads, press coverage, parliamentary consideration."""

    report = models.ForeignKey(
        AuditReport, on_delete=models.CASCADE, related_name="impact_measures"
    )
    position = models.PositiveSmallIntegerField(default=0)
    measure = models.CharField(max_length=200)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    period = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["report", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "measure", "period"], name="impact_measure_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report.code}: {self.measure} = {self.value}"
