"""Routing: the right team and skills, room under capacity, queue order, lapsed offers, availability predicates."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kefu.accounts.roles import Role
from kefu.accounts.services import create_user
from kefu.chat.models import ChatEvent, ChatQueue, Conversation
from kefu.chat.services import routing
from kefu.chat.services.visitor import VisitorInput, start_chat
from kefu.chat.tests.conftest import available
from kefu.core.errors import Conflict
from kefu.presence import availability
from kefu.presence.models import AgentPresence

pytestmark = pytest.mark.django_db
S = Conversation.State


def chat(widget, now=None, **data):
    conv, token = start_chat(widget_key=widget.key, data=VisitorInput(**data), now=now)
    return conv


def test_a_chat_is_offered_to_an_available_agent_with_room(world, widget):
    available(world.agent, capacity=1)
    conv = chat(widget)
    assert routing.route_team(team_id=world.team_a.pk) == 1
    conv.refresh_from_db()
    assert (conv.state, conv.agent_id) == (S.OFFERED, world.agent.pk)
    assert AgentPresence.objects.get(pk=world.agent.pk).active_chats == 1


def test_with_no_room_the_chat_waits_in_the_queue_with_its_place(world, widget):
    available(world.agent, capacity=1)
    first, second, third = chat(widget), chat(widget), chat(widget)
    routing.route_team(team_id=world.team_a.pk)
    for c in (first, second, third):
        c.refresh_from_db()
    assert [first.state, second.state, third.state] == [S.OFFERED, S.WAITING, S.WAITING]
    assert (routing.position_of(second), routing.position_of(third)) == (1, 2)
    assert AgentPresence.objects.get(pk=world.agent.pk).active_chats == 1


def test_agents_who_are_not_available_or_of_another_team_are_never_picked(world, widget):
    available(world.agent_b, capacity=3)  # team B
    conv = chat(widget)
    assert routing.route_team(team_id=world.team_a.pk) == 0
    conv.refresh_from_db()
    assert conv.state == S.WAITING


def test_an_english_chat_goes_only_to_an_agent_with_the_language(world, widget):
    available(world.agent, capacity=3)
    available(world.handler, capacity=3, skills=["lang:en"])
    conv = chat(widget, language="en")
    routing.route_team(team_id=world.team_a.pk)
    conv.refresh_from_db()
    assert conv.agent_id == world.handler.pk


def test_vip_chats_go_first_when_the_team_says_so(world, widget):
    ChatQueue.objects.create(team=world.team_a, vip_first=True)
    available(world.agent, capacity=1)
    ordinary = chat(widget)
    vip = chat(widget, phone="13812341234")  # the world's VIP customer
    routing.route_team(team_id=world.team_a.pk)
    ordinary.refresh_from_db()
    vip.refresh_from_db()
    assert vip.is_vip and vip.state == S.OFFERED and ordinary.state == S.WAITING


def test_an_offer_not_accepted_in_time_goes_to_the_next_agent_keeping_its_place(world, widget):
    now = timezone.now()
    ChatQueue.objects.create(team=world.team_a, offer_seconds=20)
    available(world.agent, capacity=1)
    available(world.handler, capacity=1)
    conv = chat(widget, now=now)
    routing.route_team(team_id=world.team_a.pk, now=now)
    conv.refresh_from_db()
    first = conv.agent_id
    assert routing.expire_offers(now=now + timedelta(seconds=19)) == 0
    routing.expire_offers(now=now + timedelta(seconds=21))
    routing.route_team(team_id=world.team_a.pk, now=now + timedelta(seconds=21))
    conv.refresh_from_db()
    assert conv.state == S.OFFERED and conv.agent_id not in (None, first)
    assert conv.queued_at == now
    assert AgentPresence.objects.get(pk=first).active_chats == 0
    assert ChatEvent.objects.filter(conversation=conv, code="offer_lapsed").count() == 1


def test_accepting_sends_the_greeting_as_the_first_response(world, widget):
    available(world.agent, capacity=1)
    conv = chat(widget)
    routing.route_team(team_id=world.team_a.pk)
    routing.accept_offer(actor=world.agent, conversation_id=conv.pk)
    conv.refresh_from_db()
    assert conv.state == S.ACTIVE and conv.first_response_at is not None
    greeting = conv.messages.get(kind="agent")
    assert "1001" in greeting.body  # the agent's 工号 filled in


def test_only_the_agent_offered_may_accept(world, widget):
    available(world.agent, capacity=1)
    conv = chat(widget)
    routing.route_team(team_id=world.team_a.pk)
    with pytest.raises(Conflict) as exc:
        routing.accept_offer(actor=world.handler, conversation_id=conv.pk)
    assert exc.value.code == "offer_gone"
    conv.refresh_from_db()
    assert conv.state == S.OFFERED and conv.agent_id == world.agent.pk


def test_an_agent_ruled_out_by_an_availability_predicate_is_never_picked(world, widget):
    available(world.agent, capacity=3)
    availability.register("test-leave", lambda ids, at: [world.agent.pk])
    try:
        conv = chat(widget)
        assert routing.route_team(team_id=world.team_a.pk) == 0
        conv.refresh_from_db()
        assert conv.state == S.WAITING
    finally:
        availability.unregister("test-leave")


def test_a_routing_decision_costs_the_same_queries_with_many_agents(world, widget, django_assert_max_num_queries):
    for i in range(40):
        user = create_user(actor=None, username=f"c{i}", password=None, role=Role.AGENT, team=world.team_a,
                           agent_no=f"3{i:03d}")
        available(user, capacity=2)
    chat(widget)
    # the waiting chats, the agents, the roster (off-shift predicate), the slot claim, the chat claim, the event
    with django_assert_max_num_queries(9):
        assert routing.route_team(team_id=world.team_a.pk) == 1


def test_an_agent_rostered_this_week_but_off_shift_now_is_not_picked(world, widget):
    from kefu.workforce.models import Roster, RosterStatus, Shift

    now = timezone.now()
    monday = (now - timedelta(days=now.weekday())).date()
    roster = Roster.objects.create(week=monday, status=RosterStatus.PUBLISHED)
    Shift.objects.create(roster=roster, agent=world.agent, day=now.date(), pattern="早班",
                         start=now + timedelta(hours=2), end=now + timedelta(hours=10))
    Shift.objects.create(roster=roster, agent=world.handler, day=now.date(), pattern="白班",
                         start=now - timedelta(hours=1), end=now + timedelta(hours=7))
    available(world.agent, capacity=3)
    available(world.handler, capacity=3)
    available(world.info_desk, capacity=3)  # not rostered at all: routed by presence alone
    first, second = chat(widget), chat(widget)
    routing.route_team(team_id=world.team_a.pk, now=now)
    agents = {c.agent_id for c in Conversation.objects.filter(pk__in=[first.pk, second.pk])}
    assert world.agent.pk not in agents and agents <= {world.handler.pk, world.info_desk.pk}
    # later, the early shift has begun
    assert world.agent.pk not in routing.availability.unavailable([world.agent.pk], now + timedelta(hours=3))
