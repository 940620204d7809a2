"""Callback tasks (CB1–CB2): created by rule at resolution, pulled or assigned, and every outcome's follow-on."""

import datetime as dt

import pytest
from django.utils import timezone

from kefu.callbacks import services
from kefu.callbacks.events import CallbackEventCode
from kefu.callbacks.models import CallbackRule, CallbackTask
from kefu.callbacks.services import FollowUpCase, OutcomeInput
from kefu.callbacks.tests.conftest import MONDAY
from kefu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from kefu.sla.events import SlaEventCode
from kefu.sla.models import TicketClock
from kefu.tickets import services as tickets
from kefu.tickets.models import EventCode, Ticket, TicketLink

LATER = MONDAY + dt.timedelta(hours=2)


def outcome(world, task, value, *, by=None, now=LATER, **kwargs):
    task.refresh_from_db()
    return services.record_outcome(actor=by or world.agent, task_id=task.pk, version=task.version,
                                   data=OutcomeInput(outcome=value, **kwargs), now=now)


def edit_rules(**values):
    """As the admin does: saving a rule is what tells the per-process rule cache to reload."""
    for rule in CallbackRule.objects.all():
        for key, value in values.items():
            setattr(rule, key, value)
        rule.save()


def pulled(world, agent=None, now=LATER):
    return services.pull_next(actor=agent or world.agent, now=now)


def events(ticket, code):
    return [e.params for e in ticket.events.filter(code=code).order_by("id")]


def test_resolving_a_repair_schedules_a_callback_due_by_the_sla_target(world, resolve):
    ticket = resolve("repair")
    task = CallbackTask.objects.get(ticket=ticket)
    assert (task.state, task.attempt, task.reason, task.team_id) == ("open", 1, "resolved", world.team_a.pk)
    # The same deadline as the ticket's SLA callback clock: the policy's target on the policy's calendar.
    clock = TicketClock.objects.get(ticket=ticket, kind="callback")
    assert task.due_at == clock.due_at and task.due_at > ticket.resolved_at + dt.timedelta(hours=8)
    [scheduled] = events(ticket, CallbackEventCode.CALLBACK_SCHEDULED)
    assert scheduled["task"] == task.pk and scheduled["attempt"] == 1 and scheduled["reason"] == "resolved"
    assert dt.datetime.fromisoformat(scheduled["due"]) == task.due_at


def test_an_inquiry_gets_no_callback_but_a_complaint_always_does(world, resolve):
    assert not CallbackTask.objects.filter(ticket=resolve("inquiry")).exists()
    edit_rules(enabled=False)
    assert CallbackTask.objects.filter(ticket=resolve("complaint")).count() == 1
    assert not CallbackTask.objects.filter(ticket=resolve("repair")).exists()


def test_a_rule_for_vip_customers_sets_its_own_due_time(world, resolve):
    CallbackRule.objects.create(tier="vip", due="4h", position=1)
    ticket = resolve("repair", customer_id=world.customer.pk)
    task = CallbackTask.objects.get(ticket=ticket)
    clock = TicketClock.objects.get(ticket=ticket, kind="callback")
    # Four working hours from Monday 11:00 on a 9–12, 13–18 calendar: 16:00 the same day, before the SLA's.
    assert timezone.localtime(task.due_at).replace(tzinfo=None) == dt.datetime(2026, 11, 23, 16, 0)
    assert task.due_at < clock.due_at


def test_pull_gives_the_most_urgent_task_of_the_team_once(world, resolve):
    first = resolve("repair", title="先到期")
    second = resolve("repair", now=MONDAY + dt.timedelta(minutes=30), title="后到期")
    task = pulled(world)
    assert task.ticket_id == first.pk and task.assignee == world.agent
    assert pulled(world, world.handler).ticket_id == second.pk
    assert pulled(world, world.lead) is None
    assert pulled(world, world.agent_b) is None  # team B's agent does not get team A's calls
    assert events(first, CallbackEventCode.CALLBACK_ASSIGNED) == [
        {"task": task.pk, "agent": world.agent.pk, "pulled": True}]


def test_roles_that_do_not_call_cannot_pull(world, resolve):
    resolve()
    with pytest.raises(Forbidden):
        services.pull_next(actor=world.qa)
    with pytest.raises(Forbidden):
        services.pull_next(actor=world.fieldman)


def test_accepted_closes_the_ticket_and_records_the_outcome(world, resolve):
    ticket = resolve()
    task = pulled(world)
    outcome(world, task, "accepted", note="客户表示满意")
    ticket.refresh_from_db()
    assert ticket.status == "closed" and not ticket.is_open
    [done] = events(ticket, CallbackEventCode.CALLBACK_OUTCOME)
    assert done == {"task": task.pk, "case": task.pk, "outcome": "accepted", "attempt": 1, "on_time": True,
                    "agent": world.agent.pk}
    with pytest.raises(ValidationFailed) as err:
        outcome(world, task, "accepted")
    assert err.value.code == "already_done"


def test_late_callback_is_recorded_as_not_on_time(world, resolve):
    ticket = resolve()
    task = pulled(world)
    outcome(world, task, "accepted", now=task.due_at + dt.timedelta(minutes=1))
    assert events(ticket, CallbackEventCode.CALLBACK_OUTCOME)[0]["on_time"] is False


def test_not_accepted_is_called_again_later_by_another_agent(world, resolve):
    ticket = resolve()
    task = pulled(world)
    with pytest.raises(ValidationFailed) as err:
        outcome(world, task, "not_accepted")
    assert (err.value.code, err.value.field) == ("required", "note")
    outcome(world, task, "not_accepted", note="客户认为维修不彻底")
    again = CallbackTask.objects.get(ticket=ticket, state="open")
    assert again.attempt == 2 and again.reason == "not_accepted" and again.excluded == [world.agent.pk]
    assert again.not_before == LATER + dt.timedelta(minutes=120) and again.case_id == task.pk
    later = LATER + dt.timedelta(hours=3)
    assert pulled(world, world.agent, now=later) is None  # 换客服代表: not the same agent
    assert pulled(world, world.handler, now=LATER) is None  # 换时间: not before the spacing
    assert pulled(world, world.handler, now=later).pk == again.pk
    assert Ticket.objects.get(pk=ticket.pk).status == "resolved"


def test_lead_cannot_assign_the_call_back_to_the_agent_the_customer_rejected(world, resolve):
    resolve()
    task = pulled(world)
    outcome(world, task, "not_accepted", note="不满意")
    again = CallbackTask.objects.get(state="open")
    with pytest.raises(ValidationFailed) as err:
        services.assign_task(actor=world.lead, task_id=again.pk, version=again.version, assignee_id=world.agent.pk)
    assert (err.value.code, err.value.field) == ("excluded_agent", "assignee_id")
    with pytest.raises(ValidationFailed) as err:
        services.assign_task(actor=world.lead, task_id=again.pk, version=again.version, assignee_id=world.agent_b.pk)
    assert err.value.code == "not_visible_to_agent"
    with pytest.raises(Forbidden):
        services.assign_task(actor=world.agent, task_id=again.pk, version=again.version,
                             assignee_id=world.handler.pk)
    done = services.assign_task(actor=world.lead, task_id=again.pk, version=again.version,
                                assignee_id=world.handler.pk)
    assert done.assignee == world.handler
    with pytest.raises(Conflict):
        services.assign_task(actor=world.lead, task_id=again.pk, version=again.version, assignee_id=world.lead.pk)


def test_not_accepted_complaint_is_reopened_escalated_and_next_called_by_someone_else(world, resolve):
    ticket = resolve("complaint")
    task = pulled(world)
    outcome(world, task, "not_accepted", note="仍不满意")
    ticket.refresh_from_db()
    assert ticket.status == "in_progress" and ticket.is_open
    codes = list(ticket.events.order_by("id").values_list("code", flat=True))
    assert codes[-2:] == [EventCode.REOPENED, SlaEventCode.ESCALATED]
    assert not CallbackTask.objects.filter(ticket=ticket, state="open").exists()
    ticket = tickets.transition_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version, to="resolved",
                                       now=LATER + dt.timedelta(hours=1))
    nxt = CallbackTask.objects.get(ticket=ticket, state="open")
    assert nxt.excluded == [world.agent.pk] and nxt.case_id == nxt.pk


def test_complaint_accepted_closes_only_with_its_findings(world, resolve):
    ticket = resolve("complaint")
    task = pulled(world)
    outcome(world, task, "accepted")
    ticket.refresh_from_db()
    assert ticket.status == "callback"  # the call happened; the loop still lacks the findings
    tickets.record_complaint_findings(actor=world.handler, ticket_id=ticket.pk, version=ticket.version,
                                      responsible_party="李师傅", content="态度生硬", result="已致歉")
    ticket.refresh_from_db()
    closed = tickets.transition_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version, to="closed")
    assert closed.status == "closed"


def test_new_need_answered_on_the_phone_is_noted_and_the_ticket_closes(world, resolve):
    ticket = resolve()
    task = pulled(world)
    with pytest.raises(ValidationFailed) as err:
        outcome(world, task, "new_need")
    assert (err.value.code, err.value.field) == ("required", "answer")
    outcome(world, task, "new_need", answer="告知了自助抄表方法")
    ticket.refresh_from_db()
    assert ticket.status == "closed"
    assert "自助抄表" in ticket.messages.get(kind="note").body


def test_new_need_without_an_answer_becomes_a_follow_up_case_for_the_team_lead(world, resolve):
    ticket = resolve(customer_id=world.customer.pk)
    task = pulled(world)
    outcome(world, task, "new_need", follow_up=FollowUpCase(title="客户要求更换表位", description="嫌表位太高"))
    case = Ticket.objects.exclude(pk=ticket.pk).get(title="客户要求更换表位")
    assert case.assignee == world.lead and case.customer_id == world.customer.pk and case.team_id == world.team_a.pk
    assert TicketLink.objects.filter(source=case, target=ticket, kind="follow_up").exists()
    assert events(ticket, CallbackEventCode.FOLLOW_UP_CASE) == [{"other": case.pk, "task": task.pk}]
    assert Ticket.objects.get(pk=ticket.pk).status == "closed"


def test_unreachable_is_retried_then_the_team_lead_approves_closing(world, resolve):
    ticket = resolve()
    now = LATER
    for attempt in (1, 2):
        task = pulled(world, now=now)
        assert task.attempt == attempt
        outcome(world, task, "unreachable", now=now)
        now += dt.timedelta(hours=3)
    task = pulled(world, now=now)
    outcome(world, task, "unreachable", now=now, note="三次无人接听")
    task.refresh_from_db()
    assert task.state == "awaiting_approval"
    assert [e["outcome"] for e in events(ticket, CallbackEventCode.CALLBACK_OUTCOME)] == ["unreachable", "unreachable"]
    with pytest.raises(Forbidden):
        services.decide_unreachable(actor=world.agent, task_id=task.pk, version=task.version, approve=True,
                                    reason="x")
    with pytest.raises(ValidationFailed) as err:
        services.decide_unreachable(actor=world.lead, task_id=task.pk, version=task.version, approve=True)
    assert (err.value.code, err.value.field) == ("required", "reason")
    services.decide_unreachable(actor=world.lead, task_id=task.pk, version=task.version, approve=True,
                                reason="三次未接通，号码有效")
    ticket.refresh_from_db()
    assert ticket.status == "closed"
    last = events(ticket, CallbackEventCode.CALLBACK_OUTCOME)[-1]
    assert last["outcome"] == "closed_unreachable" and last["agent"] == world.agent.pk  # who called, not the lead


def test_lead_may_order_one_more_attempt_instead(world, resolve):
    edit_rules(max_attempts=1)
    ticket = resolve()
    task = pulled(world)
    outcome(world, task, "unreachable")
    task.refresh_from_db()
    services.decide_unreachable(actor=world.lead, task_id=task.pk, version=task.version, approve=False)
    again = CallbackTask.objects.get(ticket=ticket, state="open")
    assert again.attempt == 2 and again.reason == "unreachable"
    assert Ticket.objects.get(pk=ticket.pk).status == "resolved"


def test_not_convenient_is_called_back_at_the_named_time_by_the_same_agent(world, resolve):
    ticket = resolve()
    task = pulled(world)
    with pytest.raises(ValidationFailed) as err:
        outcome(world, task, "not_convenient")
    assert (err.value.code, err.value.field) == ("required", "call_at")
    with pytest.raises(ValidationFailed) as err:
        outcome(world, task, "not_convenient", call_at=LATER - dt.timedelta(minutes=1))
    assert err.value.code == "in_the_past"
    call_at = LATER + dt.timedelta(days=2)
    outcome(world, task, "not_convenient", call_at=call_at)
    again = CallbackTask.objects.get(ticket=ticket, state="open")
    assert again.assignee == world.agent and again.not_before == call_at and again.due_at >= call_at


def test_reopening_the_ticket_cancels_its_pending_callback(world, resolve):
    ticket = resolve()
    task = CallbackTask.objects.get(ticket=ticket)
    tickets.reopen_ticket(actor=world.agent, ticket_id=ticket.pk, version=ticket.version, reason="客户来电说又坏了")
    task.refresh_from_db()
    assert task.state == "cancelled" and task.outcome == "cancelled"
    assert events(ticket, CallbackEventCode.CALLBACK_OUTCOME)[-1]["outcome"] == "cancelled"


def test_another_agents_task_cannot_be_recorded_and_other_teams_cannot_see_it(world, resolve):
    resolve()
    task = pulled(world)
    with pytest.raises(Forbidden):
        outcome(world, task, "accepted", by=world.handler)
    with pytest.raises(NotFound):
        outcome(world, task, "accepted", by=world.agent_b)
    with pytest.raises(ValidationFailed) as err:
        outcome(world, task, "bogus")
    assert (err.value.code, err.value.field) == ("invalid_choice", "outcome")
    stale = CallbackTask.objects.get(pk=task.pk)
    with pytest.raises(Conflict):
        services.record_outcome(actor=world.agent, task_id=task.pk, version=stale.version - 1,
                                data=OutcomeInput(outcome="accepted"))
    assert CallbackTask.objects.get(pk=task.pk).state == "open"


def test_a_task_claimed_between_reading_and_claiming_goes_to_the_next_one(world, resolve, monkeypatch):
    """The race of two pulls, made deterministic: our read saw both tasks free, a colleague took the first."""
    first, second = resolve(title="一"), resolve(title="二", now=MONDAY + dt.timedelta(minutes=5))
    read = [(t.pk, []) for t in CallbackTask.objects.order_by("due_at")]
    services.pull_next(actor=world.handler, now=LATER)  # the colleague's pull commits first
    monkeypatch.setattr(services, "_candidates", lambda actor, at: read)  # our stale read
    task = services.pull_next(actor=world.agent, now=LATER)
    assert task.ticket_id == second.pk and task.assignee == world.agent
    assert CallbackTask.objects.get(ticket=first).assignee == world.handler
