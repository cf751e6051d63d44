"""Create or update the indicator catalogue from ``cplan/indicators/data/catalogue.csv``."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cplan.indicators.catalogue import CatalogueError
from cplan.indicators.services import catalogue_load


class Command(BaseCommand):
    help = "Load the indicator catalogue (idempotent) and link its national outcomes."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--catalogue", type=Path, help="Another catalogue file (same columns).")
        parser.add_argument(
            "--outcomes",
            type=Path,
            help="npf_national_outcomes_2018.csv, for outcomes not yet in the database "
            "(default: the one in CPLAN_DATA_DIR).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = catalogue_load(
                catalogue_path=options["catalogue"],
                outcomes_path=options["outcomes"],
                actor="indicators_load_catalogue",
            )
        except (CatalogueError, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"indicators created: {len(report.created)}, updated: {len(report.updated)}, "
            f"unchanged: {report.unchanged}; national outcomes created: {len(report.outcomes_created)}"
        )
