"""Writing a checked audit import (:class:`ParsedAudit`) to the database, idempotently.

Reports, recommendations and impact measures are matched on their identifiers and updated in
place; responses and assessments are matched on what they say (body, date, rating, headline or
text) and added when new. Nothing on the platform is deleted, so ratings and responses entered on
the site survive a re-import. Every created or changed row is recorded in the change history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models

from cplan.audit import rules
from cplan.audit.bodies import BodyRef, canonical_name, table_organisations_ensure
from cplan.audit.importers import AssessmentRow, ParsedAudit, ResponseRow
from cplan.audit.models import (
    AddresseeKind,
    AuditReport,
    EvidenceLink,
    ImpactMeasure,
    ProgressAssessment,
    Recommendation,
    RecommendationGroup,
    Response,
)
from cplan.audit.records import addressees_set, dimensions_set, jsonable, snapshot
from cplan.audit.rules import Evidence
from cplan.core.history import change_record
from cplan.core.models import ChangeAction
from cplan.partnerships.models import Organisation, Partnership

KINDS = ("reports", "recommendations", "impact measures", "responses", "assessments")


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class AuditImportReport:
    files: list[str]
    counts: dict[str, Counts] = field(default_factory=lambda: {kind: Counts() for kind in KINDS})

    def summary(self) -> str:
        lines = [f"Audit import from {', '.join(self.files)}:"]
        lines += [f"  {kind}: {counts}" for kind, counts in self.counts.items()]
        return "\n".join(lines)


class AuditImportWriter:
    def __init__(self, *, user: User | AnonymousUser | None, actor: str, source: str) -> None:
        self.user = user
        self.actor = actor
        self.source = source

    def write(self, parsed: ParsedAudit) -> AuditImportReport:
        self.report = AuditImportReport(files=parsed.files)
        self.organisations = table_organisations_ensure(
            parsed.organisation_slugs(), user=self.user, actor=self.actor, source=self.source
        )
        self.partnerships = {p.code: p for p in Partnership.objects.all()}
        self._reports(parsed)
        self._recommendations(parsed)
        self._impact_measures(parsed)
        self.recommendations = {r.code: r for r in Recommendation.objects.select_related("report")}
        for response_row in parsed.responses:
            self._response(response_row)
        for assessment_row in parsed.assessments:
            self._assessment(assessment_row)
        return self.report

    def _record(
        self,
        kind: str,
        obj: models.Model,
        *,
        before: dict[str, Any] | None,
        after: dict[str, Any],
    ) -> None:
        counts = self.report.counts[kind]
        if before is None:
            counts.created += 1
            action = ChangeAction.IMPORT
        elif before != after:
            counts.updated += 1
            action = ChangeAction.UPDATE
        else:
            counts.unchanged += 1
            return
        change_record(
            user=self.user,
            action=action,
            obj=obj,
            before=before,
            after=after,
            source=self.source,
            actor=self.actor,
        )

    def _upsert(
        self, kind: str, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
    ) -> Any:
        obj = model._default_manager.filter(**lookup).first()
        fields = list(values)
        before = None if obj is None else snapshot(obj, fields)
        if obj is None:
            obj = model._default_manager.create(**lookup, **values)
        elif before != jsonable(values):
            for name, value in values.items():
                setattr(obj, name, value)
            obj.save(update_fields=fields)
        self._record(kind, obj, before=before, after=jsonable(values))
        return obj

    def _reports(self, parsed: ParsedAudit) -> None:
        for row in parsed.reports:
            self._upsert(
                "reports",
                AuditReport,
                {"code": row.code},
                {
                    "title": row.title,
                    "publisher": row.publisher,
                    "published_on": row.published_on,
                    "notes": row.notes,
                    "url": row.url,
                    "is_published": row.is_published,
                },
            )
        self.reports = {r.code: r for r in AuditReport.objects.select_related("follows")}
        for row in parsed.reports:
            report = self.reports[row.code]
            follows = self.reports.get(row.follows_code) if row.follows_code else None
            if report.follows != follows:
                before = {"follows": report.follows.code if report.follows else ""}
                report.follows = follows
                report.save(update_fields=["follows"])
                change_record(
                    user=self.user,
                    action=ChangeAction.UPDATE,
                    obj=report,
                    before=before,
                    after={"follows": row.follows_code},
                    source=self.source,
                    actor=self.actor,
                )

    def _recommendations(self, parsed: ParsedAudit) -> None:
        for row in parsed.recommendations:
            report = self.reports[row.report_code]
            group = None
            if row.group_code:
                group, _ = RecommendationGroup.objects.get_or_create(
                    code=row.group_code, defaults={"report": report}
                )
            recommendation = Recommendation.objects.filter(code=row.code).first()
            values = {
                "report": report,
                "group": group,
                "position": row.position,
                "text": row.text,
                "follow_up_by": row.follow_up_by,
            }
            before = None if recommendation is None else _recommendation_state(recommendation)
            if recommendation is None:
                recommendation = Recommendation.objects.create(code=row.code, **values)
            else:
                for name, value in values.items():
                    setattr(recommendation, name, value)
                recommendation.save()
            addressees_set(recommendation, row.addressees)
            dimensions_set(recommendation, row.dimensions)
            after = _recommendation_state(recommendation)
            self._record("recommendations", recommendation, before=before, after=after)

    def _impact_measures(self, parsed: ParsedAudit) -> None:
        for row in parsed.impact_measures:
            self._upsert(
                "impact measures",
                ImpactMeasure,
                {
                    "report": self.reports[row.report_code],
                    "measure": row.measure,
                    "period": row.period,
                },
                {"value": row.value, "notes": row.notes, "position": row.position},
            )

    def _body(self, ref: BodyRef | None) -> dict[str, Any]:
        if ref is None:
            return {"partnership": None, "organisation": None}
        if ref.kind == AddresseeKind.PARTNERSHIP:
            return {"partnership": self.partnerships[ref.key], "organisation": None}
        organisation: Organisation = self.organisations.get(ref.key) or Organisation.objects.get(
            slug=ref.key
        )
        self.organisations[ref.key] = organisation
        return {"partnership": None, "organisation": organisation}

    def _response(self, row: ResponseRow) -> None:
        recommendation = self.recommendations[row.rec_code]
        lookup = {
            "recommendation": recommendation,
            **self._body(row.body),
            "submitted_on": row.submitted_on,
            "text": row.text,
        }
        response = self._upsert("responses", Response, lookup, {"submitted_by": row.submitted_by})
        _evidence_replace(response.evidence, row.evidence, response=response)

    def _assessment(self, row: AssessmentRow) -> None:
        recommendation = self.recommendations[row.rec_code]
        body = self._body(row.body)
        lookup = {
            "recommendation": recommendation,
            **body,
            "assessed_on": row.assessed_on,
            "rag": row.rag,
            "headline": row.headline,
        }
        values = {
            "narrative": row.narrative,
            "assessed_by": row.assessed_by,
            "response": _response_rated(recommendation, body, row.assessed_on),
        }
        assessment = self._upsert("assessments", ProgressAssessment, lookup, values)
        _evidence_replace(assessment.evidence, row.evidence, assessment=assessment)


def _response_rated(
    recommendation: Recommendation, body: dict[str, Any], assessed_on: dt.date
) -> Response | None:
    """The body's latest response on or before the assessment date: what the auditor rated."""
    if body["partnership"] is None and body["organisation"] is None:
        return None
    return (
        Response.objects.filter(
            recommendation=recommendation, submitted_on__lte=assessed_on, **body
        )
        .order_by("-submitted_on", "-id")
        .first()
    )


def _evidence_replace(
    manager: Any,
    links: Sequence[Evidence],
    *,
    response: Response | None = None,
    assessment: ProgressAssessment | None = None,
) -> None:
    current = [Evidence(label=e.label, url=e.url) for e in manager.all()]
    if current == list(links):
        return
    manager.all().delete()
    EvidenceLink.objects.bulk_create(
        EvidenceLink(
            response=response, assessment=assessment, position=n, label=link.label, url=link.url
        )
        for n, link in enumerate(links, start=1)
    )


def _recommendation_state(recommendation: Recommendation) -> dict[str, Any]:
    addressees = []
    for a in recommendation.addressees.select_related("organisation", "partnership"):
        ref = (
            BodyRef.all_partnerships()
            if a.kind == AddresseeKind.ALL_PARTNERSHIPS
            else BodyRef.of(a.organisation or a.partnership)  # type: ignore[arg-type]  # the check constraint sets one
        )
        addressees.append(canonical_name(ref))
    dimensions = list(recommendation.dimensions.values_list("dimension", flat=True))
    return {
        **snapshot(recommendation, ("text", "position", "follow_up_by")),
        "report": recommendation.report.code,
        "group": recommendation.group.code if recommendation.group else "",
        "addressees": addressees,
        "dimensions": rules.dimensions_text(dimensions),
    }
