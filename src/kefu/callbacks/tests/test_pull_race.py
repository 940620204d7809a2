"""Two agents pulling from the callback queue at the same moment never get the same task (real transactions)."""

import datetime as dt

import pytest

from kefu.accounts.services import create_user
from kefu.callbacks.events import CallbackEventCode
from kefu.callbacks.models import CallbackTask
from kefu.callbacks.services import pull_next
from kefu.callbacks.tests.conftest import MONDAY
from kefu.testing import at_once, build_world
from kefu.tickets import services
from kefu.tickets.models import TicketEvent

AGENTS = 4
TASKS = 10


@pytest.mark.django_db(transaction=True)
def test_agents_pulling_at_once_each_get_different_tasks():
    world = build_world()
    agents = [world.agent, world.handler] + [
        create_user(actor=None, username=f"racer{i}", password=None, role="agent", team=world.team_a)
        for i in range(AGENTS - 2)]
    for i in range(TASKS):
        ticket = world.ticket(type="repair", title=f"回访 {i}", custom={"fault": "其他"}, team_id=world.team_a.pk,
                              now=MONDAY)
        services.transition_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version, to="resolved",
                                   now=MONDAY + dt.timedelta(minutes=i))
    def agent_loop(agent) -> list[int]:
        mine = []
        while task := pull_next(actor=agent, now=MONDAY + dt.timedelta(hours=3)):
            mine.append(task.pk)
        return mine

    got = dict(zip([a.pk for a in agents], at_once(agent_loop, agents), strict=True))
    pulled = [pk for pks in got.values() for pk in pks]
    assert len(pulled) == TASKS and len(set(pulled)) == TASKS  # every task once, none twice
    assert CallbackTask.objects.filter(assignee__isnull=True).count() == 0
    owners = dict(CallbackTask.objects.values_list("pk", "assignee_id"))
    assert all(owners[pk] == agent for agent, pks in got.items() for pk in pks)
    assert TicketEvent.objects.filter(code=CallbackEventCode.CALLBACK_ASSIGNED).count() == TASKS
