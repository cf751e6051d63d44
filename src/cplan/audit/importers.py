"""Reading and checking a directory of audit CSV files (the layout of ``shared/data/audit/``).

:func:`audit_directory_parse` reads every file, checks every rule against the files and what the
platform already holds, and returns either the parsed rows or the full list of problems, each
naming the file, line, column, value and rule. Nothing is written here: the service
``audit_import`` writes a clean parse in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from django.utils import timezone

from cplan.audit import rules
from cplan.audit.bodies import BodyRef, BodyResolver, canonical_name
from cplan.audit.layout import (
    ASSESSMENTS,
    IMPACT_MEASURES,
    RECOMMENDATIONS,
    REPORTS,
    RESPONSES,
    AuditImportError,
    FileLayout,
    ImportProblem,
    RawRow,
    read_directory,
)
from cplan.audit.models import (
    Addressee,
    AddresseeKind,
    AuditReport,
    Recommendation,
    RecommendationGroup,
)
from cplan.audit.rules import Evidence, RuleError
from cplan.partnerships.models import Organisation, Partnership

T = TypeVar("T")


@dataclass(frozen=True)
class ReportRow:
    line: int
    code: str
    title: str
    publisher: str
    published_on: dt.date
    follows_code: str
    notes: str
    url: str
    is_published: bool


@dataclass(frozen=True)
class RecommendationRow:
    line: int
    report_code: str
    code: str
    group_code: str
    addressees: tuple[BodyRef, ...]
    text: str
    dimensions: tuple[str, ...]
    follow_up_by: dt.date | None
    position: int


@dataclass(frozen=True)
class AssessmentRow:
    line: int
    rec_code: str
    assessed_on: dt.date
    rag: str
    headline: str
    assessed_by: str
    body: BodyRef | None
    narrative: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class ResponseRow:
    line: int
    rec_code: str
    body: BodyRef
    submitted_on: dt.date
    text: str
    submitted_by: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class ImpactRow:
    line: int
    report_code: str
    measure: str
    value: Decimal
    period: str
    notes: str
    position: int


@dataclass
class ParsedAudit:
    files: list[str] = field(default_factory=list)
    reports: list[ReportRow] = field(default_factory=list)
    recommendations: list[RecommendationRow] = field(default_factory=list)
    assessments: list[AssessmentRow] = field(default_factory=list)
    responses: list[ResponseRow] = field(default_factory=list)
    impact_measures: list[ImpactRow] = field(default_factory=list)

    def organisation_slugs(self) -> set[str]:
        refs = [ref for row in self.recommendations for ref in row.addressees]
        refs += [row.body for row in self.assessments if row.body is not None]
        refs += [row.body for row in self.responses]
        return {ref.key for ref in refs if ref.kind == AddresseeKind.ORGANISATION}


@dataclass(frozen=True)
class PlatformFacts:
    """What the platform already holds that the files may refer to."""

    report_dates: dict[str, dt.date]
    recommendation_reports: dict[str, str]
    recommendation_addressees: dict[str, frozenset[BodyRef]]
    group_reports: dict[str, str]
    partnership_codes: frozenset[str]
    organisation_slugs: frozenset[str]


def platform_facts() -> PlatformFacts:
    addressees: dict[str, set[BodyRef]] = {}
    for code, kind, slug, partnership_code in Addressee.objects.values_list(
        "recommendation__code", "kind", "organisation__slug", "partnership__code"
    ):
        addressees.setdefault(code, set()).add(BodyRef(kind, slug or partnership_code or ""))
    return PlatformFacts(
        report_dates=dict(AuditReport.objects.values_list("code", "published_on")),
        recommendation_reports=dict(Recommendation.objects.values_list("code", "report__code")),
        recommendation_addressees={code: frozenset(refs) for code, refs in addressees.items()},
        group_reports=dict(RecommendationGroup.objects.values_list("code", "report__code")),
        partnership_codes=frozenset(Partnership.objects.values_list("code", flat=True)),
        organisation_slugs=frozenset(Organisation.objects.values_list("slug", flat=True)),
    )


# --- checking rows -----------------------------------------------------------------------------


class RowChecker:
    """Checks one row's fields, recording each broken rule; ``ok`` says whether all held."""

    def __init__(self, file: str, row: RawRow, problems: list[ImportProblem]) -> None:
        self.file = file
        self.row = row
        self.problems = problems
        self.ok = True

    def fail(self, column: str, rule: str, value: str | None = None) -> None:
        shown = self.row.get(column) if value is None else value
        self.problems.append(ImportProblem(self.file, self.row.line, column, shown, rule))
        self.ok = False

    def text(self, column: str, *, required: bool = False) -> str:
        value = self.row.get(column)
        if required and not value:
            self.fail(column, rules.REQUIRED)
        return value

    def parsed(self, column: str, parse: Callable[[str], T], default: T) -> T:
        try:
            return parse(self.row.get(column))
        except RuleError as broken:
            self.fail(column, str(broken))
            return default

    def date(self, column: str, *, required: bool = True) -> dt.date | None:
        if not self.row.get(column):
            if required:
                self.fail(column, rules.REQUIRED)
            return None
        return self.parsed(column, rules.parse_date, None)


class AuditParser:
    """Checks the files against each other and against the platform, file by file."""

    def __init__(self, raw: dict[str, list[RawRow]], facts: PlatformFacts) -> None:
        self.raw = raw
        self.facts = facts
        self.problems: list[ImportProblem] = []
        self.today = timezone.localdate()
        self.parsed = ParsedAudit(files=sorted(raw))
        self.resolver = BodyResolver(
            partnership_codes=facts.partnership_codes, organisation_slugs=facts.organisation_slugs
        )
        self.report_dates: dict[str, dt.date | None] = dict(facts.report_dates)
        self.rec_reports = dict(facts.recommendation_reports)
        self.rec_addressees = dict(facts.recommendation_addressees)

    def rows(self, layout: FileLayout) -> Iterator[tuple[RawRow, RowChecker]]:
        for row in self.raw.get(layout.name, []):
            yield row, RowChecker(layout.name, row, self.problems)

    def parse(self) -> ParsedAudit:
        self._reports()
        self._recommendations()
        self._impact_measures()
        self._responses()
        self._assessments()
        return self.parsed

    def _first_seen(
        self, seen: dict[object, int], key: object, check: RowChecker, column: str, rule: str
    ) -> bool:
        """Record ``key``; if an earlier row had it, fail with ``rule`` and return False."""
        if key in seen:
            check.fail(column, rule.format(line=seen[key]))
            return False
        seen[key] = check.row.line
        return True

    def _reports(self) -> None:
        seen: dict[object, int] = {}
        candidates: list[tuple[ReportRow, RowChecker]] = []
        for row, check in self.rows(REPORTS):
            code = check.text("report_id", required=True)
            first = bool(code) and self._first_seen(
                seen, code, check, "report_id", rules.DUPLICATE_ID
            )
            title = check.text("title", required=True)
            publisher = check.text("publisher", required=True)
            published_on = check.date("published_on")
            is_published = check.parsed("status", rules.parse_status, True)
            if first:
                # Known from here on even if the row has other problems, so rows that refer to
                # it report their own problems only.
                self.report_dates[code] = published_on
            if published_on is not None:
                report = ReportRow(
                    line=row.line,
                    code=code,
                    title=title,
                    publisher=publisher,
                    published_on=published_on,
                    follows_code=row.get("follows_report_id"),
                    notes=row.get("notes"),
                    url=row.get("url"),
                    is_published=is_published,
                )
                candidates.append((report, check))
        for report, check in candidates:
            if report.follows_code == report.code:
                check.fail("follows_report_id", rules.FOLLOWS_ITSELF)
            elif report.follows_code and report.follows_code not in self.report_dates:
                check.fail("follows_report_id", rules.UNKNOWN_REPORT)
            if check.ok:
                self.parsed.reports.append(report)

    def _known_report(self, check: RowChecker) -> str:
        code = check.text("report_id", required=True)
        if code and code not in self.report_dates:
            check.fail("report_id", rules.UNKNOWN_REPORT)
        return code

    def _addressees(self, check: RowChecker) -> tuple[BodyRef, ...]:
        names = rules.split_list(check.row.get("addressee"))
        if not names:
            check.fail("addressee", rules.NO_ADDRESSEE)
        refs: list[BodyRef] = []
        for name in names:
            try:
                ref = self.resolver.resolve(name)
            except RuleError as broken:
                check.fail("addressee", str(broken), name)
                continue
            if ref in refs:
                check.fail("addressee", rules.ADDRESSEE_REPEATED, name)
            refs.append(ref)
        return tuple(refs)

    def _recommendations(self) -> None:
        seen: dict[object, int] = {}
        group_reports = dict(self.facts.group_reports)
        positions: dict[str, int] = {}
        for row, check in self.rows(RECOMMENDATIONS):
            report_code = self._known_report(check)
            code = check.text("rec_id", required=True)
            first = bool(code) and self._first_seen(seen, code, check, "rec_id", rules.DUPLICATE_ID)
            if first:
                existing = self.facts.recommendation_reports.get(code)
                if existing is not None and report_code and existing != report_code:
                    check.fail(
                        "rec_id", rules.RECOMMENDATION_IN_OTHER_REPORT.format(report=existing)
                    )
            group_code = row.get("group_id")
            if group_code and report_code:
                other = group_reports.setdefault(group_code, report_code)
                if other != report_code:
                    rule = rules.GROUP_SPANS_REPORTS.format(group=group_code, other=other)
                    check.fail("group_id", rule)
            problems_before = len(self.problems)
            addressees = self._addressees(check)
            if first and report_code:
                self.rec_reports[code] = report_code
                if len(self.problems) == problems_before:
                    self.rec_addressees[code] = frozenset(addressees)
            text = check.text("text", required=True)
            dimensions: list[str] = check.parsed("audit_dimensions", rules.parse_dimensions, [])
            follow_up_by = check.date("follow_up_by", required=False)
            published_on = self.report_dates.get(report_code)
            if follow_up_by and published_on and follow_up_by < published_on:
                rule = rules.DATE_BEFORE_REPORT.format(published_on=published_on.isoformat())
                check.fail("follow_up_by", rule)
            if not check.ok:
                continue
            positions[report_code] = positions.get(report_code, 0) + 1
            self.parsed.recommendations.append(
                RecommendationRow(
                    line=row.line,
                    report_code=report_code,
                    code=code,
                    group_code=group_code,
                    addressees=addressees,
                    text=text,
                    dimensions=tuple(dimensions),
                    follow_up_by=follow_up_by,
                    position=positions[report_code],
                )
            )

    def _impact_measures(self) -> None:
        seen: dict[object, int] = {}
        positions: dict[str, int] = {}
        for row, check in self.rows(IMPACT_MEASURES):
            report_code = self._known_report(check)
            measure = check.text("measure", required=True)
            value = check.parsed("value", rules.parse_number, Decimal(0))
            key = (report_code, measure.casefold(), row.get("period"))
            self._first_seen(seen, key, check, "measure", rules.DUPLICATE_ROW)
            if not check.ok:
                continue
            positions[report_code] = positions.get(report_code, 0) + 1
            self.parsed.impact_measures.append(
                ImpactRow(
                    line=row.line,
                    report_code=report_code,
                    measure=measure,
                    value=value,
                    period=row.get("period"),
                    notes=row.get("notes"),
                    position=positions[report_code],
                )
            )

    def _known_recommendation(self, check: RowChecker) -> str:
        code = check.text("rec_id", required=True)
        if code and code not in self.rec_reports:
            check.fail("rec_id", rules.UNKNOWN_RECOMMENDATION)
        return code

    def _dated_after_report(self, check: RowChecker, column: str, rec_code: str) -> dt.date | None:
        value = check.date(column)
        report_code = self.rec_reports.get(rec_code)
        published_on = self.report_dates.get(report_code) if report_code else None
        if value is not None and published_on is not None and value < published_on:
            check.fail(
                column, rules.DATE_BEFORE_REPORT.format(published_on=published_on.isoformat())
            )
        if value is not None and value > self.today:
            check.fail(column, rules.DATE_IN_FUTURE)
        return value

    def _body(self, check: RowChecker, rec_code: str, rule: str) -> BodyRef | None:
        name = check.row.get("body")
        if not name:
            return None
        try:
            ref = self.resolver.resolve(name)
        except RuleError as broken:
            check.fail("body", str(broken))
            return None
        addressed = self.rec_addressees.get(rec_code)
        if addressed is not None and not is_addressed(ref, addressed):
            check.fail("body", rule.format(body=canonical_name(ref), recommendation=rec_code))
        return ref

    def _responses(self) -> None:
        seen: dict[object, int] = {}
        for row, check in self.rows(RESPONSES):
            rec_code = self._known_recommendation(check)
            if not row.get("body"):
                check.fail("body", rules.RESPONSE_BODY_REQUIRED)
            body = self._body(check, rec_code, rules.BODY_NOT_ADDRESSED)
            submitted_on = self._dated_after_report(check, "submitted_on", rec_code)
            text = check.text("text", required=True)
            evidence: list[Evidence] = check.parsed("evidence", rules.parse_evidence, [])
            key = (rec_code, body, submitted_on, text)
            self._first_seen(seen, key, check, "text", rules.DUPLICATE_ROW)
            if check.ok and body is not None and submitted_on is not None:
                self.parsed.responses.append(
                    ResponseRow(
                        line=row.line,
                        rec_code=rec_code,
                        body=body,
                        submitted_on=submitted_on,
                        text=text,
                        submitted_by=row.get("submitted_by"),
                        evidence=tuple(evidence),
                    )
                )

    def _assessments(self) -> None:
        seen: dict[object, int] = {}
        for row, check in self.rows(ASSESSMENTS):
            rec_code = self._known_recommendation(check)
            assessed_on = self._dated_after_report(check, "assessed_on", rec_code)
            rag = check.parsed("rag", rules.parse_rag, "")
            headline = check.text("headline", required=True)
            assessed_by = check.text("assessed_by", required=True)
            body = self._body(check, rec_code, rules.ASSESSED_BODY_NOT_ADDRESSED)
            evidence: list[Evidence] = check.parsed("evidence", rules.parse_evidence, [])
            key = (rec_code, body, assessed_on, rag, headline)
            self._first_seen(seen, key, check, "headline", rules.DUPLICATE_ROW)
            if check.ok and assessed_on is not None:
                self.parsed.assessments.append(
                    AssessmentRow(
                        line=row.line,
                        rec_code=rec_code,
                        assessed_on=assessed_on,
                        rag=rag,
                        headline=headline,
                        assessed_by=assessed_by,
                        body=body,
                        narrative=row.get("narrative"),
                        evidence=tuple(evidence),
                    )
                )


def is_addressed(ref: BodyRef, addressees: frozenset[BodyRef]) -> bool:
    """Whether the body ``ref`` is among ``addressees`` (a partnership is, when all CPPs are)."""
    if ref in addressees:
        return True
    return ref.kind == AddresseeKind.PARTNERSHIP and BodyRef.all_partnerships() in addressees


def audit_directory_parse(directory: Path) -> ParsedAudit:
    """Parse and check every file in ``directory``; raise :class:`AuditImportError` listing
    every problem if any rule is broken."""
    problems: list[ImportProblem] = []
    raw = read_directory(directory, problems)
    parser = AuditParser(raw, platform_facts())
    parsed = parser.parse()
    problems += parser.problems
    if problems:
        raise AuditImportError(problems)
    return parsed
