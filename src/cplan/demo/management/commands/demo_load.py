"""``cplan demo``: load the demo data set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cplan.demo.services import DemoError, demo_load


class Command(BaseCommand):
    help = "Load the demo: real CPOP data through the importers, plus labelled synthetic series."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data-dir", type=Path, default=Path(settings.CPLAN_DATA_DIR))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            demo_load(data_dir=options["data_dir"], say=self.stdout.write)
        except DemoError as error:
            raise CommandError(str(error)) from error
