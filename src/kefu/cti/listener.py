"""The screen pop follows the tickets made from it: runs inside the transaction that creates the ticket, so the
web page and the API (which both call kefu.tickets.services.create_ticket) close the pop alike."""

from kefu.cti.services import call_for_agent, do_ticket_started
from kefu.tickets.lifecycle import Channel
from kefu.tickets.models import EventCode

CODES = (EventCode.CREATED,)


def on_ticket_event(ticket, event) -> None:
    """A ticket opened from a call (its channel reference is the switch's call id) closes that call's pop."""
    if ticket.channel_ref and event.actor_id:
        do_ticket_started(agent=event.actor, call_id=ticket.channel_ref, now=event.created_at)


def prefill_from_call(request) -> dict:
    """The new-ticket form filled from the screen pop's call: the number and customer come from the server, not
    the URL, so a phone number never sits in an address bar or an access log."""
    call_pk = request.GET.get("call", "")
    if not call_pk.isdigit():
        return {}
    call = call_for_agent(request.user, int(call_pk))
    if call is None:
        return {}
    return {"contact_phone": call.caller, "channel": Channel.PHONE, "channel_ref": call.call_id,
            "customer_id": str(call.customer_id or "")}
