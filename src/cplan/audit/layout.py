"""The audit CSV layout (the files and columns of ``shared/data/audit/``), reading it, and the
problems an import reports. Shared by the importer and the exporter."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from cplan.audit import rules

FILE_LEVEL = 0  # the "line" of a problem with a whole file


@dataclass(frozen=True)
class FileLayout:
    """A file's columns: ``columns`` are always written, ``extras`` only when a row uses one."""

    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    extras: tuple[str, ...] = ()

    @property
    def all_columns(self) -> tuple[str, ...]:
        return self.columns + self.extras


REPORTS = FileLayout(
    "reports.csv",
    ("report_id", "title", "publisher", "published_on", "follows_report_id", "notes"),
    ("report_id", "title", "publisher", "published_on"),
    ("url", "status"),
)
RECOMMENDATIONS = FileLayout(
    "recommendations.csv",
    ("report_id", "rec_id", "group_id", "addressee", "text", "audit_dimensions"),
    ("report_id", "rec_id", "addressee", "text"),
    ("follow_up_by",),
)
ASSESSMENTS = FileLayout(
    "assessments.csv",
    ("rec_id", "assessed_on", "rag", "headline", "assessed_by"),
    ("rec_id", "assessed_on", "rag", "headline", "assessed_by"),
    ("body", "narrative", "evidence"),
)
IMPACT_MEASURES = FileLayout(
    "impact_measures.csv",
    ("report_id", "measure", "value", "period", "notes"),
    ("report_id", "measure", "value"),
)
RESPONSES = FileLayout(
    "responses.csv",
    ("rec_id", "body", "submitted_on", "text", "submitted_by", "evidence"),
    ("rec_id", "body", "submitted_on", "text"),
)
LAYOUTS = (REPORTS, RECOMMENDATIONS, ASSESSMENTS, IMPACT_MEASURES, RESPONSES)
# Files every export writes (responses.csv only when there are responses).
ALWAYS_WRITTEN = (REPORTS, RECOMMENDATIONS, ASSESSMENTS, IMPACT_MEASURES)


@dataclass(frozen=True)
class ImportProblem:
    file: str
    line: int
    field: str
    value: str
    rule: str

    def __str__(self) -> str:
        where = f"{self.file} line {self.line}" if self.line != FILE_LEVEL else self.file
        value = f" {self.value!r}" if self.value else ""
        return f"{where}, {self.field}{value}: {self.rule}"


class AuditImportError(Exception):
    """The files break rules; nothing was written. ``problems`` lists every one."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        listed = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(f"{len(problems)} problem(s); nothing was imported:\n{listed}")


# --- reading files -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RawRow:
    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return (self.values.get(column) or "").strip()


def read_rows(text: str, layout: FileLayout, problems: list[ImportProblem]) -> list[RawRow] | None:
    """The file's rows with their line numbers, or None (and a problem) if its header is wrong."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    reader.fieldnames = header
    ok = True
    for column in header:
        if column not in layout.all_columns:
            expected = ", ".join(layout.all_columns)
            rule = rules.UNKNOWN_COLUMN.format(file=layout.name, columns=expected)
            problems.append(ImportProblem(layout.name, 1, column, "", rule))
            ok = False
    for column in layout.required:
        if column not in header:
            rule = rules.MISSING_COLUMN.format(file=layout.name)
            problems.append(ImportProblem(layout.name, 1, column, "", rule))
            ok = False
    if not ok:
        return None
    rows = []
    next_line = 2
    for values in reader:
        rows.append(RawRow(next_line, {key: value or "" for key, value in values.items() if key}))
        next_line = reader.line_num + 1
    return rows


def read_directory(directory: Path, problems: list[ImportProblem]) -> dict[str, list[RawRow]]:
    known = {layout.name: layout for layout in LAYOUTS}
    if not directory.is_dir():
        problems.append(ImportProblem(str(directory), FILE_LEVEL, "directory", "", "not found"))
        return {}
    found: dict[str, list[RawRow]] = {}
    for path in sorted(directory.glob("*.csv")):
        layout = known.get(path.name)
        if layout is None:
            rule = rules.UNKNOWN_FILE.format(files=", ".join(known))
            problems.append(ImportProblem(path.name, FILE_LEVEL, "file name", "", rule))
            continue
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            problems.append(ImportProblem(path.name, FILE_LEVEL, "encoding", "", rules.NOT_UTF8))
            continue
        rows = read_rows(text, layout, problems)
        if rows is not None:
            found[path.name] = rows
    if not found and not problems:
        rule = rules.NO_FILES.format(files=", ".join(known))
        problems.append(ImportProblem(str(directory), FILE_LEVEL, "directory", "", rule))
    return found
