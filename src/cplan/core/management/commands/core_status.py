"""``cplan status``: what is loaded."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cplan.core.selectors import PlatformStatus, platform_status


class Command(BaseCommand):
    help = "Show what is loaded: areas per level, partnerships, indicators, observations, imports."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args: Any, **options: Any) -> None:
        status = platform_status()
        if options["json"]:
            self.stdout.write(json.dumps(status.as_dict(), indent=2))
        else:
            self.stdout.write(render_status(status))


def render_status(status: PlatformStatus) -> str:
    lines = ["Areas:"]
    lines += [f"  {level:<20}{n:>8,}" for level, n in status.areas_by_level.items()]
    lines.append(f"Deprivation editions: {', '.join(status.deprivation_editions) or 'none'}")
    lines.append(f"Partnerships: {status.partnerships}")
    lines.append(f"Indicators: {status.indicators}  observations: {status.observations:,}")
    lines += [f"  {code:<50}{n:>10,}" for code, n in status.observations_by_indicator.items() if n]
    lines.append("Last imports:")
    lines += [
        f"  {run.started_at}  {run.status:<10} {run.layout:<14} {run.rows_read:>9,} rows  "
        f"{run.file_name} ({run.actor})"
        for run in status.last_imports
    ] or ["  none"]
    return "\n".join(lines)
