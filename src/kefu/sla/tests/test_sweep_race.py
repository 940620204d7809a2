"""Two workers sweeping at the same moment never act on the same breach twice (real concurrent transactions)."""


import pytest

from kefu.accounts.services import create_user
from kefu.notify.models import Notification
from kefu.sla.escalation import sweep
from kefu.sla.events import SlaEventCode
from kefu.sla.models import TicketClock
from kefu.sla.tests.conftest import at
from kefu.testing import at_once, build_world
from kefu.tickets.models import TicketEvent


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_process_each_breach_once(monday):
    world = build_world()
    # Team B's lead is told at rung 0 of every ladder, so that the notices are raced for too.
    create_user(actor=None, username="lead_b", password=None, role="team_lead", team=world.team_b)
    for i in range(60):
        world.ticket(by=world.agent_b, title=f"停气 {i}", now=monday)
    results = at_once(lambda _worker: sweep(now=at("2026-11-26T18:01"), batch=7), [1, 2])
    # 60 tickets × (first response + resolution) clocks, each breached exactly once, claimed exactly once.
    assert sum(r["claimed"] for r in results) == 120
    assert TicketEvent.objects.filter(code=SlaEventCode.SLA_BREACHED).count() == 120
    assert TicketEvent.objects.filter(code=SlaEventCode.ESCALATED).count() == 60
    # The notices are written in bulk by each worker's batch: still exactly one per person told per escalation.
    told = sum(len(e.params["notified"]) for e in TicketEvent.objects.filter(code=SlaEventCode.ESCALATED))
    assert told == 60 and Notification.objects.filter(kind="escalation").count() == told
    assert not TicketClock.objects.filter(next_check_at__lte=at("2026-11-26T18:01")).exists()
