"""`kefu campaigns import CAMPAIGN_ID FILE`: add people to call from CSV or Excel; one bad row adds nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kefu.campaigns import calllist, selectors
from kefu.campaigns.services import load_campaign
from kefu.core.cli import acting_user, dump, fail
from kefu.core.errors import ServiceError


class Command(BaseCommand):
    help = "Outbound campaigns: import a call list, show a campaign's progress."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Add people to call from a .csv or .xlsx file (name, mobile, order …)")
        imp.add_argument("campaign", type=int)
        imp.add_argument("file")
        imp.add_argument("--as", dest="as_user")
        show = sub.add_parser("progress", help="Calls by status and per agent, as JSON")
        show.add_argument("campaign", type=int)
        show.add_argument("--as", dest="as_user")

    def handle(self, *args, action, **options):
        actor = acting_user(options.get("as_user"))
        try:
            if action == "import":
                path = Path(options["file"])
                if not path.is_file():
                    raise CommandError(f"no such file: {path}")
                count = calllist.import_calls(actor=actor, campaign_id=options["campaign"],
                                              rows=calllist.rows_from_file(path))
                self.stdout.write(f"{count} calls added")
            else:
                self.stdout.write(dump(selectors.progress(load_campaign(actor, options["campaign"]))))
        except ServiceError as exc:
            raise fail(exc) from exc
