"""``cplan serve``: the platform's web server (waitress, a production WSGI server)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the web server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from cplan.wsgi import application

        host, port = options["host"], options["port"]
        self.stdout.write(f"Serving the Community Planning Platform on http://{host}:{port}/")
        self.stdout.flush()
        serve(application, host=host, port=port, threads=options["threads"], ident="cplan")
