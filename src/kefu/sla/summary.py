"""Each ticket's SLA summary: `Ticket.sla_warn_at` and `Ticket.sla_due_at`, over its live (running or paused) clocks.

- `sla_warn_at`: the earliest warning point of a live clock;
- `sla_due_at`: the earliest moment a live clock is overdue — its limit, or the breach the sweeper already stamped
  (a clock stays breached after a longer limit only once it has been escalated).

From these two columns a ticket is *breached* when `sla_due_at <= now` and *at risk* when it is not breached and
`sla_warn_at <= now`: both follow the clock without any write, so the summary changes only when a clock starts,
stops, pauses, resumes or gets another limit — all of which happen in `kefu.sla.listener`, inside the ticket
change's transaction. The sweeper's stamps never move it (a breach is stamped at or after the limit).
"""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Case, F, Min, OuterRef, Q, Subquery, When

from kefu.sla.models import LIVE_STATES, TicketClock
from kefu.tickets.models import Ticket

AT_RISK, BREACHED = "at_risk", "breached"


def overdue_at(clock: TicketClock) -> dt.datetime:
    return min(clock.due_at, clock.breached_at) if clock.breached_at else clock.due_at


def of(clocks: Iterable[TicketClock]) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(earliest warning, earliest overdue moment) of the live clocks among `clocks`."""
    live = [c for c in clocks if c.state in LIVE_STATES]
    return (min((c.warn_at for c in live if c.warn_at), default=None),
            min((overdue_at(c) for c in live), default=None))


def store(ticket: Ticket, clocks: Iterable[TicketClock]) -> None:
    """Write the summary of `clocks` (all of the ticket's live clocks, as they are now) onto the ticket.

    A direct UPDATE: it is no edit of the ticket (no version, no event), only a copy of its clocks."""
    ticket.sla_warn_at, ticket.sla_due_at = of(clocks)
    Ticket.objects.filter(pk=ticket.pk).update(sla_warn_at=ticket.sla_warn_at, sla_due_at=ticket.sla_due_at)


def _live_min(expression) -> Subquery:
    live = TicketClock.objects.filter(ticket_id=OuterRef("pk"), state__in=LIVE_STATES).order_by()
    return Subquery(live.values("ticket_id").annotate(m=Min(expression)).values("m")[:1])


def refresh(ticket_ids: Iterable[int] | None = None) -> int:
    """Recompute the summary from the clock rows, for these tickets or all of them: one set-based UPDATE.

    For data written around the services (migrations, benchmark loaders) and for repairs; rows count."""
    tickets = Ticket.objects.all()
    if ticket_ids is not None:
        ids = [int(pk) for pk in ticket_ids]
        if not ids:
            return 0
        tickets = tickets.filter(pk__in=ids)
    overdue = Case(When(breached_at__isnull=False, breached_at__lt=F("due_at"), then=F("breached_at")),
                   default=F("due_at"))
    return tickets.update(sla_warn_at=_live_min("warn_at"), sla_due_at=_live_min(overdue))


def state_q(state: str, now: dt.datetime) -> Q:
    """Tickets in SLA `state` (at_risk or breached) at `now`, as a condition on the ticket's own columns."""
    if state == BREACHED:
        return Q(sla_due_at__lte=now)
    if state == AT_RISK:
        return Q(sla_warn_at__lte=now, sla_due_at__gt=now)
    raise ValueError(state)
