"""Two workers sweeping at the same moment never act on the same breach twice (real concurrent transactions)."""

import threading

import pytest
from django.db import connection

from kefu.accounts.services import create_user
from kefu.notify.models import Notification
from kefu.sla.escalation import sweep
from kefu.sla.models import TicketClock
from kefu.sla.tests.conftest import at
from kefu.testing import build_world
from kefu.tickets.models import EventCode, TicketEvent


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_process_each_breach_once(monday):
    world = build_world()
    # Team B's lead is told at rung 0 of every ladder, so that the notices are raced for too.
    create_user(actor=None, username="lead_b", password=None, role="team_lead", team=world.team_b)
    for i in range(60):
        world.ticket(by=world.agent_b, title=f"停气 {i}", now=monday)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(sweep(now=at("2026-11-26T18:01"), batch=7))
        except Exception as exc:  # surfaced below: a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    # 60 tickets × (first response + resolution) clocks, each breached exactly once, claimed exactly once.
    assert sum(r["claimed"] for r in results) == 120
    assert TicketEvent.objects.filter(code=EventCode.SLA_BREACHED).count() == 120
    assert TicketEvent.objects.filter(code=EventCode.ESCALATED).count() == 60
    # The notices are written in bulk by each worker's batch: still exactly one per person told per escalation.
    told = sum(len(e.params["notified"]) for e in TicketEvent.objects.filter(code=EventCode.ESCALATED))
    assert told == 60 and Notification.objects.filter(kind="escalation").count() == told
    assert not TicketClock.objects.filter(next_check_at__lte=at("2026-11-26T18:01")).exists()
