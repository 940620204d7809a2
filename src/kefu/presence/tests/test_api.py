"""The presence API: the telephony system's account reports calls; the lead reads the board."""

import pytest

from kefu.presence.models import AgentPresence, State

pytestmark = pytest.mark.django_db


def test_the_agent_sets_their_state_and_a_colleague_may_not(api, world):
    ok = api.as_user(world, world.agent).post(f"/presence/{world.agent.pk}/state", {"state": "available"})
    assert ok.status_code == 200 and ok.json()["state"] == "available"
    refused = api.as_user(world, world.agent_b).post(f"/presence/{world.agent.pk}/state", {"state": "offline"})
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "not_your_agent")
    assert AgentPresence.objects.get(pk=world.agent.pk).state == State.AVAILABLE


def test_a_call_makes_the_agent_busy_and_its_end_restores_the_state(api, world):
    api.as_user(world, world.lead)
    api.post(f"/presence/{world.agent.pk}/state", {"state": "available"})
    assert api.post(f"/presence/{world.agent.pk}/call", {"on_call": True}).json()["state"] == "busy"
    assert api.post(f"/presence/{world.agent.pk}/call", {"on_call": False}).json()["state"] == "available"


def test_the_board_is_for_leads_and_costs_a_fixed_number_of_queries(api, world, django_assert_max_num_queries):
    api.as_user(world, world.agent).post(f"/presence/{world.agent.pk}/state", {"state": "available"})
    assert api.as_user(world, world.agent).get("/presence").status_code == 403
    api.as_user(world, world.lead)
    with django_assert_max_num_queries(6):
        rows = api.get("/presence").json()
    assert [r["agent_no"] for r in rows] == ["1001"]
    api.as_user(world, world.handler).post(f"/presence/{world.handler.pk}/state", {"state": "break"})
    api.as_user(world, world.lead)
    with django_assert_max_num_queries(6):
        assert len(api.get("/presence").json()) == 2
