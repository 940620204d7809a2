"""`kefu privacy anonymise|export CUSTOMER_ID`: a customer's PIPL request, handled and recorded."""

from django.core.management.base import BaseCommand, CommandError

from kefu.core.cli import acting_user, dump, fail
from kefu.core.errors import ServiceError
from kefu.ops import privacy


class Command(BaseCommand):
    help = "Anonymise a customer on request (statistics kept) or print a copy of their personal data as JSON."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("anonymise", "export"):
            cmd = sub.add_parser(name)
            cmd.add_argument("customer_id", type=int)
            cmd.add_argument("--reference", default="", help="the request's reference (letter, ticket number)")
            cmd.add_argument("--as", dest="as_user")
        sub.choices["anonymise"].add_argument("--yes", action="store_true", help="confirm: this cannot be undone")

    def handle(self, *args, action, customer_id, reference, **options):
        actor = acting_user(options.get("as_user"))
        if action == "anonymise" and not options.get("yes"):
            raise CommandError("anonymising cannot be undone; add --yes to confirm")
        try:
            if action == "anonymise":
                done = privacy.anonymise_customer(actor=actor, customer_id=customer_id, reference=reference)
                self.stdout.write(dump({"request": done.pk, "summary": done.summary}))
            else:
                self.stdout.write(dump(privacy.export_customer_data(actor=actor, customer_id=customer_id,
                                                                    reference=reference)))
        except ServiceError as exc:
            raise fail(exc) from exc
