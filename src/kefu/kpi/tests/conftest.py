"""A small hand-computed month (November 2026) for every KPI and the appraisal.

Team 一班: world.agent; team 二班: world.agent_b.
- tickets opened: agent 3 (phone 1st, phone 3rd — the same caller and type, a repeat — and chat 20th),
  agent_b 2 (phone 5th; a complaint 10th, found to be 二班's fault)
- calls: agent 100 s and 200 s, agent_b 60 s
- resolved: agent's 1st and 3rd ticket (assignee agent); the 3rd had a time-limit breach
- surveys: agent CSAT 5/NPS 10 and CSAT 3/NPS 6; agent_b CSAT 4/NPS 9
- QA: agent 90 and 80, agent_b 100
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kefu.cti.services import CallEvent, report_call_event
from kefu.kpi.periods import Period

TZ = ZoneInfo("Asia/Shanghai")
MONTH = date(2026, 11, 1)


def at(day, hour=10):
    return datetime(2026, 11, day, hour, 0, tzinfo=TZ)


def call(agent_no, call_id, day, seconds):
    for event, offset in (("ringing", 0), ("answered", 3), ("ended", 3 + seconds)):
        report_call_event(actor=None, data=CallEvent(call_id=call_id, event=event, agent_no=agent_no,
                                                     caller="13912345678", at=at(day) + timedelta(seconds=offset)))


def resolve(ticket, user, when):
    from kefu.tickets.models import Ticket
    from kefu.tickets.services import transition_ticket

    ticket = Ticket.objects.get(pk=ticket.pk)
    return transition_ticket(actor=user, ticket_id=ticket.pk, version=ticket.version, to="resolved", now=when)


def breach(ticket, when):
    from kefu.tickets.events import emit
    from kefu.tickets.models import EventCode, Ticket

    emit(Ticket.objects.get(pk=ticket.pk), EventCode.SLA_BREACHED, actor=None, at=when,
         params={"clock": "resolve", "due": when.isoformat()})


def evaluate(world, ticket, deductions, *, when):
    from kefu.quality.models import Contact
    from kefu.quality.services import harvest_contacts, score_contact

    harvest_contacts(actor=None, start=at(1, 0), end=at(30, 23), now=when)
    contact = Contact.objects.get(source="ticket", ref=str(ticket.pk))
    return score_contact(actor=world.qa, contact_id=contact.pk, deductions=deductions, now=when)


@pytest.fixture
def month_world(world):
    from kefu.surveys.services import create_questionnaire, record_response
    from kefu.surveys.tests.conftest import good_answers, questionnaire_input

    survey = create_questionnaire(actor=world.supervisor, data=questionnaire_input())

    t1 = world.ticket(by=world.agent, now=at(1), contact_phone="13800000001", channel="phone",
                      assignee_id=world.agent.pk)
    t2 = world.ticket(by=world.agent, now=at(3), contact_phone="13800000001", channel="phone")
    t3 = world.ticket(by=world.agent, now=at(20), contact_phone="13800000003", channel="chat",
                      assignee_id=world.agent.pk)
    t4 = world.ticket(by=world.agent_b, now=at(5), contact_phone="13800000004", channel="phone",
                      assignee_id=world.agent_b.pk)
    t5 = world.ticket(by=world.agent_b, now=at(10), contact_phone="13800000005", channel="phone", type="complaint",
                      custom={"category": "服务态度"}, team_id=world.team_b.pk)
    call("1001", "A1", 2, 100)
    call("1001", "A2", 4, 200)
    call("2001", "B1", 6, 60)
    resolve(t1, world.agent, at(1, 12))
    breach(t3, at(21))
    resolve(t3, world.agent, at(22))
    for ticket, csat, nps, user in ((t1, 5, 10, world.agent), (t3, 3, 6, world.agent), (t4, 4, 9, world.agent_b)):
        record_response(actor=user, questionnaire_id=survey.pk, answers=good_answers(survey, csat, nps),
                        ticket_id=ticket.pk, via="callback", now=at(25))
    evaluate(world, t1, {"accuracy": 10}, when=at(26))
    evaluate(world, t3, {"accuracy": 20}, when=at(26))
    evaluate(world, t4, {}, when=at(26))
    return {"tickets": [t1, t2, t3, t4, t5]}


@pytest.fixture
def period():
    return Period.month(MONTH, now=at(30, 23))
