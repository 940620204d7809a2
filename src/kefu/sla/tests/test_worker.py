"""The sweep as the huey worker runs it: queued in real storage (SQLite here, Redis in CI), taken by two
workers at once — each breach is acted on once."""

import os
import uuid

import pytest
from huey.contrib.djhuey import HUEY
from huey.storage import RedisStorage, SqliteStorage

from kefu.sla.events import SlaEventCode
from kefu.sla.tasks import sweep_sla_clocks
from kefu.testing import at_once, build_world
from kefu.tickets.models import EventCode, TicketEvent

REDIS_URL = os.environ.get("KEFU_TEST_REDIS_URL", "")


@pytest.fixture(params=["sqlite", "redis"])
def storage(request, tmp_path):
    if request.param == "redis" and not REDIS_URL:
        pytest.skip("KEFU_TEST_REDIS_URL is not set (CI starts redis-server with scripts/redis.sh)")
    saved = HUEY.storage
    HUEY.storage = (SqliteStorage(HUEY.name, filename=str(tmp_path / "q.sqlite3")) if request.param == "sqlite"
                    else RedisStorage(f"kefu-sla-{uuid.uuid4().hex}", url=REDIS_URL, blocking=False))
    yield HUEY
    HUEY.storage.flush_all()
    HUEY.storage = saved


@pytest.mark.django_db(transaction=True)
def test_two_workers_take_the_queued_sweep_and_each_breach_is_handled_once(storage):
    from kefu.sla.tests.conftest import at

    world = build_world()
    # Created three working days ago, so both clocks of each ticket are overdue now.
    for i in range(30):
        world.ticket(by=world.agent_b, title=f"无气 {i}", now=at("2026-11-18T09:00"))
    sweep_sla_clocks()  # the periodic task, enqueued as the consumer's scheduler does …
    sweep_sla_clocks()  # … twice, as two schedulers on two machines would
    assert storage.pending_count() == 2
    tasks = [storage.dequeue(), storage.dequeue()]
    at_once(storage.execute, tasks)
    assert TicketEvent.objects.filter(code=SlaEventCode.SLA_BREACHED).count() == 60
    # The task sweeps at the real clock, so how many rungs of the ladder are due depends on the time of day
    # the test runs; what must hold at any hour is that each rung ran once per ticket, none twice.
    rungs = list(TicketEvent.objects.filter(code=SlaEventCode.ESCALATED).values_list("ticket_id", "params"))
    keys = [(ticket, p["clock"], p["level"]) for ticket, p in rungs]
    assert len(keys) == len(set(keys)) and len(keys) >= 30
    assert {t for t, _clock, level in keys if level == 1} == set(
        TicketEvent.objects.filter(code=EventCode.CREATED).values_list("ticket_id", flat=True))
