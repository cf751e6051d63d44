"""The ``cplan`` command: friendly names for the platform's management commands.

``cplan load-geography --data-dir DIR`` runs ``manage.py geography_load --data-dir DIR``; any other
name is passed to Django unchanged, so ``cplan migrate`` and ``cplan createsuperuser`` work too.
"""

from __future__ import annotations

import os
import sys

COMMANDS: dict[str, tuple[str, str]] = {
    "load-geography": (
        "geography_load",
        "Load Scotland's areas, SIMD, populations and boundaries.",
    ),
    "load-catalogue": ("indicators_load_catalogue", "Load the indicator catalogue (idempotent)."),
    "import-observations": ("indicators_import", "Import indicator values from a CSV file."),
    "demo": ("demo_load", "Load the demo data set (real CPOP data, labelled synthetic gaps)."),
    "status": ("core_status", "Show what is loaded."),
    "serve": ("core_serve", "Run the web server."),
    "export-profiles": ("indicators_export_profiles", "Write community profiles as CSV."),
    "import-audit": (
        "audit_import",
        "Import audit reports, recommendations and ratings from a folder of CSV files.",
    ),
    "export-audit": ("audit_export", "Write audit data to a folder as CSV (the import layout)."),
}


def usage() -> str:
    lines = ["usage: cplan COMMAND [options]", "", "Commands:"]
    lines += [f"  {name:<22}{help_text}" for name, (_, help_text) in COMMANDS.items()]
    lines += ["", "Any Django management command (migrate, createsuperuser, ...) also works."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(usage())  # noqa: T201 - command-line output
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cplan.settings")
    from django.core.management import execute_from_command_line

    name = COMMANDS.get(args[0], (args[0], ""))[0]
    execute_from_command_line(["cplan", name, *args[1:]])


if __name__ == "__main__":
    main()
