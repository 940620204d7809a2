"""Ticket events: the codes every app registers, the only writer of TicketEvent rows, and their listeners.

Each app owns its event codes: a `TextChoices` in its own `events.py` next to one typed constructor per event
(`callback_outcome_event(*, ticket, task, outcome, actor, at)`, as saleor's `order/events.py`), registered from
its AppConfig.ready() with `register_codes(app_label, Codes)`. `TicketEvent.code` carries no choices, so a new
app's event never migrates this app; labels come from the registry (`label(code)`).

Listeners run inside the transaction of the change, in the order `kefu.tickets.listeners.ORDER` declares. An
event written while listeners run (an SLA escalation, a scheduled callback) is queued and heard after the
current event's listeners have all returned, so no listener is ever entered twice at once.
"""

import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from kefu.tickets.listeners import ORDER
from kefu.tickets.models import EventCode, Ticket, TicketEvent

Listener = Callable[[Ticket, TicketEvent], None]


@dataclass(frozen=True)
class _Registered:
    app: str
    fn: Listener
    codes: frozenset[str] | None


_codes: dict[str, models.TextChoices] = {}
_owners: dict[str, str] = {}
_listeners: list[_Registered] = []
_preparers: list[Callable[[Ticket], None]] = []
_local = threading.local()


def register_codes(app_label: str, codes: type[models.TextChoices]) -> None:
    """Make an app's own event codes known: their labels show on the timeline and in the API."""
    for member in codes:
        owner = _owners.get(member.value)
        if owner is not None and owner != app_label:
            raise ImproperlyConfigured(f"Event code {member.value!r} of {app_label} is already {owner}'s.")
        _codes[member.value] = member
        _owners[member.value] = app_label


def label(code: str) -> str:
    """The translated label of a registered code; an unknown one (from a removed app) shows as itself."""
    member = _codes.get(code)
    return str(member.label) if member is not None else code


def owner(code: str) -> str | None:
    """The label of the app that registered `code`."""
    return _owners.get(code)


def codes_of(app_label: str) -> frozenset[str]:
    """Every code one app registered."""
    return frozenset(code for code, app in _owners.items() if app == app_label)


def listen(app_label: str | Listener, fn: Listener | None = None, *, codes: Iterable[str] | None = None) -> None:
    """Register `app_label`'s listener, heard for `codes` only (every event when None), at its place in ORDER.

    `listen(fn)` alone names the app by fn's module (kefu.<app>.…)."""
    if fn is None:
        app_label, fn = app_label.__module__.split(".")[1], app_label
    if app_label not in ORDER:
        raise ImproperlyConfigured(f"{app_label} listens to ticket events but is not in kefu.tickets.listeners.ORDER.")
    if any(r.app == app_label and r.fn == fn for r in _listeners):
        return
    _listeners.append(_Registered(app_label, fn, None if codes is None else frozenset(map(str, codes))))
    _listeners.sort(key=lambda r: ORDER.index(r.app))


def prepare_new(fn: Callable[[Ticket], None]) -> None:
    """Call `fn(ticket)` on every new ticket just before its row is written, to fill in columns another app keeps
    (the SLA summary), so that the INSERT carries them. `fn` must not write anything; the ticket has no pk yet."""
    if fn not in _preparers:
        _preparers.append(fn)


def prepare(ticket: Ticket) -> None:
    """Run the preparers of prepare_new() on a ticket about to be inserted."""
    for fn in _preparers:
        fn(ticket)


def _check(code: str) -> None:
    if code not in _codes:
        raise ValueError(f"Unregistered ticket event code {code!r}: register it with register_codes().")


def _dispatch(pairs: Iterable[tuple[Ticket, TicketEvent]]) -> None:
    queue = getattr(_local, "queue", None)
    if queue is not None:  # a listener is running: these are heard after it, not inside it
        queue.extend(pairs)
        return
    _local.queue = queue = deque(pairs)
    try:
        while queue:
            ticket, event = queue.popleft()
            for listener in _listeners:
                if listener.codes is None or event.code in listener.codes:
                    listener.fn(ticket, event)
    finally:
        _local.queue = None


def emit(ticket: Ticket, code: str, *, actor, at: datetime, params: dict | None = None) -> TicketEvent:
    """Record one change at the ticket's current version. Params hold codes and ids, never translated text."""
    _check(code)
    event = TicketEvent.objects.create(ticket=ticket, version=ticket.version, code=code, params=params or {},
                                       actor=actor if getattr(actor, "pk", None) else None, created_at=at)
    _dispatch([(ticket, event)])
    return event


def emit_many(items: list[tuple[Ticket, str, dict]], *, actor, at: datetime) -> list[TicketEvent]:
    """Record many events in one INSERT (the SLA sweeper's batches); listeners still hear each one."""
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    for _ticket, code, _params in items:
        _check(code)
    events = TicketEvent.objects.bulk_create([
        TicketEvent(ticket=ticket, version=ticket.version, code=code, params=params, actor_id=actor_id,
                    created_at=at)
        for ticket, code, params in items
    ])
    _dispatch([(ticket, event) for (ticket, _code, _params), event in zip(items, events, strict=True)])
    return events


register_codes("tickets", EventCode)
