"""`kefu presence AGENT_NO STATE` and `kefu presence AGENT_NO --call start|end`: what the telephony system (or an
operator) reports; prints the agent's presence as JSON."""

from django.core.management.base import BaseCommand, CommandError

from kefu.core.cli import dump, fail
from kefu.core.errors import ServiceError
from kefu.presence.models import State


class Command(BaseCommand):
    help = "Set an agent's state (available, busy, break, training, offline) or report a call start/end."

    def add_arguments(self, parser):
        parser.add_argument("agent_no", help="the agent's number (工号)")
        parser.add_argument("state", nargs="?", choices=State.values)
        parser.add_argument("--call", choices=["start", "end"], help="the telephony system: a call began or ended")

    def handle(self, *args, agent_no, state, call, **options):
        from kefu.accounts.models import User
        from kefu.presence.services import report_call, set_state

        user = User.objects.filter(agent_no=agent_no, is_active=True).first()
        if user is None:
            raise CommandError(f"no active agent with number {agent_no!r}")
        if (state is None) == (call is None):
            raise CommandError("give a state or --call start|end")
        try:
            if call:
                p = report_call(actor=None, user_id=user.pk, on_call=call == "start")
            else:
                p = set_state(actor=None, user_id=user.pk, state=state)
        except ServiceError as exc:
            raise fail(exc) from exc
        self.stdout.write(dump({"agent_no": agent_no, "state": p.state, "since": p.state_since,
                                "chats": p.active_chats, "chat_capacity": p.chat_capacity}))
