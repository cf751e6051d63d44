"""The impact report as documents: a PDF (WeasyPrint, from an HTML template) and an XLSX
workbook (openpyxl). Both are built from the same :class:`~cplan.audit.impact.ImpactReport` as
the page, so the three always agree."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cplan.audit.impact import ImpactReport
from cplan.audit.selectors import AMBER, GREEN, RED, Rating

# The design system's tag colours (background), so the workbook reads like the page.
RAG_FILLS = {GREEN: "CFF4DA", AMBER: "FCE6D8", RED: "FEE6E1"}
HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def impact_pdf(report: ImpactReport, *, base_url: str) -> bytes:
    from weasyprint import HTML  # imported here: loading it takes a moment and pages never need it

    html = render_to_string("audit/impact_print.html", {"impact": report})
    pdf: bytes = HTML(string=html, base_url=base_url).write_pdf()
    return pdf


def _table(
    sheet: Worksheet, header: list[str], rows: list[list[object]], widths: list[int]
) -> None:
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = HEADER_FONT
    for row in rows:
        sheet.append(row)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = WRAP
    sheet.freeze_panes = "A2"


def impact_xlsx(report: ImpactReport) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None  # noqa: S101 - a new workbook has one sheet
    summary.title = "Summary"
    summary.append([f"Impact report: {report.title}"])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append(["Publisher", report.publisher])
    summary.append(["Published", report.published_on.isoformat()])
    summary.append(["Recommendations", report.recommendations])
    summary.append(["Audit dimensions", report.focus])
    for _status, label, count in report.rating_counts_in_order:
        summary.append([f"Ratings: {label}", count])
    summary.append(["Generated", report.generated_on.isoformat()])
    summary.column_dimensions["A"].width = 24
    summary.column_dimensions["B"].width = 100

    _table(
        workbook.create_sheet("Reach"),
        ["Measure", "Value", "Period", "Notes"],
        [[r.measure, r.value, r.period, r.notes] for r in report.reach],
        [50, 12, 36, 40],
    )
    _table(
        workbook.create_sheet("By audit dimension"),
        ["Audit dimension", "Recommendations", "Green", "Amber", "Red", "Not rated", "Summary"],
        [
            [
                d.dimension,
                d.recommendations,
                d.counts[GREEN],
                d.counts[AMBER],
                d.counts[RED],
                d.counts["unrated"],
                d.reading,
            ]
            for d in report.dimensions
        ],
        [30, 16, 8, 8, 8, 10, 80],
    )
    appendix = workbook.create_sheet("Appendix")
    rows: list[list[object]] = []
    for block in report.appendix:
        for entry in block.entries:
            s = entry.summary
            ratings: list[Rating | None] = [*entry.ratings] or [None]
            for rating in ratings:
                rows.append(
                    [
                        block.group_code,
                        s.code,
                        s.addressed_to,
                        s.text,
                        s.dimensions_text,
                        rating.assessed_on.isoformat() if rating else "",
                        rating.rag_label if rating else "Not yet assessed",
                        rating.headline if rating else "",
                        rating.assessed_by if rating else "",
                    ]
                )
    _table(
        appendix,
        [
            "Group",
            "Recommendation",
            "Addressed to",
            "Text",
            "Audit dimensions",
            "Assessed on",
            "Rating",
            "Progress",
            "Assessed by",
        ],
        rows,
        [8, 14, 28, 60, 30, 12, 12, 70, 24],
    )
    for row_cells in appendix.iter_rows(min_row=2):
        fill = RAG_FILLS.get(str(row_cells[6].value).lower())
        if fill:
            row_cells[6].fill = PatternFill("solid", start_color=fill, end_color=fill)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
