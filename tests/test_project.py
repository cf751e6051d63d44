"""The project's own promises: the analytics library stays free of Django, the CLI lists its verbs."""

import subprocess
import sys

from cplan.cli import COMMANDS, usage


def test_outcomes_does_not_import_django() -> None:
    code = "import outcomes, pkgutil, importlib, sys\n"
    code += "for m in pkgutil.walk_packages(outcomes.__path__, 'outcomes.'):\n"
    code += "    importlib.import_module(m.name)\n"
    code += "print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_cli_usage_lists_every_command() -> None:
    text = usage()
    for name in COMMANDS:
        assert name in text
