"""Presence: states by hand, by the lead and by the telephony system, the history rows, capacity."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kefu.core.errors import Forbidden, ValidationFailed
from kefu.presence.models import AgentPresence, PresenceSpan, State
from kefu.presence.selectors import seconds_by_state
from kefu.presence.services import CapacityInput, claim_chat_slot, report_call, set_capacity, set_state

pytestmark = pytest.mark.django_db


def test_each_state_change_closes_one_history_row_and_opens_the_next(world):
    t0 = timezone.now()
    set_state(actor=world.agent, user_id=world.agent.pk, state=State.AVAILABLE, now=t0)
    set_state(actor=world.agent, user_id=world.agent.pk, state=State.BREAK, now=t0 + timedelta(minutes=10))
    set_state(actor=world.lead, user_id=world.agent.pk, state=State.TRAINING, now=t0 + timedelta(minutes=25))
    spans = list(PresenceSpan.objects.filter(user=world.agent).order_by("started_at")
                 .values_list("state", "reason", "ended_at"))
    assert [s[0] for s in spans] == [State.OFFLINE, State.AVAILABLE, State.BREAK, State.TRAINING]
    assert spans[2][1] == "manual" and spans[3][1] == "lead" and spans[3][2] is None
    totals = seconds_by_state(user_ids=[world.agent.pk], start=t0, end=t0 + timedelta(minutes=30))[world.agent.pk]
    assert totals == {State.AVAILABLE: 600, State.BREAK: 900, State.TRAINING: 300}


def test_an_agent_may_not_set_a_colleagues_state_and_nothing_changes(world):
    set_state(actor=world.agent_b, user_id=world.agent_b.pk, state=State.AVAILABLE)
    with pytest.raises(Forbidden) as exc:
        set_state(actor=world.agent, user_id=world.agent_b.pk, state=State.OFFLINE)
    assert exc.value.code == "not_your_agent"
    assert AgentPresence.objects.get(pk=world.agent_b.pk).state == State.AVAILABLE
    with pytest.raises(ValidationFailed) as bad:
        set_state(actor=world.agent, user_id=world.agent.pk, state="asleep")
    assert (bad.value.code, bad.value.field) == ("invalid_choice", "state")


def test_the_telephony_system_makes_the_agent_busy_for_the_call_and_then_restores_the_state(world):
    set_state(actor=world.agent, user_id=world.agent.pk, state=State.AVAILABLE)
    report_call(actor=None, user_id=world.agent.pk, on_call=True)
    p = AgentPresence.objects.get(pk=world.agent.pk)
    assert (p.state, p.active_calls) == (State.BUSY, 1)
    assert not claim_chat_slot(world.agent.pk, timezone.now())  # busy: no chats routed
    report_call(actor=None, user_id=world.agent.pk, on_call=False)
    assert AgentPresence.objects.get(pk=world.agent.pk).state == State.AVAILABLE
    assert PresenceSpan.objects.filter(user=world.agent, reason="telephony").count() == 2


def test_capacity_is_set_by_a_lead_and_never_below_the_chats_held(world):
    with pytest.raises(Forbidden):
        set_capacity(actor=world.agent, user_id=world.agent.pk, data=CapacityInput(chat_capacity=9))
    set_capacity(actor=world.lead, user_id=world.agent.pk, data=CapacityInput(chat_capacity=2, skills=["lang:en"]))
    set_state(actor=world.agent, user_id=world.agent.pk, state=State.AVAILABLE)
    now = timezone.now()
    assert [claim_chat_slot(world.agent.pk, now) for _i in range(3)] == [True, True, False]
    with pytest.raises(ValidationFailed) as exc:
        set_capacity(actor=world.lead, user_id=world.agent.pk, data=CapacityInput(chat_capacity=1))
    assert (exc.value.code, exc.value.field) == ("below_held", "chat_capacity")
    p = AgentPresence.objects.get(pk=world.agent.pk)
    assert (p.chat_capacity, p.active_chats, p.skills) == (2, 2, ["lang:en"])


def test_the_board_shows_the_team_with_time_in_state(client, world):
    set_state(actor=world.agent, user_id=world.agent.pk, state=State.AVAILABLE)
    client.force_login(world.lead)
    page = client.get("/presence/")
    assert page.status_code == 200 and "agent" in page.content.decode()
    client.force_login(world.agent)
    assert client.get("/presence/").status_code == 403
