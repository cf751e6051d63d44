"""``cplan export-profiles DIR``: community scores, change scores, the Duncan index and inequality by
SIMD quintile, computed by the ``outcomes`` library from the loaded data, as CSV for analysts."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cplan.indicators.profiles import profiles_compute, profiles_write


class Command(BaseCommand):
    help = (
        "Write community_scores.csv, change_scores.csv, duncan_index.csv and inequality.csv to DIR "
        "(CPOP's community profile methods and SII/RII/PAR by SIMD quintile)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "directory", type=Path, help="The folder to write (created if missing)."
        )
        parser.add_argument(
            "--polarity",
            choices=["cpop", "catalogue"],
            default="cpop",
            help="Which polarity to score with: CPOP's own (default; reproduces CPOP's published "
            "scores, Depopulation high = good) or the platform catalogue's (Depopulation high = bad).",
        )
        parser.add_argument(
            "--first-year",
            help="First year of the change scores (default: the first year held, e.g. 2010/11).",
        )
        parser.add_argument(
            "--last-year",
            help="Last year of the change scores (default: the last year that is not a projection).",
        )
        parser.add_argument(
            "--duncan-inputs",
            type=Path,
            help="CPOP's iz_duncan_inputs.csv (default: cpop/iz_duncan_inputs.csv in CPLAN_DATA_DIR).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            export = profiles_compute(
                polarity_source=options["polarity"],
                first_year=options["first_year"],
                last_year=options["last_year"],
                duncan_path=options["duncan_inputs"],
            )
        except ValueError as error:  # ProfileDataError and the library's input errors
            raise CommandError(str(error)) from error
        for path in profiles_write(export, options["directory"]):
            self.stdout.write(f"wrote {path}")
        if export.duncan_index is None:
            self.stdout.write(
                "duncan_index.csv not written: CPOP's iz_duncan_inputs.csv is not in "
                "CPLAN_DATA_DIR/cpop (give it with --duncan-inputs)"
            )
