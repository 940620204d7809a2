"""The ticket's SLA summary follows its clocks through the ticket's life, and equals a recount from the clock rows.

The board and the queue filter read at risk / breached from `Ticket.sla_warn_at` and `Ticket.sla_due_at` only, so
every path that moves a clock must move the summary (kefu.sla.summary)."""

import datetime as dt

from kefu.sla import summary
from kefu.sla.models import TicketClock
from kefu.sla.tests.conftest import at
from kefu.tickets import services
from kefu.tickets.models import Ticket


def stored(ticket) -> tuple:
    row = Ticket.objects.values_list("sla_warn_at", "sla_due_at").get(pk=ticket.pk)
    return tuple(row)


def recounted(ticket) -> tuple:
    return summary.of(TicketClock.objects.filter(ticket=ticket))


def test_summary_follows_start_reply_pause_resume_resolve_and_close(world, monday):
    ticket = world.ticket(type="repair", custom={"fault": "其他"}, now=monday)
    # Two clocks: first response due 14:00 the same day, resolution in 3 working days; the earliest wins.
    assert stored(ticket)[1] == at("2026-11-23T14:00")
    assert stored(ticket) == recounted(ticket)
    services.add_message(actor=world.agent, ticket_id=ticket.pk, kind="reply", body="您好", now=at("2026-11-23T10:00"))
    ticket.refresh_from_db()
    assert stored(ticket)[1] == at("2026-11-26T18:00")  # first response met: the resolution limit is left
    assert stored(ticket) == recounted(ticket)
    ticket = services.transition_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version,
                                        to="waiting_customer", now=at("2026-11-23T10:30"))
    ticket = services.transition_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version,
                                        to="in_progress", now=at("2026-11-24T10:30"))
    assert stored(ticket)[1] == at("2026-11-27T18:00")  # a working day paused moves the limit by one
    assert stored(ticket) == recounted(ticket)
    ticket = services.transition_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version,
                                        to="resolved", now=at("2026-11-24T11:00"))
    assert stored(ticket)[1] == at("2026-11-26T18:00")  # now only the callback (回访) clock runs
    services.transition_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version, to="closed",
                               now=at("2026-11-24T15:00"))
    assert stored(ticket) == (None, None)


def test_a_stamped_breach_keeps_the_ticket_breached_after_a_longer_limit(world, monday):
    ticket = world.ticket(now=monday, customer_id=world.customer.pk)  # VIP: first response due at 10:00
    # Arranged as the sweeper leaves it after the first rung ran at 10:05.
    TicketClock.objects.filter(ticket=ticket, kind="first_response").update(
        breached_at=at("2026-11-23T10:05"), escalation_level=1)
    ticket.refresh_from_db()
    # Back to the default policy: the first response limit becomes 14:00, but an escalated clock stays breached.
    services.update_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version,
                           changes={"customer_id": None}, now=at("2026-11-23T10:30"))
    first = TicketClock.objects.get(ticket=ticket, kind="first_response")
    assert first.due_at == at("2026-11-23T14:00") and first.breached_at == at("2026-11-23T10:05")
    assert stored(ticket)[1] == at("2026-11-23T10:05")
    assert stored(ticket) == recounted(ticket)


def test_refresh_recomputes_what_the_listener_keeps(world, monday):
    tickets = [world.ticket(now=monday + dt.timedelta(hours=i)) for i in range(3)]
    services.add_message(actor=world.agent, ticket_id=tickets[0].pk, kind="reply", body="您好",
                         now=at("2026-11-23T10:00"))
    kept = {t.pk: stored(t) for t in tickets}
    Ticket.objects.filter(pk__in=kept).update(sla_warn_at=None, sla_due_at=None)
    assert summary.refresh([tickets[0].pk, tickets[1].pk]) == 2
    assert stored(tickets[2]) == (None, None)  # not asked for
    summary.refresh()
    assert {t.pk: stored(t) for t in tickets} == kept
    assert kept[tickets[0].pk] != kept[tickets[1].pk]


def test_a_new_ticket_is_written_with_its_summary_and_clocks_in_one_insert_each(world, monday):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        ticket = world.ticket(type="repair", custom={"fault": "其他"}, now=monday)
    statements = [q["sql"] for q in queries]
    assert not [s for s in statements if s.startswith("UPDATE") and "sla_due_at" in s]  # no second write
    assert sum(s.startswith("INSERT") and "sla_ticketclock" in s for s in statements) == 1
    assert stored(ticket) == recounted(ticket) == (ticket.sla_warn_at, ticket.sla_due_at)
    assert stored(ticket)[1] == at("2026-11-23T14:00")
    assert TicketClock.objects.filter(ticket=ticket).count() == 2
