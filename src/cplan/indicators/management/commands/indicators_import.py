"""``cplan import-observations FILE``: import indicator values from a CSV file, all or nothing."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cplan.indicators.layouts import LAYOUT_CHOICES, LAYOUTS, ImportOptions
from cplan.indicators.services import ImportReport, observations_import


def _area_types(values: list[str]) -> tuple[str, ...]:
    """``--skip-area-types S21 S16`` or ``--skip-area-types S21,S16``."""
    return tuple(
        part.strip().upper() for value in values for part in value.split(",") if part.strip()
    )


class Command(BaseCommand):
    help = "Import indicator values (observations) from a CSV file. Layouts: " + "; ".join(
        f"{name}: {layout.title}" for name, layout in LAYOUTS.items()
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8).")
        parser.add_argument("--indicator", help="Catalogue code of the indicator the file holds.")
        parser.add_argument("--layout", default="auto", choices=LAYOUT_CHOICES)
        parser.add_argument(
            "--skip-area-types",
            nargs="+",
            default=[],
            metavar="PREFIX",
            help="Skip (and count) rows whose area code starts with these, e.g. S21 S16.",
        )
        parser.add_argument(
            "--measurement",
            help="statistics.gov.scot files with several statistics: import only this one (e.g. Median).",
        )
        parser.add_argument(
            "--period", help="The period of a file that does not state it (cpop-dz)."
        )
        parser.add_argument(
            "--user", help="User name to record (default: the operating-system user)."
        )
        parser.add_argument("--force", action="store_true", help="Import even if already imported.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"no user named {options['user']!r}")
        report = observations_import(
            data=path.read_bytes(),
            file_name=path.name,
            options=ImportOptions(
                layout=options["layout"],
                indicator=options["indicator"],
                measurement=options["measurement"],
                period=options["period"],
                skip_area_types=_area_types(options["skip_area_types"]),
            ),
            user=user,
            force=options["force"],
        )
        self.stdout.write(format_report(report))
        if not report.ok:
            raise CommandError(
                f"import failed with {report.error_count:,} error(s); nothing was written"
            )


def format_report(report: ImportReport) -> str:
    lines = [f"{report.file_name} (layout {report.layout}, import run {report.run_id})"]
    if report.same_as_run_id is not None:
        lines.append(
            f"  already imported (import run {report.same_as_run_id}): nothing to do; --force imports again"
        )
        return "\n".join(lines)
    lines.append(f"  rows read: {report.rows_read:,}")
    if report.ok:
        lines.append(
            f"  observations created: {report.created:,}, updated: {report.updated:,}, "
            f"unchanged: {report.unchanged:,}"
        )
    for area_type, count in sorted(report.skipped_by_area_type.items()):
        lines.append(f"  skipped (area type {area_type}): {count:,} row(s)")
    if report.skipped_by_measurement:
        lines.append(f"  skipped (other measurements): {report.skipped_by_measurement:,} row(s)")
    if report.error_count:
        lines.append(f"  errors: {report.error_count:,}")
        lines.extend(f"    {error}" for error in report.errors)
        hidden = report.error_count - len(report.errors)
        if hidden > 0:
            lines.append(f"    … and {hidden:,} more")
    lines.append(f"  took {report.seconds:.1f} s")
    return "\n".join(lines)
