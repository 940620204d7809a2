"""The sweeper acts on a claimed batch in bulk: what it writes is the same whatever the batch size, and the
number of statements does not grow with the number of breaches."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.accounts.models import User
from kefu.notify.models import Notification
from kefu.sla.escalation import sweep
from kefu.sla.events import SlaEventCode
from kefu.sla.models import EscalationRung, TicketClock
from kefu.sla.tests.conftest import at
from kefu.tickets import services
from kefu.tickets.models import TicketEvent

pytestmark = pytest.mark.django_db

BREACHED = at("2026-11-26T18:01")  # both clocks of a Monday 09:00 repair ticket are overdue, rung 0 is due


def _tickets(world, monday, count):
    tickets = []
    for i in range(count):
        ticket = world.ticket(type="repair", title=f"燃气表不走字 {i}", custom={"fault": "其他"}, now=monday)
        tickets.append(services.assign_ticket(actor=world.lead, ticket_id=ticket.pk, version=ticket.version,
                                              team_id=world.team_a.pk, assignee_id=world.agent.pk, now=monday))
    return tickets


def _sweep_statements(now, batch=500) -> tuple[dict, int]:
    with CaptureQueriesContext(connection) as queries:
        result = sweep(now=now, batch=batch)
    return result, len(queries)


def test_each_breach_gets_its_events_and_notices_and_a_rerun_adds_nothing(world, monday):
    tickets = _tickets(world, monday, 4)
    assert sweep(now=BREACHED)["claimed"] == 8  # first response and resolution of each
    for ticket in tickets:
        breached = ticket.events.filter(code=SlaEventCode.SLA_BREACHED)
        assert sorted(e.params["clock"] for e in breached) == ["first_response", "resolution"]
        escalated = ticket.events.get(code=SlaEventCode.ESCALATED)
        assert (escalated.params["level"], escalated.params["notified"]) == (1, [world.lead.pk])
        assert Notification.objects.filter(ticket=ticket, recipient=world.agent, kind="sla_breach").count() == 2
        assert Notification.objects.filter(ticket=ticket, recipient=world.lead, kind="escalation").count() == 1
        # The clock rows carry what was done, so that the next sweep neither repeats it nor forgets the ladder.
        resolution = TicketClock.objects.get(ticket=ticket, kind="resolution")
        assert (resolution.breached_at, resolution.escalation_level) == (resolution.due_at, 1)
        assert resolution.next_check_at == at("2026-11-27T02:00")  # the supervisor rung, 480 minutes later
    before = TicketEvent.objects.count(), Notification.objects.count()
    assert sweep(now=BREACHED)["claimed"] == 0
    assert (TicketEvent.objects.count(), Notification.objects.count()) == before


def test_statements_per_batch_do_not_grow_with_the_breaches(world, monday):
    _tickets(world, monday, 2)
    few, few_statements = _sweep_statements(BREACHED)
    _tickets(world, monday, 8)
    many, many_statements = _sweep_statements(BREACHED)
    assert (few["claimed"], many["claimed"]) == (4, 16)
    assert many_statements == few_statements


def test_text_messages_of_a_batch_are_enqueued_after_commit_in_one_step(world, monday,
                                                                        django_capture_on_commit_callbacks):
    rung = EscalationRung.objects.get(policy__name="默认", action="notify_role", role="supervisor")
    rung.sms = True
    rung.save()
    User.objects.filter(pk=world.supervisor.pk).update(mobile="13900001111")
    _tickets(world, monday, 3)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sweep(now=at("2026-11-27T02:01"))  # breach, lead and supervisor rungs all due
    texts = Notification.objects.filter(recipient=world.supervisor, channel="sms", kind="escalation")
    assert texts.count() == 3 and {n.status for n in texts} == {"pending"}
    assert len(callbacks) == 1


def test_the_complaint_queue_is_told_of_each_reassigned_ticket_and_looked_up_once_per_batch(world, monday):
    rung = EscalationRung.objects.get(policy__name="投诉", action="reassign")
    rung.team = world.team_a
    rung.save()
    complaints = [world.ticket(by=world.agent_b, type="complaint", custom={"category": "服务态度"},
                               assignee_id=world.agent_b.pk, title=f"投诉 {i}", now=monday) for i in range(3)]
    with CaptureQueriesContext(connection) as queries:
        sweep(now=BREACHED)
    queue = {world.handler.pk, world.lead.pk}
    for complaint in complaints:
        complaint.refresh_from_db()
        assert (complaint.team_id, complaint.assignee_id) == (world.team_a.pk, None)
        reassigned = complaint.events.get(code=SlaEventCode.ESCALATED, params__step=0)
        assert (reassigned.params["team"], set(reassigned.params["notified"])) == (world.team_a.pk, queue)
        told = Notification.objects.filter(ticket=complaint, kind="escalation", params__ticket=complaint.pk)
        assert {n.recipient_id for n in told if n.channel == "in_app"} >= queue
    lookups = [q for q in queries if "accounts_user" in q["sql"] and "complaint_handler" in q["sql"]]
    assert len(lookups) == 1


def _row(clock_id: int) -> tuple:
    clock = TicketClock.objects.get(pk=clock_id)
    return clock.warned_at, clock.breached_at, clock.escalation_level, clock.next_check_at


def test_the_clock_rows_keep_what_each_outcome_did(world, monday):
    """Warned, breached without a ladder, climbing and at the top: each written back as the sweep decided."""
    [ticket] = _tickets(world, monday, 1)
    first = TicketClock.objects.get(ticket=ticket, kind="first_response")
    resolution = TicketClock.objects.get(ticket=ticket, kind="resolution")
    warned = at("2026-11-25T18:01")  # first response long overdue; resolution at its 75% warning
    sweep(now=warned)
    assert _row(first.pk) == (None, first.due_at, 0, None)  # first seen overdue: breached, no ladder to climb
    assert _row(resolution.pk) == (warned, None, 0, resolution.due_at)
    sweep(now=BREACHED)  # resolution breached; rung 0 runs, the supervisor rung is due 480 minutes later
    assert _row(resolution.pk) == (warned, resolution.due_at, 1, at("2026-11-27T02:00"))
    sweep(now=at("2026-11-27T02:01"))
    assert _row(resolution.pk) == (warned, resolution.due_at, 2, None)
    assert _row(first.pk) == (None, first.due_at, 0, None)  # not claimed again


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plans")
def test_no_statement_of_a_sweep_scans_the_clocks_or_the_tickets(world, monday):
    """At a million clocks a full scan per batch costs more than the whole batch (the claim used to be read back
    by its token alone, which has no index)."""
    _tickets(world, monday, 3)
    with CaptureQueriesContext(connection) as queries:
        sweep(now=BREACHED)
    scans = []
    with connection.cursor() as cursor:
        for query in queries:
            if query["sql"].startswith(("SELECT", "UPDATE")):
                cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
                plan = [row[-1] for row in cursor.fetchall()]
                scans += [step for step in plan if step in ("SCAN sla_ticketclock", "SCAN tickets_ticket")]
    assert scans == []
