"""Each ticket's clocks follow its life: started, met, paused and resumed, recomputed, stopped (SL1, SL2)."""

from kefu.sla.events import SlaEventCode
from kefu.sla.models import ClockState, TicketClock
from kefu.sla.selectors import clocks_for
from kefu.sla.tests.conftest import at
from kefu.tickets import services


def clocks(ticket):
    return {c.kind: c for c in TicketClock.objects.filter(ticket=ticket).exclude(state="cancelled")
            .order_by("started_at")}


def test_default_policy_starts_first_response_and_resolution(world, monday):
    ticket = world.ticket(type="repair", custom={"fault": "其他"}, now=monday)
    found = clocks(ticket)
    assert set(found) == {"first_response", "resolution"}
    assert found["first_response"].due_at == at("2026-11-23T14:00")  # 4 working hours around lunch
    assert found["resolution"].due_at == at("2026-11-26T18:00")  # 3 working days, arrival day not counted
    assert found["resolution"].policy.name == "默认"


def test_complaint_and_vip_policies_are_chosen_by_type_and_tier(world, monday):
    complaint = world.ticket(type="complaint", custom={"category": "收费"}, now=monday)
    assert clocks(complaint)["resolution"].policy.name == "投诉"
    vip = world.ticket(customer_id=world.customer.pk, now=monday)
    assert clocks(vip)["resolution"].policy.name == "绿色通道 VIP"
    assert clocks(vip)["resolution"].due_at == at("2026-11-24T18:00")


def test_reply_meets_first_response(world, monday):
    ticket = world.ticket(now=monday)
    services.add_message(actor=world.agent, ticket_id=ticket.pk, kind="reply", body="您好", now=at("2026-11-23T10:00"))
    first = clocks(ticket)["first_response"]
    assert first.state == ClockState.MET and first.next_check_at is None
    assert clocks(ticket)["resolution"].state == ClockState.RUNNING


def test_waiting_on_customer_pauses_and_extends_the_due_time(world, monday):
    ticket = world.ticket(type="repair", custom={"fault": "其他"}, now=monday)
    due_before = clocks(ticket)["resolution"].due_at
    ticket = services.transition_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version,
                                        to="waiting_customer", now=at("2026-11-23T10:00"))
    paused = clocks(ticket)["resolution"]
    assert paused.state == ClockState.PAUSED and paused.next_check_at is None
    view = next(c for c in clocks_for(ticket) if c["kind"] == "resolution")
    assert view["state"] == "paused"
    # Paused 10:00 → next day 10:00 = 8 working hours (lunch and night not counted).
    services.transition_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version,
                               to="in_progress", now=at("2026-11-24T10:00"))
    resumed = clocks(ticket)["resolution"]
    assert resumed.state == ClockState.RUNNING
    assert resumed.paused_minutes == 480
    assert resumed.due_at == at("2026-11-27T18:00")  # one working day later than before
    assert due_before == at("2026-11-26T18:00")


def test_priority_or_customer_change_recomputes(world, monday):
    ticket = world.ticket(now=monday)
    assert clocks(ticket)["resolution"].due_at == at("2026-11-26T18:00")
    ticket = services.update_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version,
                                    changes={"customer_id": world.customer.pk}, now=at("2026-11-23T09:30"))
    assert clocks(ticket)["resolution"].due_at == at("2026-11-24T18:00")
    assert ticket.events.filter(code=SlaEventCode.SLA_RECOMPUTED).count() == 1


def test_resolve_starts_callback_and_close_stops_everything(world, monday):
    ticket = world.ticket(type="repair", custom={"fault": "其他"}, now=monday)
    ticket = services.transition_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version,
                                        to="resolved", now=at("2026-11-23T11:00"))
    found = clocks(ticket)
    assert found["resolution"].state == ClockState.MET
    assert found["first_response"].state == ClockState.MET
    assert found["callback"].state == ClockState.RUNNING
    assert found["callback"].due_at == at("2026-11-25T18:00")
    services.transition_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version, to="closed",
                               now=at("2026-11-24T09:00"))
    assert clocks(ticket)["callback"].state == ClockState.MET


def test_late_resolution_is_breached_not_met(world, monday):
    ticket = world.ticket(now=monday)
    services.transition_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version, to="resolved",
                               now=at("2026-11-30T09:00"))
    assert clocks(ticket)["resolution"].state == ClockState.BREACHED


def test_reopen_starts_a_new_resolution_clock(world, monday):
    ticket = world.ticket(now=monday)
    ticket = services.transition_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version,
                                        to="closed", now=at("2026-11-23T10:00"))
    services.reopen_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version, reason="没修好",
                           now=at("2026-11-24T10:00"))
    resolution = TicketClock.objects.filter(ticket=ticket, kind="resolution").order_by("started_at")
    assert [c.state for c in resolution] == ["met", "running"]
    assert resolution.last().due_at == at("2026-11-27T18:00")


def test_email_reply_creates_a_phone_confirmation_task(world, monday):
    ticket = world.ticket(channel="email", now=monday)
    services.add_message(actor=world.agent, ticket_id=ticket.pk, kind="reply", body="附件为发票",
                         now=at("2026-11-23T17:00"))
    task = ticket.follow_ups.get()
    assert task.kind == "confirm_receipt" and task.assignee == world.agent
    assert task.due_at == at("2026-11-24T12:00")  # 4 working hours: 1 today, 3 tomorrow morning
    phone = world.ticket(channel="phone", now=monday)
    services.add_message(actor=world.agent, ticket_id=phone.pk, kind="reply", body="好的")
    assert not phone.follow_ups.exists()
