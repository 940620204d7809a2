"""Callback tasks follow their ticket: created when it is resolved, cancelled when it is reopened, merged or
closed another way. Runs inside the transaction of the ticket change (kefu.tickets.listeners declares the order)."""

from kefu.callbacks.models import CallbackTask
from kefu.callbacks.scheduling import do_schedule_after_resolution
from kefu.callbacks.services import do_cancel_open_tasks
from kefu.tickets.lifecycle import Status
from kefu.tickets.models import EventCode

# The only ticket events that change a ticket's callbacks.
CODES = (EventCode.STATUS_CHANGED, EventCode.REOPENED, EventCode.MERGED_INTO)


def on_ticket_event(ticket, event) -> None:
    """Schedule the callback of a resolved ticket; cancel those a reopened, merged or closed one no longer needs."""
    code = event.code
    if code == EventCode.STATUS_CHANGED:
        to = event.params.get("to")
        if to == Status.RESOLVED:
            do_schedule_after_resolution(ticket, actor=event.actor, at=event.created_at)
        elif to == Status.CLOSED and _has_pending(ticket):
            do_cancel_open_tasks(ticket, at=event.created_at)
    elif code in (EventCode.REOPENED, EventCode.MERGED_INTO) and _has_pending(ticket):
        do_cancel_open_tasks(ticket, at=event.created_at)


def _has_pending(ticket) -> bool:
    return CallbackTask.objects.filter(ticket_id=ticket.pk, state__in=[
        CallbackTask.State.OPEN, CallbackTask.State.AWAITING_APPROVAL]).exists()
