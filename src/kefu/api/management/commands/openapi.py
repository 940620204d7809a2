"""`kefu openapi [--write]`: print the OpenAPI document, or refresh the committed snapshot the tests check."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

SNAPSHOT = Path(__file__).resolve().parents[2] / "openapi.json"


class Command(BaseCommand):
    help = "Print the OpenAPI schema, or write it to the snapshot the schema test compares against."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help=f"write {SNAPSHOT.name} in the package")

    def handle(self, *args, write=False, **options):
        from kefu.api.api import api

        text = json.dumps(api.get_openapi_schema(path_prefix="/api"), ensure_ascii=False, indent=2,
                          sort_keys=True, default=str) + "\n"
        if write:
            SNAPSHOT.write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {SNAPSHOT}")
        else:
            self.stdout.write(text)
