"""`kefu call AGENT_NO CALLER [--event …]`: report a call as the telephony system would (try the screen pop
without a switch, or feed events from a script)."""

import uuid

from django.core.management.base import BaseCommand

from kefu.core.cli import dump, fail
from kefu.core.errors import ServiceError
from kefu.core.pii import mask_phone
from kefu.cti.services import EVENTS, CallEvent, report_call_event


class Command(BaseCommand):
    help = "Report a ringing (answered, ended) call for an agent: their browser pops the caller's record."

    def add_arguments(self, parser):
        parser.add_argument("agent_no", help="the agent's number (工号)")
        parser.add_argument("caller", nargs="?", default="", help="the calling number (needed for ringing)")
        parser.add_argument("--event", choices=EVENTS, default="ringing")
        parser.add_argument("--call-id", default="", help="the switch's call id (default: a new one)")

    def handle(self, *args, agent_no, caller, event, call_id, **options):
        try:
            call = report_call_event(actor=None, data=CallEvent(call_id=call_id or uuid.uuid4().hex[:16],
                                                                event=event, agent_no=agent_no, caller=caller))
        except ServiceError as exc:
            raise fail(exc) from exc
        self.stdout.write(dump({"call_id": call.call_id, "state": call.state, "agent_no": call.agent.agent_no,
                                "caller": mask_phone(call.caller), "customer_id": call.customer_id}))
