"""`kefu ticket create|show|transition|list`: tickets from the command line, through the same services."""

from django.core.management.base import BaseCommand, CommandError

from kefu.api.schemas import user_ref
from kefu.core.cli import acting_user, dump, fail
from kefu.core.errors import ServiceError
from kefu.tickets import selectors, services
from kefu.tickets.schemas import ticket_out, timeline_entry


class Command(BaseCommand):
    help = "Create, show, list and transition tickets."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Open a ticket")
        create.add_argument("--as", dest="as_user", help="username acting (default: operator)")
        create.add_argument("--type", required=True, help="ticket type code: inquiry, repair, complaint …")
        create.add_argument("--title", required=True)
        create.add_argument("--description", default="")
        create.add_argument("--phone", default="", help="contact phone")
        create.add_argument("--channel", default="phone")
        create.add_argument("--priority", type=int, default=2)
        create.add_argument("--customer", type=int, help="customer id")
        create.add_argument("--team", type=int, help="team id")
        create.add_argument("--assignee", type=int, help="user id")
        create.add_argument("--location", default="")
        create.add_argument("--field", action="append", default=[], metavar="KEY=VALUE",
                            help="custom field value, repeatable")
        show = sub.add_parser("show", help="Show a ticket and its timeline as JSON")
        show.add_argument("ticket_id", type=int)
        show.add_argument("--as", dest="as_user")
        transition = sub.add_parser("transition", help="Move a ticket to another status")
        transition.add_argument("ticket_id", type=int)
        transition.add_argument("--to", required=True)
        transition.add_argument("--version", type=int, required=True, help="the version you based this on")
        transition.add_argument("--reason", default="")
        transition.add_argument("--as", dest="as_user")

    def handle(self, *args, action, **options):
        actor = acting_user(options.get("as_user"))
        try:
            if action == "create":
                ticket = self._create(actor, options)
                self.stdout.write(dump(ticket_out(ticket)))
            elif action == "show":
                self.stdout.write(dump(self._show(actor, options["ticket_id"])))
            elif action == "transition":
                ticket = services.transition_ticket(actor=actor, ticket_id=options["ticket_id"],
                                                    version=options["version"], to=options["to"],
                                                    reason=options["reason"])
                self.stdout.write(dump(ticket_out(ticket)))
        except ServiceError as exc:
            raise fail(exc) from exc

    def _create(self, actor, options):
        custom = {}
        for item in options["field"]:
            key, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"--field {item!r}: write KEY=VALUE")
            custom[key] = value
        return services.create_ticket(actor=actor, data=services.TicketInput(
            type=options["type"], title=options["title"], description=options["description"],
            contact_phone=options["phone"], channel=options["channel"], priority=options["priority"],
            customer_id=options["customer"], team_id=options["team"], assignee_id=options["assignee"],
            location=options["location"], custom=custom,
        ))

    def _show(self, actor, ticket_id):
        ticket, events, messages = selectors.ticket_detail(actor, ticket_id)
        return {**ticket_out(ticket), "created_by": user_ref(ticket.created_by),
                "timeline": [timeline_entry(e, messages) for e in events]}
