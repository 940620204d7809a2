"""`kefu user create|token`: users and API tokens from the command line."""

from django.core.management.base import BaseCommand, CommandError

from kefu.accounts import services
from kefu.accounts.models import Team, User
from kefu.accounts.roles import Role
from kefu.core.cli import acting_user, fail
from kefu.core.errors import ServiceError


class Command(BaseCommand):
    help = "Create users and issue API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a user")
        create.add_argument("username")
        create.add_argument("--role", required=True, choices=Role.values)
        create.add_argument("--password", help="omit for a user who logs in only with API tokens")
        create.add_argument("--team", type=int, help="team id")
        create.add_argument("--agent-no", help="工号")
        create.add_argument("--name", default="", help="display name")
        create.add_argument("--as", dest="as_user")
        token = sub.add_parser("token", help="Issue an API token (printed once)")
        token.add_argument("username")
        token.add_argument("--name", default="cli")
        token.add_argument("--as", dest="as_user")

    def handle(self, *args, action, **options):
        actor = acting_user(options.get("as_user"))
        try:
            if action == "create":
                team = None
                if options["team"] is not None:
                    team = Team.objects.filter(pk=options["team"]).first()
                    if team is None:
                        raise CommandError(f"--team: no team {options['team']}")
                user = services.create_user(actor=actor, username=options["username"],
                                            password=options["password"], role=options["role"], team=team,
                                            agent_no=options["agent_no"], display_name=options["name"])
                self.stdout.write(f"created user {user.username} (id {user.pk}, role {user.role})")
            else:
                user = User.objects.filter(username=options["username"], is_active=True).first()
                if user is None:
                    raise CommandError(f"no active user {options['username']!r}")
                _token, raw = services.issue_token(actor=actor, user=user, name=options["name"])
                self.stdout.write(raw)
        except ServiceError as exc:
            raise fail(exc) from exc
