"""Memos: an agent asks, the desk takes, forwards or answers, the agent is told and closes; carry-over."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kefu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from kefu.memos import selectors
from kefu.memos.models import Memo
from kefu.memos.services import (
    answer_memo,
    ask_memo,
    carry_over_unanswered,
    close_memo,
    forward_memo,
    take_memo,
)
from kefu.memos.tasks import end_of_local_day
from kefu.notify.models import Notification
from kefu.tickets.models import TicketEvent

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def test_the_answer_returns_to_the_agent_with_a_notice_and_ticket_events(world):
    ticket = world.ticket()
    memo = ask_memo(actor=world.agent, ticket_id=ticket.pk, question="阶梯气价什么时候调整？")
    memo = take_memo(actor=world.info_desk, memo_id=memo.pk)
    assert memo.owner == world.info_desk
    memo = answer_memo(actor=world.info_desk, memo_id=memo.pk, version=memo.version, answer="下月1日起执行新价。")
    assert memo.status == "answered"
    notice = Notification.objects.get(recipient=world.agent, kind="memo_answered")
    assert (notice.ticket_id, notice.body, notice.params) == (ticket.pk, "下月1日起执行新价。", {"memo": memo.pk})
    codes = list(TicketEvent.objects.filter(ticket=ticket).values_list("code", flat=True))
    assert codes[-2:] == ["memo_asked", "memo_answered"]
    memo = close_memo(actor=world.agent, memo_id=memo.pk)
    assert memo.status == "closed" and memo.closed_at


def test_a_forwarded_memo_is_answered_by_the_other_department(world):
    memo = ask_memo(actor=world.agent, question="城东路施工何时结束？")
    memo = forward_memo(actor=world.info_desk, memo_id=memo.pk, version=memo.version, department_id=world.field.pk,
                        note="请维修队确认")
    notice = Notification.objects.get(kind="memo_forwarded")
    assert (notice.recipient, notice.params) == (world.fieldman, {"memo": memo.pk})
    assert memo.status == "forwarded" and memo.pk in {m.pk for m in selectors.inbox(world.fieldman)[1]}
    with pytest.raises(NotFound):  # another service team neither sees nor answers it
        answer_memo(actor=world.agent_b, memo_id=memo.pk, version=memo.version, answer="x")
    memo = answer_memo(actor=world.fieldman, memo_id=memo.pk, version=memo.version, answer="周五结束")
    assert memo.answered_by == world.fieldman


def test_agents_see_only_their_own_memos(world):
    memo = ask_memo(actor=world.agent, question="问题")
    with pytest.raises(NotFound):
        close_memo(actor=world.agent_b, memo_id=memo.pk)
    assert selectors.my_memos(world.agent_b) == []
    with pytest.raises(Forbidden):
        take_memo(actor=world.agent_b, memo_id=memo.pk)


def test_two_desk_members_cannot_both_take_a_memo(world):
    from kefu.accounts.roles import Role
    from kefu.accounts.services import create_user

    colleague = create_user(actor=None, username="info2", password="kefu-Test-2026", role=Role.INFO_DESK,
                            agent_no="1004")
    memo = ask_memo(actor=world.agent, question="问题")
    take_memo(actor=world.info_desk, memo_id=memo.pk)
    with pytest.raises(Conflict) as exc:
        take_memo(actor=colleague, memo_id=memo.pk)
    assert exc.value.code == "already_taken"


def test_a_stale_answer_is_refused_and_an_answered_memo_stays_answered(world):
    memo = ask_memo(actor=world.agent, question="问题")
    answer_memo(actor=world.info_desk, memo_id=memo.pk, version=memo.version, answer="答复")
    with pytest.raises((Conflict, ValidationFailed)):
        answer_memo(actor=world.lead, memo_id=memo.pk, version=memo.version, answer="另一个答复")
    assert Memo.objects.get(pk=memo.pk).answer == "答复"


def test_unanswered_memos_move_to_the_next_briefing_once(world):
    evening = datetime(2026, 3, 2, 23, 55, tzinfo=SH)
    open_memo = ask_memo(actor=world.agent, question="未答复", now=evening - timedelta(hours=3))
    answered = ask_memo(actor=world.agent, question="已答复", now=evening - timedelta(hours=3))
    answer_memo(actor=world.info_desk, memo_id=answered.pk, version=answered.version, answer="好")
    assert carry_over_unanswered(now=evening) == 1
    assert carry_over_unanswered(now=evening) == 0
    open_memo.refresh_from_db()
    assert open_memo.briefing_date.isoformat() == "2026-03-03"
    assert [m.pk for m in selectors.open_questions(world.info_desk, open_memo.briefing_date)] == [open_memo.pk]


def test_the_carry_over_runs_at_the_end_of_the_local_day():
    assert end_of_local_day(datetime(2026, 3, 2, 15, 55))  # 23:55 in Shanghai, given as naive UTC
    assert not end_of_local_day(datetime(2026, 3, 2, 23, 55))


def test_open_memos_show_age_and_owner(world):
    asked = datetime(2026, 3, 2, 9, 0, tzinfo=SH)
    memo = ask_memo(actor=world.agent, question="问题", now=asked)
    take_memo(actor=world.info_desk, memo_id=memo.pk)
    out = selectors.memo_out(selectors.inbox(world.info_desk)[1][0], now=asked + timedelta(minutes=95))
    assert (out["age_minutes"], out["owner"]["id"]) == (95, world.info_desk.pk)


def test_api_ask_answer_close(world, api):
    ticket = world.ticket()
    api.as_user(world, world.agent)
    memo = api.post("/memos", {"question": "怎么开发票？", "ticket_id": ticket.pk})
    assert memo.status_code == 201 and memo.json()["ticket"]["number"] == ticket.number
    assert api.post("/memos", {"question": " "}).json()["error"]["field"] == "question"
    api.as_user(world, world.info_desk)
    inbox = api.get("/memos").json()
    assert [m["id"] for m in inbox["items"]] == [memo.json()["id"]]
    answered = api.post(f"/memos/{memo.json()['id']}/answer", {"version": inbox["items"][0]["version"],
                                                                "answer": "营业厅开具"})
    assert answered.json()["status"] == "answered"
    api.as_user(world, world.agent)
    assert api.get("/memos?mine=true").json()["items"][0]["answer"] == "营业厅开具"
    assert api.post(f"/memos/{memo.json()['id']}/close").json()["status"] == "closed"


def test_memo_inbox_costs_a_fixed_number_of_queries(world, api, django_assert_max_num_queries):
    ticket = world.ticket()
    for i in range(15):
        ask_memo(actor=world.agent, ticket_id=ticket.pk, question=f"问题{i}")
    api.as_user(world, world.info_desk)
    with django_assert_max_num_queries(6):
        assert api.get("/memos").json()["count"] == 15
