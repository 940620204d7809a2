"""The chat API for staff: the live list and one chat, limited to what the caller may see."""

import pytest

from kefu.chat.services import desk, routing
from kefu.chat.services.visitor import VisitorInput, start_chat
from kefu.chat.tests.conftest import available, make_widget

pytestmark = pytest.mark.django_db


def test_the_live_list_and_a_chat_with_its_whisper_for_staff_only(api, world):
    widget = make_widget(world)
    available(world.agent, capacity=1)
    conv, _token = start_chat(widget_key=widget.key, data=VisitorInput(question="燃气费怎么交"))
    waiting, _t = start_chat(widget_key=widget.key, data=VisitorInput(question="第二位"))
    routing.route_team(team_id=world.team_a.pk)
    routing.accept_offer(actor=world.agent, conversation_id=conv.pk)
    desk.whisper(actor=world.lead, conversation_id=conv.pk, body="注意语气")
    live = api.as_user(world, world.lead).get("/chat/live").json()
    assert {c["id"]: c["state"] for c in live} == {conv.pk: "active", waiting.pk: "waiting"}
    chat = api.get(f"/chat/conversations/{conv.pk}").json()
    assert "注意语气" in [m["body"] for m in chat["messages"]]
    after = api.get(f"/chat/conversations/{conv.pk}?after={chat['messages'][-1]['seq']}").json()
    assert after["messages"] == []
    assert api.as_user(world, world.agent_b).get(f"/chat/conversations/{conv.pk}").status_code == 404
    assert api.as_user(world, world.agent_b).get("/chat/live").json() == []
