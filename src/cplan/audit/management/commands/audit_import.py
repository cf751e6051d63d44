"""``cplan import-audit DIR``: import audit reports, recommendations, assessments, responses and
impact measures from a directory of CSV files (the layout of ``shared/data/audit/``), all or
nothing."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cplan.audit.layout import AuditImportError
from cplan.audit.services import IMPORT_ACTOR, audit_import


class Command(BaseCommand):
    help = (
        "Import audit data from DIR: reports.csv, recommendations.csv and optionally "
        "assessments.csv, responses.csv, impact_measures.csv (see docs/audit.md). "
        "Every rule is checked first; if any is broken nothing is written."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("directory", type=Path, help="The folder holding the CSV files.")
        parser.add_argument(
            "--user", help="Import as this user (who must be an auditor); default: the command."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"no user named {options['user']!r}")
        try:
            report = audit_import(directory=options["directory"], user=user, actor=IMPORT_ACTOR)
        except AuditImportError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(report.summary())
