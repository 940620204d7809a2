"""Writing ticket events: the only place that creates TicketEvent rows, and where other apps hear of them.

Other apps (SLA clocks, search indexing) subscribe with `listen(fn)` from their AppConfig.ready(); a listener
runs inside the same transaction as the change, so a clock can never disagree with the ticket it measures.
Listeners run on every change, so expensive work that may lag (search segments text) only records in the
transaction what is to be done, and does it after the commit (kefu.search.pending).
"""

from collections.abc import Callable
from datetime import datetime

from kefu.core.prepared import PreparedInsert
from kefu.tickets.models import EventCode, Ticket, TicketEvent

# Every change writes an event: the INSERT is compiled once (kefu.core.prepared), not by the ORM each time.
_insert = PreparedInsert(TicketEvent)
_listeners: list[Callable[[Ticket, TicketEvent], None]] = []
_preparers: list[Callable[[Ticket], None]] = []


def listen(fn: Callable[[Ticket, TicketEvent], None]) -> None:
    """Call `fn(ticket, event)` after every event; registering the same function twice is a no-op."""
    if fn not in _listeners:
        _listeners.append(fn)


def prepare_new(fn: Callable[[Ticket], None]) -> None:
    """Call `fn(ticket)` on every new ticket just before its row is written, to fill in columns another app keeps
    (the SLA summary): written with the INSERT rather than by an UPDATE right after it. `fn` must not write
    anything; the ticket has no pk yet. Its CREATED event follows as usual."""
    if fn not in _preparers:
        _preparers.append(fn)


def prepare(ticket: Ticket) -> None:
    for fn in _preparers:
        fn(ticket)


def emit(ticket: Ticket, code: EventCode, *, actor, at: datetime, params: dict | None = None) -> TicketEvent:
    """Record one change at the ticket's current version. Params hold codes and ids, never translated text."""
    event = _insert.save(_insert.new(ticket=ticket, version=ticket.version, code=code, params=params or {},
                                     actor=actor if getattr(actor, "pk", None) else None, created_at=at))
    for listener in _listeners:
        listener(ticket, event)
    return event


def emit_many(items: list[tuple[Ticket, EventCode, dict]], *, actor, at: datetime) -> list[TicketEvent]:
    """Record many events in one INSERT (the SLA sweeper's batches); listeners still hear each one."""
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    events = []
    for ticket, code, params in items:
        # Without Model.__init__, as emit() does: in a sweep of thousands it cost more than writing the rows.
        events.append(_insert.new(ticket=ticket, version=ticket.version, code=code, params=params,
                                  actor_id=actor_id, created_at=at))
    _insert.bulk(events)
    for (ticket, _code, _params), event in zip(items, events, strict=True):
        for listener in _listeners:
            listener(ticket, event)
    return events
