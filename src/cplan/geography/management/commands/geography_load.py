"""``cplan load-geography [--data-dir DIR]``: load Scotland's geography from the official files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cplan.geography.importers import LoadError
from cplan.geography.services import geography_load


class Command(BaseCommand):
    help = (
        "Load Scotland's areas (data zones to country, wards, health boards), code aliases, SIMD "
        "2020v2 and 2016, populations, typologies, council boundaries, the 32 partnerships, the "
        "NPF outcomes and the SIMD 2020v2 indicators. All or nothing; re-running changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="Folder of the official files (default: settings.CPLAN_DATA_DIR).",
        )
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir = Path(options["data_dir"] or settings.CPLAN_DATA_DIR)
        try:
            report = geography_load(data_dir=data_dir, actor="cplan load-geography")
        except LoadError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        else:
            self.stdout.write(report.summary())
