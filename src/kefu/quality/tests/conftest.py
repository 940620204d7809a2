from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kefu.quality.services import save_plan
from kefu.surveys.tests.conftest import good_answers, survey  # noqa: F401 - fixtures shared
from kefu.tickets.services import add_message

TZ = ZoneInfo("Asia/Shanghai")
NOV = datetime(2026, 11, 10, 10, 0, tzinfo=TZ)


def conversation(world, *, by=None, lines=(), at=NOV, type="inquiry", **fields):  # noqa: A002
    """A ticket opened by `by` at `at` with (speaker, seconds later, text) lines as replies and customer messages."""
    from datetime import timedelta

    by = by or world.agent
    ticket = world.ticket(by=by, now=at, type=type, team_id=by.team_id, **fields)
    for speaker, seconds, text in lines:
        add_message(actor=by, ticket_id=ticket.pk, kind="reply" if speaker == "agent" else "customer", body=text,
                    now=at + timedelta(seconds=seconds))
    return ticket


GOOD = [("customer", 0, "燃气费怎么交？"), ("agent", 20, "您好，请您通过营业厅或者App缴费，谢谢。"),
        ("agent", 40, "对不起让您久等了，再见")]
BAD = [("customer", 0, "怎么还没修好"), ("agent", 200, "不知道，这个不归我管"), ("agent", 230, "你听我说")]


@pytest.fixture
def plans(world):
    save_plan(actor=None, team_id=world.team_a.pk, per_agent=1)
    save_plan(actor=None, team_id=world.team_b.pk, per_agent=1)


def complaint(world, **kw):
    return conversation(world, type="complaint", custom={"category": "服务态度"}, **kw)


def answer(world, questionnaire, ticket, csat, *, at=NOV, nps=9):
    """The customer's survey answer about `ticket`, taken on a callback."""
    from kefu.surveys.services import record_response

    return record_response(actor=world.agent, questionnaire_id=questionnaire.pk,
                           answers=good_answers(questionnaire, csat, nps),
                           ticket_id=ticket.pk, via="callback", now=at)
