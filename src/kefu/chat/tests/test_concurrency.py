"""Real transactions in threads: chats arriving together never push an agent over capacity and are never lost."""

import pytest
from django.db import connection

from kefu.accounts.roles import Role
from kefu.accounts.services import create_user
from kefu.chat.models import Conversation
from kefu.chat.services import routing
from kefu.chat.services.visitor import VisitorInput, start_chat
from kefu.chat.services.visitor import end_chat as visitor_end
from kefu.chat.tests.conftest import available, make_widget
from kefu.presence.models import AgentPresence
from kefu.testing import at_once

pytestmark = pytest.mark.django_db(transaction=True)
S = Conversation.State


def _arrive(widget_key):
    conv, token = start_chat(widget_key=widget_key, data=VisitorInput(question="燃气费怎么交"))
    routing.route_team(team_id=conv.team_id)  # what the commit hook does, in this thread
    return conv.pk, token


def test_fifty_chats_at_once_for_ten_slots_none_over_capacity_none_lost_oldest_first(world):
    widget = make_widget(world)
    agents = []
    for i in range(5):
        user = create_user(actor=None, username=f"r{i}", password=None, role=Role.AGENT, team=world.team_a,
                           agent_no=f"40{i:02d}")
        available(user, capacity=2)
        agents.append(user)

    results = at_once(_arrive, [widget.key] * 50)

    convs = list(Conversation.objects.filter(widget=widget).order_by("queued_at", "id"))
    assert len(convs) == 50 and len({pk for pk, _t in results}) == 50  # none lost
    held = {a.pk: AgentPresence.objects.get(pk=a.pk).active_chats for a in agents}
    assert all(n == 2 for n in held.values())  # full, never over
    offered = [c for c in convs if c.state == S.OFFERED]
    assert len(offered) == 10
    counted = {a.pk: sum(1 for c in offered if c.agent_id == a.pk) for a in agents}
    assert counted == held
    assert {c.state for c in convs} == {S.OFFERED, S.WAITING}
    if connection.vendor == "sqlite":
        # One writer at a time: each arrival's queued_at is taken after the lock, so "oldest" is exact.
        assert all(c.state == S.OFFERED for c in convs[:10])

    # Ten chats end together: the ten oldest of those waiting are served next, nobody over capacity.
    tokens = {pk: token for pk, token in results}
    waiting_before = [c.pk for c in convs if c.state == S.WAITING]
    at_once(lambda pk: (visitor_end(token=tokens[pk]), routing.route_team(team_id=world.team_a.pk)),
            [c.pk for c in offered])
    now_offered = set(Conversation.objects.filter(widget=widget, state=S.OFFERED).values_list("pk", flat=True))
    assert now_offered == set(waiting_before[:10])
    assert all(AgentPresence.objects.get(pk=a.pk).active_chats == 2 for a in agents)
    assert Conversation.objects.filter(widget=widget, state=S.WAITING).count() == 30


def test_two_chats_for_the_last_free_slot_only_one_gets_it(world):
    widget = make_widget(world)
    available(world.agent, capacity=1)
    at_once(_arrive, [widget.key] * 2)
    assert AgentPresence.objects.get(pk=world.agent.pk).active_chats == 1
    states = sorted(Conversation.objects.filter(widget=widget).values_list("state", flat=True))
    assert states == [S.OFFERED, S.WAITING]
