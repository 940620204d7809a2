"""A known small set of callbacks and survey answers, with figures worked out by hand in the tests.

Times are in Asia/Shanghai (UTC+8); three events sit on the March/April boundary, where the local month and
the UTC month differ. NOW is 2026-04-20 12:00 local.
"""

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from kefu.callbacks.events import CallbackEventCode
from kefu.surveys.events import SurveyEventCode
from kefu.tickets.events import emit

CST = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")
NOW = datetime(2026, 4, 20, 12, 0, tzinfo=CST)


def at(month, day, hour=10, minute=0, tz=CST) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=tz)


class Callbacks:
    """Emits the events of the event contract, as the callback queue and the surveys do."""

    def __init__(self, world):
        self.world = world

    def schedule(self, ticket, task, due, *, attempt=1, reason="resolved", when=None):
        return emit(ticket, CallbackEventCode.CALLBACK_SCHEDULED, actor=None, at=when or due, params={
            "task": task, "due": due.isoformat(), "scheduled_for": None, "attempt": attempt, "reason": reason})

    def assign(self, ticket, task, agent, when):
        return emit(ticket, CallbackEventCode.CALLBACK_ASSIGNED, actor=self.world.lead, at=when,
                    params={"task": task, "agent": agent.pk, "pulled": False})

    def outcome(self, ticket, task, outcome, when, *, agent, attempt=1, on_time=True):
        return emit(ticket, CallbackEventCode.CALLBACK_OUTCOME, actor=agent, at=when, params={
            "task": task, "outcome": outcome, "attempt": attempt, "on_time": on_time,
            "agent": agent.pk if agent else None})

    def answer(self, ticket, response, when, *, csat, nps, agent, via="callback"):
        return emit(ticket, SurveyEventCode.SURVEY_ANSWERED, actor=None, at=when, params={
            "response": response, "questionnaire": 1, "via": via, "csat": csat, "nps": nps,
            "agent": agent.pk if agent else None})


def build_scenario(world) -> SimpleNamespace:
    """Five tickets (three in team A of type inquiry, two in team B of type suggestion) and four answers."""
    cb = Callbacks(world)
    a, b = world.team_a.pk, world.team_b.pk
    t1 = world.ticket(team_id=a, now=at(3, 1))
    t2 = world.ticket(team_id=a, now=at(3, 1))
    t3 = world.ticket(type="suggestion", team_id=b, now=at(3, 1))
    t4 = world.ticket(type="suggestion", team_id=b, now=at(3, 1))
    t5 = world.ticket(team_id=a, now=at(4, 1))
    # t1: reached at the first attempt, accepted, on time (March).
    cb.schedule(t1, 101, at(3, 10), when=at(3, 9))
    cb.assign(t1, 101, world.agent, at(3, 9, 11))
    cb.outcome(t1, 101, "accepted", at(3, 10, 9), agent=world.agent)
    # t2: first due in March; unreachable, then reached by the handler at 01:00 on 1 April local time
    # (still 31 March in UTC), not accepted and late; a third call by the agent is accepted.
    cb.schedule(t2, 201, at(3, 20), when=at(3, 19))
    cb.assign(t2, 201, world.agent, at(3, 19, 11))
    cb.outcome(t2, 201, "unreachable", at(3, 20, 9), agent=world.agent)
    cb.schedule(t2, 202, at(3, 22), attempt=2, reason="unreachable", when=at(3, 20, 9))
    cb.assign(t2, 202, world.handler, at(3, 21))
    cb.outcome(t2, 202, "not_accepted", at(3, 31, 17, tz=UTC), agent=world.handler, attempt=2, on_time=False)
    cb.schedule(t2, 203, at(4, 3), attempt=3, reason="not_accepted", when=at(4, 1, 2))
    cb.assign(t2, 203, world.agent, at(4, 1, 3))
    cb.outcome(t2, 203, "accepted", at(4, 2), agent=world.agent, attempt=3)
    # t3: due 23:30 on 31 March local (March in both); never reached, closed as unreachable in April.
    cb.schedule(t3, 301, at(3, 31, 15, 30, tz=UTC), when=at(3, 30))
    cb.assign(t3, 301, world.agent_b, at(3, 30, 11))
    cb.outcome(t3, 301, "unreachable", at(3, 31, 23), agent=world.agent_b)
    cb.schedule(t3, 302, at(4, 2), attempt=2, reason="unreachable", when=at(3, 31, 23))
    cb.assign(t3, 302, world.agent_b, at(4, 1))
    cb.outcome(t3, 302, "closed_unreachable", at(4, 3), agent=world.agent_b, attempt=2)
    # t4: due 01:00 on 1 April local (31 March in UTC), still open and overdue at NOW.
    cb.schedule(t4, 401, at(3, 31, 17, tz=UTC), when=at(3, 31))
    cb.assign(t4, 401, world.agent_b, at(3, 31, 11))
    # t5: due after NOW, open and unassigned: pending, not counted.
    cb.schedule(t5, 501, at(4, 25), when=at(4, 18))
    cb.answer(t1, 1, at(3, 12), csat=5, nps=10, agent=world.agent)
    cb.answer(t2, 2, at(3, 31, 16, 30, tz=UTC), csat=3, nps=7, agent=world.agent)  # 00:30 1 April local
    cb.answer(t3, 3, at(4, 5), csat=4, nps=3, agent=world.agent_b, via="link")
    cb.answer(t4, 4, at(4, 6), csat=None, nps=9, agent=None, via="campaign")
    return SimpleNamespace(cb=cb, tickets=[t1, t2, t3, t4, t5])


@pytest.fixture
def scenario(world):
    return build_scenario(world)


@pytest.fixture
def report_clock(monkeypatch):
    """Reports made at NOW, whatever the wall clock says."""
    from kefu.reports import selectors

    monkeypatch.setattr(selectors, "clock", lambda: NOW)
    return NOW
