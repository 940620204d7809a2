"""The agent's desk and the lead: reply, transfer with a note, whisper, take over, ticket with transcript, offline."""

import json

import pytest

from kefu.chat.models import ChatEvent, ChatMessage, Conversation
from kefu.chat.services import desk, offline, routing
from kefu.chat.services.visitor import VisitorInput, end_chat, rate_chat, start_chat
from kefu.chat.tests.conftest import available, make_widget
from kefu.chat.views.public import public_messages
from kefu.core.errors import Conflict, Forbidden, ValidationFailed
from kefu.presence.models import AgentPresence
from kefu.sla.models import BusinessCalendar
from kefu.tickets.models import Ticket

pytestmark = pytest.mark.django_db
S = Conversation.State


@pytest.fixture
def live_chat(world):
    widget = make_widget(world)
    available(world.agent, capacity=2)
    conv, token = start_chat(widget_key=widget.key, data=VisitorInput(name="李女士", phone="13812341234",
                                                                        question="燃气费怎么交"))
    routing.route_team(team_id=world.team_a.pk)
    routing.accept_offer(actor=world.agent, conversation_id=conv.pk)
    conv.refresh_from_db()
    return conv, token


def test_a_chat_from_first_message_to_rating(world, live_chat):
    conv, token = live_chat
    desk.agent_send(actor=world.agent, conversation_id=conv.pk, body="您可以在微信上缴费。")
    end_chat(token=token)
    rate_chat(token=token, score=5, comment="很好")
    conv.refresh_from_db()
    assert (conv.state, conv.rating) == (S.ENDED, 5)
    assert AgentPresence.objects.get(pk=world.agent.pk).active_chats == 0
    seqs = list(conv.messages.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    with pytest.raises(Conflict) as exc:
        rate_chat(token=token, score=1)
    assert exc.value.code == "already_rated"
    conv.refresh_from_db()
    assert conv.rating == 5


def test_a_whisper_is_never_in_what_the_visitor_reads(world, live_chat):
    conv, token = live_chat
    desk.whisper(actor=world.lead, conversation_id=conv.pk, body="先核实身份")
    desk.agent_send(actor=world.agent, conversation_id=conv.pk, body="请问您的户号？")
    bodies = [m["body"] for m in public_messages(conv.pk, 0)]
    assert "先核实身份" not in bodies and "请问您的户号？" in bodies
    from kefu.chat.services.offline import transcript_text

    assert "先核实身份" not in transcript_text(conv)


def test_an_agent_may_not_whisper_into_another_agents_chat(world, live_chat):
    conv, _token = live_chat
    with pytest.raises(Exception) as exc:
        desk.whisper(actor=world.agent_b, conversation_id=conv.pk, body="x")
    assert getattr(exc.value, "status", None) == 404  # not visible to another team's agent
    assert not ChatMessage.objects.filter(conversation=conv, kind="whisper").exists()


def test_transfer_to_a_colleague_moves_the_slot_and_leaves_a_note_only_staff_see(world, live_chat):
    conv, _token = live_chat
    available(world.handler, capacity=1)
    desk.transfer(actor=world.agent, conversation_id=conv.pk, to_user_id=world.handler.pk, note="客户要投诉")
    conv.refresh_from_db()
    assert conv.agent_id == world.handler.pk
    assert [AgentPresence.objects.get(pk=u.pk).active_chats for u in (world.agent, world.handler)] == [0, 1]
    assert ChatMessage.objects.get(conversation=conv, kind="whisper").body == "客户要投诉"
    assert ChatEvent.objects.get(conversation=conv, code="transferred").params == {
        "from": world.agent.pk, "to_user": world.handler.pk}


def test_transfer_to_a_full_colleague_is_refused_and_changes_nothing(world, live_chat):
    conv, _token = live_chat
    available(world.handler, capacity=0)
    with pytest.raises(Conflict) as exc:
        desk.transfer(actor=world.agent, conversation_id=conv.pk, to_user_id=world.handler.pk)
    assert (exc.value.code, exc.value.field) == ("agent_full", "to_user_id")


def test_transfer_to_a_team_queues_the_chat_there(world, live_chat):
    conv, _token = live_chat
    desk.transfer(actor=world.agent, conversation_id=conv.pk, to_team_id=world.team_b.pk, note="")
    conv.refresh_from_db()
    assert (conv.state, conv.team_id, conv.agent_id) == (S.WAITING, world.team_b.pk, None)
    assert AgentPresence.objects.get(pk=world.agent.pk).active_chats == 0


def test_the_lead_takes_a_chat_over(world, live_chat):
    conv, _token = live_chat
    with pytest.raises(Forbidden):
        desk.take_over(actor=world.handler, conversation_id=conv.pk)
    desk.take_over(actor=world.lead, conversation_id=conv.pk)
    conv.refresh_from_db()
    assert (conv.state, conv.agent_id) == (S.ACTIVE, world.lead.pk)
    assert AgentPresence.objects.get(pk=world.agent.pk).active_chats == 0
    desk.agent_send(actor=world.lead, conversation_id=conv.pk, body="我是班长，我来处理。")


def test_a_chat_becomes_a_ticket_with_its_transcript_or_continues_the_open_one(world, live_chat):
    conv, _token = live_chat
    desk.agent_send(actor=world.agent, conversation_id=conv.pk, body="已为您登记。")
    ticket = desk.make_ticket(actor=world.agent, conversation_id=conv.pk)
    assert (ticket.channel, ticket.customer_id, ticket.assignee_id) == ("chat", world.customer.pk, world.agent.pk)
    assert "燃气费怎么交" in ticket.description and "已为您登记。" in ticket.description
    open_one = world.ticket()
    desk.make_ticket(actor=world.agent, conversation_id=conv.pk, ticket_id=open_one.pk)
    assert open_one.messages.filter(kind="customer", body__contains="已为您登记。").exists()


def test_an_agent_reply_needs_text_and_only_the_holder_replies(world, live_chat):
    conv, _token = live_chat
    before = conv.messages.count()
    with pytest.raises(ValidationFailed) as exc:
        desk.agent_send(actor=world.agent, conversation_id=conv.pk, body="  ")
    assert (exc.value.code, exc.value.field) == ("required", "body")
    with pytest.raises(Forbidden):
        desk.agent_send(actor=world.handler, conversation_id=conv.pk, body="hi")
    assert conv.messages.count() == before


def test_outside_working_hours_the_widget_takes_a_message_that_becomes_a_ticket(world):
    closed = BusinessCalendar.objects.create(name="从不营业", hours={}, cn_holidays=False)
    widget = make_widget(world, calendar=closed)
    with pytest.raises(Conflict) as exc:
        start_chat(widget_key=widget.key, data=VisitorInput(question="hi"))
    assert exc.value.code == "closed"
    with pytest.raises(ValidationFailed) as missing:
        offline.leave_message(widget_key=widget.key, data=VisitorInput(name="张先生"), body="燃气表坏了")
    assert missing.value.code == "contact_required"
    conv = offline.leave_message(widget_key=widget.key, data=VisitorInput(name="张先生", phone="13900001111"),
                                 body="燃气表坏了，请回电")
    ticket = Ticket.objects.get(pk=conv.ticket_id)
    assert (ticket.channel, ticket.team_id, ticket.contact_phone) == ("chat", world.team_a.pk, "13900001111")
    assert conv.state == S.LEFT_MESSAGE


def test_transcript_by_email_is_queued_without_whispers(world, live_chat):
    from kefu.notify.models import Notification

    conv, token = live_chat
    desk.whisper(actor=world.lead, conversation_id=conv.pk, body="内部提示")
    offline.send_transcript(token=token, email="li@example.com")
    note = Notification.objects.get(kind="chat_transcript")
    assert note.channel == "email" and "燃气费怎么交" in note.body and "内部提示" not in note.body


def test_the_desk_and_the_live_list_cost_a_fixed_number_of_queries(client, world, live_chat,
                                                                   django_assert_max_num_queries):
    conv, _token = live_chat
    client.force_login(world.lead)
    with django_assert_max_num_queries(20):
        assert client.get("/chat/live/").status_code == 200
    widget = conv.widget
    for _i in range(5):
        start_chat(widget_key=widget.key, data=VisitorInput(question="再来一个"))
    with django_assert_max_num_queries(20):
        assert client.get("/chat/live/").status_code == 200
    client.force_login(world.agent)
    data = client.get(f"/chat/c/{conv.pk}/").json()
    assert data["visitor"]["phone"] == "138****1234"
    assert client.get("/chat/desk/").status_code == 200


def test_the_desk_actions_answer_the_error_contract(client, world, live_chat):
    conv, _token = live_chat
    client.force_login(world.agent)
    response = client.post(f"/chat/c/{conv.pk}/send", json.dumps({"body": ""}), content_type="application/json")
    assert response.status_code == 422 and response.json()["error"]["field"] == "body"
    ok = client.post(f"/chat/c/{conv.pk}/send", json.dumps({"body": "好的"}), content_type="application/json")
    assert ok.status_code == 201 and ok.json()["seq"] == conv.last_seq + 1
