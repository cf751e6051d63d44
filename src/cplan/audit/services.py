"""Changing audit data: every function checks permission, keeps the rules, writes in one
transaction and records the change history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from cplan.accounts.permissions import require
from cplan.audit import rules
from cplan.audit.bodies import BodyRef, canonical_name
from cplan.audit.import_writer import AuditImportReport, AuditImportWriter
from cplan.audit.importers import audit_directory_parse
from cplan.audit.models import (
    AuditDimension,
    AuditReport,
    EvidenceLink,
    ProgressAssessment,
    Rag,
    Recommendation,
    RecommendationGroup,
    Response,
)
from cplan.audit.records import (
    Body,
    addressees_set,
    dimensions_set,
    is_body_addressed,
    snapshot,
)
from cplan.audit.rules import Evidence
from cplan.core.history import change_record
from cplan.core.models import ChangeAction
from cplan.partnerships.models import Organisation, Partnership

AnyUser = User | AnonymousUser | None


def body_label(body: Body | None) -> str:
    return "the recommendation as a whole" if body is None else str(body)


def _check_date(value: dt.date, *, report: AuditReport, field: str) -> None:
    if value < report.published_on:
        rule = rules.DATE_BEFORE_REPORT.format(published_on=report.published_on.isoformat())
        raise ValidationError({field: f"{value.isoformat()} {rule}"})
    if value > timezone.localdate():
        raise ValidationError({field: f"{value.isoformat()} {rules.DATE_IN_FUTURE}"})


def _evidence_create(
    links: Sequence[Evidence],
    *,
    response: Response | None = None,
    assessment: ProgressAssessment | None = None,
) -> None:
    for position, link in enumerate(links, start=1):
        try:
            url = rules.check_url(link.url)
        except rules.RuleError as broken:
            raise ValidationError({"evidence": f"{link.url!r}: {broken}"}) from None
        EvidenceLink.objects.create(
            response=response, assessment=assessment, position=position, label=link.label, url=url
        )


# --- reports and recommendations (auditors) ---------------------------------------------------


REPORT_FIELDS = ("code", "title", "publisher", "published_on", "notes", "url", "is_published")


def audit_report_create(
    *,
    user: AnyUser,
    code: str,
    title: str,
    publisher: str,
    published_on: dt.date,
    follows: AuditReport | None = None,
    notes: str = "",
    url: str = "",
    is_published: bool = False,
) -> AuditReport:
    require(user, "audit.edit")
    with transaction.atomic():
        report = AuditReport(
            code=code.strip(),
            title=title.strip(),
            publisher=publisher.strip(),
            published_on=published_on,
            follows=follows,
            notes=notes,
            url=url,
            is_published=is_published,
        )
        report.full_clean()
        report.save()
        change_record(
            user=user,
            action=ChangeAction.CREATE,
            obj=report,
            after=snapshot(report, REPORT_FIELDS),
            source="audit_report_create",
        )
    return report


def audit_report_publish(*, user: AnyUser, report: AuditReport) -> AuditReport:
    """Make a draft report, its recommendations and ratings public."""
    require(user, "audit.edit")
    with transaction.atomic():
        if not report.is_published:
            report.is_published = True
            report.save(update_fields=["is_published"])
            change_record(
                user=user,
                action=ChangeAction.UPDATE,
                obj=report,
                before={"is_published": False},
                after={"is_published": True},
                source="audit_report_publish",
            )
    return report


def recommendation_create(
    *,
    user: AnyUser,
    report: AuditReport,
    code: str,
    text: str,
    organisations: Sequence[Organisation] = (),
    partnerships: Sequence[Partnership] = (),
    all_partnerships: bool = False,
    dimensions: Sequence[str] = (),
    group_code: str = "",
    follow_up_by: dt.date | None = None,
) -> Recommendation:
    require(user, "audit.edit")
    if not (organisations or partnerships or all_partnerships):
        raise ValidationError({"addressees": rules.NO_ADDRESSEE})
    unknown = [d for d in dimensions if d not in AuditDimension.values]
    if unknown:
        raise ValidationError({"dimensions": f"{unknown[0]!r} {rules.DIMENSION_UNKNOWN}"})
    with transaction.atomic():
        group = _group_for(report, group_code.strip()) if group_code.strip() else None
        position = (report.recommendations.aggregate(last=models.Max("position"))["last"] or 0) + 1
        recommendation = Recommendation(
            code=code.strip(),
            report=report,
            group=group,
            position=position,
            text=text.strip(),
            follow_up_by=follow_up_by,
        )
        recommendation.full_clean()
        recommendation.save()
        refs = [BodyRef.of(o) for o in organisations] + [BodyRef.of(p) for p in partnerships]
        if all_partnerships:
            refs.append(BodyRef.all_partnerships())
        addressees_set(recommendation, refs)
        dimensions_set(recommendation, list(dict.fromkeys(dimensions)))
        change_record(
            user=user,
            action=ChangeAction.CREATE,
            obj=recommendation,
            after={
                **snapshot(recommendation, ("code", "text", "position", "follow_up_by")),
                "report": report.code,
                "group": group.code if group else "",
                "addressees": [canonical_name(ref) for ref in refs],
                "dimensions": rules.dimensions_text(list(dimensions)),
            },
            source="recommendation_create",
        )
    return recommendation


def _group_for(report: AuditReport, code: str) -> RecommendationGroup:
    group, _created = RecommendationGroup.objects.get_or_create(
        code=code, defaults={"report": report}
    )
    if group.report_id != report.pk:
        rule = rules.GROUP_SPANS_REPORTS.format(group=code, other=group.report.code)
        raise ValidationError({"group_code": rule})
    return group


def recommendation_follow_up_set(
    *, user: AnyUser, recommendation: Recommendation, follow_up_by: dt.date | None
) -> Recommendation:
    """Set (or clear) the date by which progress should be reassessed."""
    require(user, "audit.edit")
    if follow_up_by is not None and follow_up_by < recommendation.report.published_on:
        rule = rules.DATE_BEFORE_REPORT.format(
            published_on=recommendation.report.published_on.isoformat()
        )
        raise ValidationError({"follow_up_by": f"{follow_up_by.isoformat()} {rule}"})
    with transaction.atomic():
        before = snapshot(recommendation, ("follow_up_by",))
        recommendation.follow_up_by = follow_up_by
        recommendation.save(update_fields=["follow_up_by"])
        change_record(
            user=user,
            action=ChangeAction.UPDATE,
            obj=recommendation,
            before=before,
            after=snapshot(recommendation, ("follow_up_by",)),
            source="recommendation_follow_up_set",
        )
    return recommendation


# --- responses (addressed bodies) and assessments (auditors) ----------------------------------


def _require_for_body(user: AnyUser, action: str, body: Body) -> None:
    if isinstance(body, Partnership):
        require(user, action, partnership=body)
    else:
        require(user, action, organisation=body)


def response_submit(
    *,
    user: AnyUser,
    recommendation: Recommendation,
    body: Body,
    submitted_on: dt.date,
    text: str,
    evidence: Sequence[Evidence] = (),
) -> Response:
    """An addressed body's account of its progress, for an auditor to rate."""
    _require_for_body(user, "audit.respond", body)
    if not is_body_addressed(recommendation, body):
        rule = rules.BODY_NOT_ADDRESSED.format(body=body, recommendation=recommendation.code)
        raise ValidationError({"body": rule})
    if not text.strip():
        raise ValidationError({"text": f"text {rules.REQUIRED}"})
    _check_date(submitted_on, report=recommendation.report, field="submitted_on")
    with transaction.atomic():
        response = Response.objects.create(
            recommendation=recommendation,
            partnership=body if isinstance(body, Partnership) else None,
            organisation=body if isinstance(body, Organisation) else None,
            submitted_on=submitted_on,
            text=text.strip(),
            submitted_by=_name_of(user),
            submitted_by_user=user if isinstance(user, User) else None,
        )
        _evidence_create(evidence, response=response)
        change_record(
            user=user,
            action=ChangeAction.CREATE,
            obj=response,
            after={
                **snapshot(response, ("submitted_on", "text")),
                "recommendation": recommendation.code,
                "body": str(body),
                "evidence": [link.as_text() for link in evidence],
            },
            source="response_submit",
        )
    return response


def _name_of(user: AnyUser) -> str:
    if not isinstance(user, User):
        return ""
    return user.get_full_name() or user.get_username()


def assessment_create(
    *,
    user: AnyUser,
    recommendation: Recommendation,
    assessed_on: dt.date,
    rag: str,
    headline: str,
    narrative: str = "",
    body: Body | None = None,
    response: Response | None = None,
    evidence: Sequence[Evidence] = (),
    assessed_by: str = "",
) -> ProgressAssessment:
    """Rate progress: of the whole recommendation (``body`` None) or of one addressed body,
    optionally of a response that body submitted (which then names the body)."""
    require(user, "audit.rate")
    if rag not in ("", *Rag.values):
        raise ValidationError({"rag": f"{rag!r} {rules.RAG_UNKNOWN}"})
    if response is not None:
        if response.recommendation_id != recommendation.pk:
            rule = rules.RESPONSE_OF_OTHER_RECOMMENDATION.format(recommendation=recommendation.code)
            raise ValidationError({"response": rule})
        if body is not None and BodyRef.of(body) != BodyRef.of(response.body):
            raise ValidationError(
                {"response": rules.RESPONSE_OF_OTHER_BODY.format(body=response.body)}
            )
        body = response.body
    if body is not None and not is_body_addressed(recommendation, body):
        rule = rules.ASSESSED_BODY_NOT_ADDRESSED.format(
            body=body, recommendation=recommendation.code
        )
        raise ValidationError({"body": rule})
    if not headline.strip():
        raise ValidationError({"headline": f"headline {rules.REQUIRED}"})
    _check_date(assessed_on, report=recommendation.report, field="assessed_on")
    with transaction.atomic():
        assessment = ProgressAssessment(
            recommendation=recommendation,
            partnership=body if isinstance(body, Partnership) else None,
            organisation=body if isinstance(body, Organisation) else None,
            response=response,
            assessed_on=assessed_on,
            rag=rag,
            headline=headline.strip(),
            narrative=narrative.strip(),
            assessed_by=assessed_by.strip() or _name_of(user) or "auditor",
            assessed_by_user=user if isinstance(user, User) else None,
        )
        assessment.full_clean()
        assessment.save()
        _evidence_create(evidence, assessment=assessment)
        change_record(
            user=user,
            action=ChangeAction.CREATE,
            obj=assessment,
            after={
                **snapshot(assessment, ("assessed_on", "rag", "headline", "narrative")),
                "recommendation": recommendation.code,
                "body": body_label(body),
                "response": response.pk if response else None,
                "evidence": [link.as_text() for link in evidence],
            },
            source="assessment_create",
        )
    return assessment


# --- import -------------------------------------------------------------------------------------

IMPORT_ACTOR = "cplan import-audit"


def audit_import(
    *, directory: Path, user: AnyUser = None, actor: str = IMPORT_ACTOR
) -> AuditImportReport:
    """Import a directory in the audit CSV layout, all or nothing: every rule is checked first
    and :class:`~cplan.audit.layout.AuditImportError` lists every problem. A user (from the site)
    needs ``audit.edit``; a command (no user) is trusted as whoever runs it."""
    if user is not None:
        require(user, "audit.edit")
    with transaction.atomic():
        parsed = audit_directory_parse(directory)
        writer = AuditImportWriter(user=user, actor=actor, source=f"{actor} {directory}")
        return writer.write(parsed)
