"""``cplan export-audit DIR``: write the platform's audit data in the import layout."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from cplan.audit.exporters import audit_export


class Command(BaseCommand):
    help = "Write audit reports, recommendations, assessments, responses and impact measures to DIR as CSV (the import layout)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "directory", type=Path, help="The folder to write (created if missing)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for path in audit_export(directory=options["directory"]):
            self.stdout.write(f"wrote {path}")
