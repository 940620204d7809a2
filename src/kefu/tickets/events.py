"""Writing ticket events: the only place that creates TicketEvent rows."""

from datetime import datetime

from kefu.tickets.models import EventCode, Ticket, TicketEvent


def emit(ticket: Ticket, code: EventCode, *, actor, at: datetime, params: dict | None = None) -> TicketEvent:
    """Record one change at the ticket's current version. Params hold codes and ids, never translated text."""
    return TicketEvent.objects.create(ticket=ticket, version=ticket.version, code=code, params=params or {},
                                      actor=actor if getattr(actor, "pk", None) else None, created_at=at)
