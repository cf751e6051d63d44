"""Writing the platform's audit data in the import layout (``cplan export-audit DIR``).

The four files of ``shared/data/audit/`` are always written with their columns in the same order;
an optional column (``status``, ``follow_up_by``, ``body``, ...) only when some row has a value for
it, and ``responses.csv`` only when there are responses. So exporting what was imported from that
folder gives back the same files.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from pathlib import Path

from django.db.models import Prefetch, QuerySet

from cplan.audit import rules
from cplan.audit.bodies import BodyRef, canonical_name
from cplan.audit.layout import (
    ASSESSMENTS,
    IMPACT_MEASURES,
    RECOMMENDATIONS,
    REPORTS,
    RESPONSES,
    FileLayout,
)
from cplan.audit.models import (
    Addressee,
    AddresseeKind,
    AuditReport,
    EvidenceLink,
    ImpactMeasure,
    ProgressAssessment,
    Recommendation,
    Response,
)
from cplan.audit.rules import Evidence
from cplan.partnerships.models import Organisation, Partnership

Row = dict[str, str]
# An optional column is written when some row's value differs from its default.
EXTRA_DEFAULTS = {"status": "published"}


def _body_name(body: Partnership | Organisation | None) -> str:
    return "" if body is None else canonical_name(BodyRef.of(body))


def _addressee_name(addressee: Addressee) -> str:
    if addressee.kind == AddresseeKind.ALL_PARTNERSHIPS:
        return canonical_name(BodyRef.all_partnerships())
    return _body_name(addressee.organisation or addressee.partnership)


def _evidence(links: Iterable[EvidenceLink]) -> str:
    return rules.evidence_text([Evidence(label=link.label, url=link.url) for link in links])


def report_rows() -> list[Row]:
    return [
        {
            "report_id": report.code,
            "title": report.title,
            "publisher": report.publisher,
            "published_on": report.published_on.isoformat(),
            "follows_report_id": report.follows.code if report.follows else "",
            "notes": report.notes,
            "url": report.url,
            "status": "published" if report.is_published else "draft",
        }
        for report in AuditReport.objects.select_related("follows").order_by("published_on", "code")
    ]


def _recommendations() -> QuerySet[Recommendation]:
    return Recommendation.objects.select_related("report", "group").prefetch_related(
        Prefetch(
            "addressees", queryset=Addressee.objects.select_related("organisation", "partnership")
        ),
        "dimensions",
    )


def recommendation_rows() -> list[Row]:
    return [
        {
            "report_id": rec.report.code,
            "rec_id": rec.code,
            "group_id": rec.group.code if rec.group else "",
            "addressee": f"{rules.LIST_SEPARATOR} ".join(
                _addressee_name(a) for a in rec.addressees.all()
            ),
            "text": rec.text,
            "audit_dimensions": rules.dimensions_text([d.dimension for d in rec.dimensions.all()]),
            "follow_up_by": rec.follow_up_by.isoformat() if rec.follow_up_by else "",
        }
        for rec in _recommendations()
    ]


def assessment_rows() -> list[Row]:
    assessments = ProgressAssessment.objects.select_related(
        "recommendation", "partnership", "organisation"
    ).prefetch_related("evidence")
    ordered = sorted(assessments, key=_recommendation_order_key())
    return [
        {
            "rec_id": a.recommendation.code,
            "assessed_on": a.assessed_on.isoformat(),
            "rag": rules.rag_label(a.rag),
            "headline": a.headline,
            "assessed_by": a.assessed_by,
            "body": _body_name(a.body),
            "narrative": a.narrative,
            "evidence": _evidence(a.evidence.all()),
        }
        for a in ordered
    ]


def response_rows() -> list[Row]:
    responses = Response.objects.select_related(
        "recommendation", "partnership", "organisation"
    ).prefetch_related("evidence")
    ordered = sorted(responses, key=_recommendation_order_key(date_field="submitted_on"))
    return [
        {
            "rec_id": r.recommendation.code,
            "body": _body_name(r.body),
            "submitted_on": r.submitted_on.isoformat(),
            "text": r.text,
            "submitted_by": r.submitted_by,
            "evidence": _evidence(r.evidence.all()),
        }
        for r in ordered
    ]


def _recommendation_order_key(
    date_field: str = "assessed_on",
) -> Callable[[ProgressAssessment | Response], tuple[int, str, int]]:
    """Rows in the order of their recommendations, then by date, then as entered."""
    order = {pk: n for n, pk in enumerate(Recommendation.objects.values_list("pk", flat=True))}

    def key(row: ProgressAssessment | Response) -> tuple[int, str, int]:
        return (order[row.recommendation_id], getattr(row, date_field).isoformat(), row.pk)

    return key


def impact_rows() -> list[Row]:
    measures = ImpactMeasure.objects.select_related("report").order_by(
        "report__published_on", "report__code", "position", "id"
    )
    return [
        {
            "report_id": m.report.code,
            "measure": m.measure,
            "value": rules.number_text(m.value),
            "period": m.period,
            "notes": m.notes,
        }
        for m in measures
    ]


def write_csv(path: Path, layout: FileLayout, rows: list[Row]) -> None:
    extras = [
        column
        for column in layout.extras
        if any(row.get(column, "") != EXTRA_DEFAULTS.get(column, "") for row in rows)
    ]
    columns = [*layout.columns, *extras]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([row.get(column, "") for column in columns] for row in rows)


def audit_export(*, directory: Path) -> list[Path]:
    """Write every audit report on the platform to ``directory``; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    tables: list[tuple[FileLayout, list[Row]]] = [
        (REPORTS, report_rows()),
        (RECOMMENDATIONS, recommendation_rows()),
        (ASSESSMENTS, assessment_rows()),
        (IMPACT_MEASURES, impact_rows()),
    ]
    responses = response_rows()
    if responses:
        tables.append((RESPONSES, responses))
    written = []
    for layout, rows in tables:
        path = directory / layout.name
        write_csv(path, layout, rows)
        written.append(path)
    return written
