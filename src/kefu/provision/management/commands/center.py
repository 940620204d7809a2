"""`kefu center export|plan|apply|problems`: the center's setup as a YAML or JSON file, reviewed in code."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kefu.core.cli import acting_user, dump, fail
from kefu.core.errors import ServiceError
from kefu.provision import services
from kefu.provision.document import parse_text, render
from kefu.provision.problems import setup_problems


class Command(BaseCommand):
    help = "Export the center's setup, or plan and apply a setup file (departments, teams, calendars, types, SLA)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "plan", "apply", "problems"])
        parser.add_argument("file", nargs="?", help="the setup file for plan/apply (YAML or JSON; - for stdin)")
        parser.add_argument("--format", choices=["yaml", "json"], default="yaml", help="export format")
        parser.add_argument("--as", dest="as_user", help="act as this user (default: the machine's operator)")

    def handle(self, *args, action, file=None, format="yaml", as_user=None, **options):
        actor = acting_user(as_user)
        try:
            if action == "export":
                self.stdout.write(render(services.export_setup(actor=actor), format), ending="")
                return
            if action == "problems":
                services.require_admin(actor)
                self.stdout.write(dump(setup_problems()))
                return
            if not file:
                raise CommandError(f"{action}: name the setup file (or - for standard input)")
            text = sys.stdin.read() if file == "-" else self._read(file)
            plan = services.apply_setup(actor=actor, document=parse_text(text), dry_run=action == "plan")
        except ServiceError as exc:
            raise fail(exc) from exc
        self.stdout.write(dump(plan.as_dict()))

    @staticmethod
    def _read(file: str) -> str:
        try:
            return Path(file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"file: cannot read {file}: {exc}") from exc
