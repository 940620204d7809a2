"""The agent workspace through the Django test client: every page renders, every form uses the services."""

import re

import pytest

from kefu.audit.models import AuditEntry
from kefu.tickets import services
from kefu.tickets.lifecycle import Status
from kefu.tickets.models import EventCode, Ticket

pytestmark = pytest.mark.django_db


def _ticket(world, **kw):
    return world.ticket(**{"type": "repair", "title": "燃气表漏气", "custom": {"fault": "其他"},
                           "customer_id": world.customer.pk, "team_id": world.team_a.pk,
                           "assignee_id": world.agent.pk, **kw})


def login(client, user):
    client.force_login(user)
    return client


def test_login_page_and_home_sends_each_role_to_its_screen(client, world):
    assert "登录" in client.get("/login/").content.decode()
    assert client.get("/").status_code == 302 and client.get("/").url.startswith("/login/")
    login(client, world.agent)
    assert client.get("/").url == "/tickets/mine/"
    login(client, world.lead)
    assert client.get("/").url == "/tickets/board/"
    login(client, world.fieldman)
    assert client.get("/").url == "/tickets/field/"


def test_my_tickets_lists_only_mine_with_filters(client, world):
    mine = _ticket(world, title="我的报修")
    other = services.create_ticket(actor=world.agent_b, data=services.TicketInput(
        type="inquiry", title="二班咨询", team_id=world.team_b.pk, assignee_id=world.agent_b.pk))
    page = login(client, world.agent).get("/tickets/mine/").content.decode()
    assert f'data-ticket="{mine.pk}"' in page and f'data-ticket="{other.pk}"' not in page
    page = client.get("/tickets/mine/", {"type": "inquiry"}).content.decode()
    assert f'data-ticket="{mine.pk}"' not in page
    page = client.get("/tickets/mine/", {"q": str(mine.pk)}, HTTP_HX_REQUEST="true", follow=True).content.decode()
    assert f'data-ticket="{mine.pk}"' in page and "<html" not in page  # htmx gets the table only


def test_bad_filter_is_refused_with_the_field_named(client, world):
    response = login(client, world.agent).get("/tickets/all/", {"priority": "high"})
    assert response.status_code == 422
    assert "整数" in response.content.decode()


def test_saved_view_keeps_filters(client, world):
    login(client, world.agent)
    response = client.post("/views/save/", {"page": "tickets:mine", "name": "报修", "query": "type=repair&page=3",
                                            "next": "/tickets/mine/"})
    assert response.url == "/tickets/mine/?type=repair"
    assert 'href="?type=repair">报修</a>' in client.get("/tickets/mine/").content.decode()


def test_ticket_page_shows_record_timeline_clocks_and_masked_customer(client, world):
    ticket = _ticket(world, location="城东路1号")
    page = login(client, world.agent).get(f"/tickets/{ticket.pk}/").content.decode()
    assert "燃气表漏气" in page and "城东路1号" in page and "王小明" in page
    assert "138****1234" in page and "13812341234" not in page
    assert 'data-code="created"' in page
    assert 'data-clock="resolution"' in page or "data-clock=" in page


def test_reply_goes_through_the_service_and_shows_on_the_timeline(client, world):
    ticket = _ticket(world)
    response = login(client, world.agent).post(f"/tickets/{ticket.pk}/reply/",
                                               {"version": ticket.version, "kind": "reply", "body": "您好，已安排师傅"})
    assert response.status_code == 302
    assert ticket.messages.get().body == "您好，已安排师傅"
    assert "您好，已安排师傅" in client.get(f"/tickets/{ticket.pk}/").content.decode()


def test_empty_reply_shows_the_field_error_and_changes_nothing(client, world):
    ticket = _ticket(world)
    response = login(client, world.agent).post(f"/tickets/{ticket.pk}/reply/",
                                               {"version": ticket.version, "kind": "reply", "body": "  "})
    assert response.status_code == 422
    assert "内容为空" in response.content.decode() or "空" in response.content.decode()
    assert not ticket.messages.exists()


def test_stale_edit_is_refused_with_who_changed_it_and_the_text_kept(client, world):
    ticket = _ticket(world)
    services.add_message(actor=world.handler, ticket_id=ticket.pk, kind="note", body="我先处理")
    response = login(client, world.agent).post(
        f"/tickets/{ticket.pk}/reply/", {"version": ticket.version, "kind": "reply", "body": "我的回复"})
    assert response.status_code == 409
    page = response.content.decode()
    assert 'data-testid="conflict"' in page and "handler" in page and "我的回复" in page
    assert ticket.messages.count() == 1


def test_transition_dispatch_and_crew_hand_back(client, world):
    ticket = _ticket(world)
    login(client, world.agent)
    response = client.post(f"/tickets/{ticket.pk}/dispatch/", {
        "version": ticket.version, "team_id": world.crew.pk, "appointment_start": "2026-11-24T09:00",
        "appointment_end": "2026-11-24T11:00", "note": "带压力表"})
    assert response.status_code == 302, response.content.decode()[:2000]
    ticket.refresh_from_db()
    assert ticket.dispatched_team == world.crew and ticket.status == Status.WAITING_OTHER
    crew_page = login(client, world.fieldman).get("/tickets/field/").content.decode()
    assert f'data-ticket="{ticket.pk}"' in crew_page
    assert client.post(f"/tickets/{ticket.pk}/arrive/", {"version": ticket.version}).status_code == 302
    ticket.refresh_from_db()
    response = client.post(f"/tickets/{ticket.pk}/complete/", {"version": ticket.version, "result": ""})
    assert response.status_code == 422 and "做了什么" in response.content.decode()
    response = client.post(f"/tickets/{ticket.pk}/complete/", {"version": ticket.version, "result": "更换表阀",
                                                              "notes": "照片1：旧阀门"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    codes = list(ticket.events.values_list("code", flat=True))
    assert EventCode.FIELD_ARRIVED in codes and EventCode.FIELD_COMPLETED in codes
    assert world.agent.notifications.filter(kind="field_done", ticket=ticket).exists()


def test_field_crew_cannot_report_on_work_of_another_crew(client, world):
    ticket = _ticket(world)
    login(client, world.fieldman)
    assert client.get(f"/tickets/{ticket.pk}/").status_code == 404  # not dispatched to them: invisible


def test_reveal_phone_is_audited_and_refused_to_roles_without_the_right(client, world):
    ticket = _ticket(world)
    response = login(client, world.agent).post(f"/tickets/{ticket.pk}/reveal-phone/")
    assert "13812341234" in response.content.decode()
    assert AuditEntry.objects.filter(actor=world.agent).exists()
    response = login(client, world.info_desk).post(f"/tickets/{ticket.pk}/reveal-phone/")
    assert response.status_code == 403 and "13812341234" not in response.content.decode()


def test_new_ticket_form_creates_and_refuses_bad_phone(client, world):
    login(client, world.agent)
    form = client.get("/tickets/new/").content.decode()
    assert 'name="title"' in form
    response = client.post("/tickets/new/", {"type": "inquiry", "title": "停气", "contact_phone": "123",
                                             "channel": "phone", "priority": "2", "assign_to_me": "on"})
    assert response.status_code == 422 and 'value="停气"' in response.content.decode()
    assert not Ticket.objects.exists()
    response = client.post("/tickets/new/", {"type": "repair", "title": "停气", "contact_phone": "13812341234",
                                             "channel": "phone", "priority": "3", "assign_to_me": "on",
                                             "custom.fault": "其他"})
    ticket = Ticket.objects.get()
    assert response.url == f"/tickets/{ticket.pk}/"
    assert ticket.assignee == world.agent and ticket.priority == 3


def test_board_counts_and_bulk_reassign(client, world):
    waiting = services.create_ticket(actor=world.agent, data=services.TicketInput(
        type="inquiry", title="无人处理", team_id=world.team_a.pk))
    _ticket(world)
    login(client, world.lead)
    page = client.get("/tickets/board/").content.decode()
    totals = re.search(r'data-tile="waiting"><b>(\d+)</b>', page)
    assert totals and int(totals.group(1)) == 1
    response = client.post("/tickets/board/assign/", {"ticket": [f"{waiting.pk}:{waiting.version}"],
                                                      "assignee_id": world.handler.pk})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.assignee == world.handler
    login(client, world.agent)
    assert client.post("/tickets/board/assign/", {"ticket": [f"{waiting.pk}:{waiting.version}"]}).status_code == 403


def test_screen_pop_shows_the_caller_and_prefills_a_ticket(client, world, api):
    api.as_user(world, world.admin)
    body = api.post("/cti/events", {"call_id": "c-1", "event": "ringing", "agent_no": "1001",
                                           "caller": "138 1234 1234"})
    assert body.status_code == 200, body.content
    assert body.json()["customer_id"] == world.customer.pk
    login(client, world.agent)
    pop = client.get("/cti/pop/")
    assert pop.status_code == 200 and "王小明" in pop.content.decode()
    call_pk = re.search(r'data-call="(\d+)"', pop.content.decode()).group(1)
    assert client.get("/cti/pop/", {"shown": call_pk}).status_code == 204
    form = client.get("/tickets/new/", {"call": call_pk}).content.decode()
    assert 'value="13812341234"' in form and f'name="customer_id" value="{world.customer.pk}"' in form
    assert client.get("/cti/pop/", HTTP_HX_REQUEST="true").status_code == 200
    client.post(f"/cti/calls/{call_pk}/dismiss/")
    assert client.get("/cti/pop/", {"shown": call_pk}).content == b""
    # another agent never sees it
    login(client, world.agent_b)
    assert client.get("/cti/pop/").status_code == 204


def test_ticket_made_from_the_pop_closes_the_pop(client, world):
    from kefu.cti.services import CallEvent, report_call_event

    report_call_event(actor=None, data=CallEvent(call_id="c-9", event="ringing", agent_no="1001",
                                                 caller="13812341234"))
    login(client, world.agent)
    assert client.get("/cti/pop/").status_code == 200
    response = client.post("/tickets/new/", {"type": "inquiry", "title": "询问账单", "channel": "phone",
                                             "channel_ref": "c-9", "contact_phone": "13812341234",
                                             "priority": "2", "assign_to_me": "on"})
    assert response.status_code == 302
    assert client.get("/cti/pop/").status_code == 204


def test_ticket_made_from_the_pop_through_the_api_closes_the_pop_too(client, world, api):
    from kefu.cti.models import Call
    from kefu.cti.services import CallEvent, report_call_event

    report_call_event(actor=None, data=CallEvent(call_id="c-10", event="ringing", agent_no="1001",
                                                 caller="13812341234"))
    api.as_user(world, world.agent)
    created = api.post("/tickets", {"type": "inquiry", "title": "询问账单", "channel": "phone",
                                    "channel_ref": "c-10", "contact_phone": "13812341234"})
    assert created.status_code == 201, created.content
    assert Call.objects.get(call_id="c-10").dismissed_at is not None
    login(client, world.agent)
    assert client.get("/cti/pop/").status_code == 204


def test_a_ticket_from_another_agents_call_leaves_that_pop_alone(world, api):
    from kefu.cti.models import Call
    from kefu.cti.services import CallEvent, report_call_event

    report_call_event(actor=None, data=CallEvent(call_id="c-11", event="ringing", agent_no="2001",
                                                 caller="13812341234"))
    api.as_user(world, world.agent)
    assert api.post("/tickets", {"type": "inquiry", "title": "询问账单", "channel_ref": "c-11"}).status_code == 201
    assert Call.objects.get(call_id="c-11").dismissed_at is None


def test_telephony_events_are_validated_and_reserved_to_the_integration(world, api):
    api.as_user(world, world.agent)
    assert api.post("/cti/events", {"call_id": "x", "event": "ringing", "agent_no": "1001",
                                    "caller": "13812341234"}).status_code == 403
    api.as_user(world, world.admin)
    bad = api.post("/cti/events", {"call_id": "x", "event": "ringing", "agent_no": "9999", "caller": "13812341234"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "agent_no"
    bad = api.post("/cti/events", {"call_id": "x", "event": "ringing", "agent_no": "1001", "caller": "12"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "caller"
    bad = api.post("/cti/events", {"call_id": "x", "event": "boom", "agent_no": "1001", "caller": "13812341234"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "event"
    for _ in range(2):  # switches retry: the same event twice is one call
        assert api.post("/cti/events", {"call_id": "x", "event": "ringing", "agent_no": "1001",
                                        "caller": "13812341234"}).status_code == 200
    assert api.post("/cti/events", {"call_id": "x", "event": "answered", "agent_no": "1001"}).json()["state"] == \
        "answered"
    from kefu.cti.models import Call

    assert Call.objects.count() == 1


def test_call_command_pops_the_screen(world, client):
    import json
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("call", "1001", "13812341234", stdout=out)
    assert json.loads(out.getvalue())["customer_id"] == world.customer.pk
    login(client, world.agent)
    assert "王小明" in client.get("/cti/pop/").content.decode()
    with pytest.raises(CommandError, match="agent_no"):
        call_command("call", "4242", "13812341234")


def test_call_wait_and_talk_seconds_and_recording(world, api):
    api.as_user(world, world.admin)
    base = {"call_id": "w-1", "agent_no": "1001"}
    api.post("/cti/events", {**base, "event": "ringing", "caller": "13812341234", "queue": "燃气报修",
                             "at": "2026-11-23T09:00:00+08:00"})
    api.post("/cti/events", {**base, "event": "answered", "at": "2026-11-23T09:00:08+08:00"})
    body = api.post("/cti/events", {**base, "event": "ended", "at": "2026-11-23T09:03:08+08:00",
                                    "recording": "rec/2026/11/23/w-1.wav"}).json()
    assert (body["wait_seconds"], body["talk_seconds"]) == (8, 180)
    assert body["queue"] == "燃气报修" and body["recording"].endswith("w-1.wav") and body["state"] == "ended"


def test_a_linked_ticket_the_user_may_not_see_shows_neither_number_nor_title(client, world):
    mine = world.ticket(by=world.agent_b, title="二班客户的燃气表")
    hidden = world.ticket(by=world.lead, title="一班的内部工单")  # team A: agent_b (team B) may not see it
    services.link_tickets(actor=world.supervisor, ticket_id=mine.pk, other_id=hidden.pk)
    login(client, world.agent_b)
    page = client.get(f"/tickets/{mine.pk}/").content.decode()
    assert "一班的内部工单" not in page and f"#{hidden.pk} " not in page
    login(client, world.lead)
    page = client.get(f"/tickets/{hidden.pk}/").content.decode()
    assert "二班客户的燃气表" not in page  # and the other way round: the lead (team A) does not see team B's ticket
    login(client, world.supervisor)
    assert "一班的内部工单" in client.get(f"/tickets/{mine.pk}/").content.decode()


def test_time_limits_show_translated_states_and_hours_overdue_never_negative_minutes(client, world):
    from datetime import timedelta

    from django.utils import timezone

    from kefu.sla.models import ClockState, TicketClock

    ticket = _ticket(world)
    clocks = TicketClock.objects.filter(ticket=ticket)
    assert clocks.exists()
    first = clocks.order_by("id").first()
    clocks.exclude(pk=first.pk).update(state=ClockState.MET)
    TicketClock.objects.filter(pk=first.pk).update(state=ClockState.RUNNING,
                                                   due_at=timezone.now() - timedelta(days=10))
    page = login(client, world.agent).get(f"/tickets/{ticket.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    section = page[page.index('data-clock='):]
    section = section[:section.index("</section>")]
    assert ">met<" not in section and ">running<" not in section
    assert "超时" in section and "工作小时" in section and 'data-testid="overdue"' in section
    assert not re.search(r"-\d+ 工作分钟", section) and "工作分钟" not in section.split("</div>")[0]
