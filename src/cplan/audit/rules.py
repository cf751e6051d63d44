"""The rules audit data must keep, as messages and small parsers shared by the importer, the
services and the forms, so a rule reads the same wherever it is broken."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from cplan.audit.models import AuditDimension, Rag

LIST_SEPARATOR = ";"
EVIDENCE_LABEL_SEPARATOR = "|"

REQUIRED = "is required"
BAD_DATE = "must be a date written YYYY-MM-DD"
BAD_NUMBER = "must be a number"
RAG_UNKNOWN = "must be Green, Amber or Red, or blank for not rated"
DIMENSION_UNKNOWN = (
    "must be one or more of the four audit dimensions, separated by ';': "
    "governance and transparency; value for money; financial management; "
    "financial sustainability"
)
DIMENSION_REPEATED = "names the same audit dimension twice"
NO_ADDRESSEE = "a recommendation must name at least one addressee"
ADDRESSEE_REPEATED = "names the same body twice"
UNKNOWN_BODY = (
    "is not a known body: name one listed in src/cplan/audit/data/addressees.csv, "
    "an organisation's slug, or a partnership's council area code (S12...)"
)
DUPLICATE_ID = "is used more than once (first on line {line})"
DUPLICATE_ROW = "repeats the row on line {line}"
UNKNOWN_REPORT = "is not a report in reports.csv or already on the platform"
UNKNOWN_RECOMMENDATION = "is not a recommendation in recommendations.csv or already on the platform"
RECOMMENDATION_IN_OTHER_REPORT = (
    "already belongs to report {report} on the platform: a recommendation cannot move report"
)
GROUP_SPANS_REPORTS = "group {group} also holds recommendations of report {other}: a group of related recommendations cannot span two reports"
DATE_BEFORE_REPORT = "is before its report was published ({published_on})"
DATE_IN_FUTURE = "is in the future"
FOLLOWS_ITSELF = "a report cannot follow itself"
BODY_NOT_ADDRESSED = (
    "{body} is not an addressee of {recommendation}: only an addressed body may respond"
)
ASSESSED_BODY_NOT_ADDRESSED = "{body} is not an addressee of {recommendation}"
RESPONSE_BODY_REQUIRED = "a response must say which addressed body it comes from"
RESPONSE_OF_OTHER_RECOMMENDATION = "the response rated is not about {recommendation}"
RESPONSE_OF_OTHER_BODY = "the response rated comes from {body}: rate it as {body}'s progress"
BAD_EVIDENCE = (
    "each evidence link must be written 'label | address', links separated by ';', "
    "with an http(s) address or a page of this site starting with /"
)
BAD_STATUS = "must be published or draft"
UNKNOWN_COLUMN = "is not a column of {file}; expected some of: {columns}"
MISSING_COLUMN = "column is missing from {file}"
UNKNOWN_FILE = "is not a file of the audit layout; expected some of: {files}"
NO_FILES = "holds none of the audit layout's files ({files})"
NOT_UTF8 = "is not UTF-8 text"

_DIMENSIONS_BY_LABEL = {str(label).lower(): value for value, label in AuditDimension.choices}
_RAG_BY_LABEL = {str(label).lower(): value for value, label in Rag.choices}
# An http(s) address, or a path on this site ("/plans/..." but not "//elsewhere").
_URL = re.compile(r"^(https?://[^\s/$.?#][^\s]*|/(?!/)[^\s]*)$", re.IGNORECASE)


class RuleError(ValueError):
    """A value breaks a rule; the message is the rule."""


@dataclass(frozen=True)
class Evidence:
    label: str
    url: str

    def as_text(self) -> str:
        return f"{self.label} {EVIDENCE_LABEL_SEPARATOR} {self.url}"


def normalise_name(text: str) -> str:
    return " ".join(text.split()).casefold()


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise RuleError(BAD_DATE) from None


def parse_rag(text: str) -> str:
    """'Green', 'amber', 'RED' → the stored value; blank → '' (not rated)."""
    cleaned = text.strip().lower()
    if cleaned == "":
        return ""
    if cleaned not in _RAG_BY_LABEL:
        raise RuleError(RAG_UNKNOWN)
    return _RAG_BY_LABEL[cleaned]


def rag_label(value: str) -> str:
    return Rag(value).label if value else ""


def parse_dimensions(text: str) -> list[str]:
    """'governance and transparency; value for money' → stored values, in the given order."""
    values = []
    for part in split_list(text):
        value = _DIMENSIONS_BY_LABEL.get(normalise_name(part))
        if value is None:
            raise RuleError(DIMENSION_UNKNOWN)
        if value in values:
            raise RuleError(DIMENSION_REPEATED)
        values.append(value)
    return values


def dimensions_text(values: list[str]) -> str:
    """Stored values → the CSV text, in the fixed order of the four dimensions."""
    order = [value for value, _label in AuditDimension.choices]
    ordered = sorted(values, key=order.index)
    return f"{LIST_SEPARATOR} ".join(str(AuditDimension(value).label) for value in ordered)


def check_url(url: str) -> str:
    if not _URL.match(url.strip()):
        raise RuleError(BAD_EVIDENCE)
    return url.strip()


def parse_evidence(text: str) -> list[Evidence]:
    """'LOIP 2017-27 | https://example.org/loip; Annual report | /plans/...' → links."""
    links = []
    for part in split_list(text):
        label, separator, url = part.partition(EVIDENCE_LABEL_SEPARATOR)
        if not separator or not label.strip():
            raise RuleError(BAD_EVIDENCE)
        links.append(Evidence(label=label.strip(), url=check_url(url)))
    return links


def evidence_text(links: list[Evidence]) -> str:
    return f"{LIST_SEPARATOR} ".join(link.as_text() for link in links)


def parse_number(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        raise RuleError(BAD_NUMBER) from None
    if not value.is_finite():
        raise RuleError(BAD_NUMBER)
    return value


def number_text(value: Decimal) -> str:
    """3937.00 → '3937'; 12.50 → '12.5' (never an exponent)."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def parse_status(text: str) -> bool:
    """The ``status`` column: 'published' (or blank) → True, 'draft' → False."""
    cleaned = text.strip().lower()
    if cleaned in {"", "published"}:
        return True
    if cleaned == "draft":
        return False
    raise RuleError(BAD_STATUS)
