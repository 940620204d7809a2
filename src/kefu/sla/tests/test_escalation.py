"""Warnings, breaches and the escalation ladder (SL3, SL4): every step is an event, nothing runs twice."""

import pytest

from kefu.accounts.services import create_user
from kefu.notify.models import Notification
from kefu.sla.escalation import sweep
from kefu.sla.events import SlaEventCode
from kefu.sla.models import TicketClock
from kefu.sla.tests.conftest import at
from kefu.tickets import services
from kefu.tickets.models import EventCode


def codes(ticket):
    return list(ticket.events.values_list("code", flat=True))


@pytest.fixture
def assigned(world, monday):
    ticket = world.ticket(type="repair", custom={"fault": "其他"}, now=monday)
    return services.assign_ticket(actor=world.lead, ticket_id=ticket.pk, version=ticket.version,
                                  team_id=world.team_a.pk, assignee_id=world.agent.pk, now=monday)


def test_warning_then_breach_then_ladder(world, assigned, settings):
    resolution = TicketClock.objects.get(ticket=assigned, kind="resolution")
    # 3 working days from Monday 09:00 end Thursday 18:00: 4 open days (1920 min); 75% is Wednesday 18:00.
    assert resolution.warn_at == at("2026-11-25T18:00")
    sweep(now=at("2026-11-23T11:59"))
    assert SlaEventCode.SLA_WARNING not in codes(assigned)
    sweep(now=at("2026-11-23T12:00"))  # first response: 75% of 4 working hours
    assert codes(assigned).count(SlaEventCode.SLA_WARNING) == 1
    sweep(now=at("2026-11-23T14:01"))
    first = assigned.events.get(code=SlaEventCode.SLA_BREACHED)
    assert first.params["clock"] == "first_response"
    assert SlaEventCode.ESCALATED not in codes(assigned)  # a late first reply is reported, not escalated

    sweep(now=at("2026-11-25T18:01"))
    assert codes(assigned).count(SlaEventCode.SLA_WARNING) == 2
    assert Notification.objects.filter(recipient=world.agent, kind="sla_warning").count() == 2
    assert Notification.objects.filter(recipient=world.agent, kind="sla_breach").count() == 1

    sweep(now=at("2026-11-26T18:01"))  # resolution breached; rung 0 (team lead, no delay) runs at once
    breached = assigned.events.filter(code=SlaEventCode.SLA_BREACHED, params__clock="resolution")
    assert breached.count() == 1
    escalated = assigned.events.filter(code=SlaEventCode.ESCALATED).order_by("id")
    assert [e.params["level"] for e in escalated] == [1]
    assert escalated[0].params["notified"] == [world.lead.pk]
    assert Notification.objects.filter(recipient=world.lead, kind="escalation").count() == 1

    sweep(now=at("2026-11-27T00:00"))  # supervisor rung waits 480 minutes after the breach
    assert assigned.events.filter(code=SlaEventCode.ESCALATED).count() == 1
    sweep(now=at("2026-11-27T02:01"))
    last = assigned.events.filter(code=SlaEventCode.ESCALATED).order_by("-id").first()
    assert last.params["level"] == 2 and last.params["notified"] == [world.supervisor.pk]
    assert TicketClock.objects.get(pk=resolution.pk).next_check_at is None  # top of the ladder


def test_sweep_is_idempotent(world, assigned):
    sweep(now=at("2026-11-26T18:01"))
    before = assigned.events.count(), Notification.objects.count()
    assert sweep(now=at("2026-11-26T18:01"))["claimed"] == 0
    assert (assigned.events.count(), Notification.objects.count()) == before


def test_resolved_ticket_is_not_escalated(world, assigned):
    services.transition_ticket(actor=world.agent, ticket_id=assigned.pk, version=assigned.version,
                               to="resolved", now=at("2026-11-24T10:00"))
    sweep(now=at("2026-11-30T10:00"))
    # The resolution clock was met; only the callback clock (started at resolution, 2 working days) is late.
    climbed = assigned.events.filter(code=SlaEventCode.ESCALATED)
    assert {e.params["clock"] for e in climbed} == {"callback"}
    assert not assigned.events.filter(code=SlaEventCode.SLA_BREACHED, params__clock="resolution").exists()


def test_complaint_ladder_reassigns_to_the_complaint_queue(world, monday):
    from kefu.sla.models import EscalationRung

    rung = EscalationRung.objects.get(policy__name="投诉", action="reassign")
    rung.team = world.team_b
    rung.save()
    complaint = world.ticket(type="complaint", custom={"category": "服务态度"}, assignee_id=world.agent.pk,
                             now=monday)
    sweep(now=at("2026-11-26T18:01"))
    complaint.refresh_from_db()
    assert complaint.team == world.team_b and complaint.assignee is None
    assert EventCode.ASSIGNED in codes(complaint)


def test_manual_escalation_runs_the_next_rung_now(world, assigned, api):
    response = api.as_user(world, world.agent).post(f"/sla/tickets/{assigned.pk}/escalate",
                                                    {"reason": "客户情绪激动，要求班长处理"})
    assert response.status_code == 200
    event = assigned.events.get(code=SlaEventCode.ESCALATED)
    assert event.params["manual"] and event.params["notified"] == [world.lead.pk]
    assert event.actor == world.agent
    again = api.post(f"/sla/tickets/{assigned.pk}/escalate", {"reason": "再次升级"})
    assert again.status_code == 200
    third = api.post(f"/sla/tickets/{assigned.pk}/escalate", {"reason": "再次升级"})
    assert third.status_code == 422 and third.json()["error"]["code"] == "top_of_ladder"
    empty = api.post(f"/sla/tickets/{assigned.pk}/escalate", {"reason": " "})
    assert empty.json()["error"]["field"] == "reason"


def test_major_event_tells_the_whole_ladder_at_once(world, assigned):
    services.update_ticket(actor=world.agent, ticket_id=assigned.pk, version=assigned.version,
                           changes={"is_major": True})
    event = assigned.events.get(code=SlaEventCode.ESCALATED)
    assert event.params["major"] and set(event.params["notified"]) == {world.lead.pk, world.supervisor.pk}


def test_emergency_repair_texts_the_people_on_duty(world, monday):
    duty = create_user(actor=None, username="duty", password=None, role="field_crew", team=world.crew,
                       mobile="13700000001")
    duty.on_duty = True
    duty.save(update_fields=["on_duty"])
    ticket = world.ticket(type="emergency", title="小区燃气泄漏", custom={"hazard": "燃气泄漏"}, location="城东小区3栋")
    sms = Notification.objects.get(recipient=duty, channel="sms")
    assert sms.kind == "emergency_created" and ticket.number in sms.body and "城东小区3栋" in sms.body
    assert Notification.objects.filter(recipient=duty, channel="in_app").exists()
    assert not Notification.objects.filter(recipient=world.agent, kind="emergency_created").exists()
