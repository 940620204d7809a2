"""`kefu packs list|enable|disable CODE`: the installed industry packs and their switch."""

from django.core.management.base import BaseCommand

from kefu.core.cli import acting_user, dump, fail
from kefu.core.errors import ServiceError
from kefu.packs import selectors, services


class Command(BaseCommand):
    help = "Industry packs: list them, switch one on or off for the center."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="Installed packs and whether each is on, as JSON")
        for name in ("enable", "disable"):
            cmd = sub.add_parser(name, help=f"{name.capitalize()} a pack (audited)")
            cmd.add_argument("code")
            cmd.add_argument("--as", dest="as_user")

    def handle(self, *args, action, **options):
        try:
            if action != "list":
                services.set_pack_enabled(actor=acting_user(options.get("as_user")), code=options["code"],
                                          enabled=action == "enable")
        except ServiceError as exc:
            raise fail(exc) from exc
        self.stdout.write(dump([selectors.pack_out(r) for r in selectors.pack_rows()]))
