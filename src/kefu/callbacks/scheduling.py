"""Creating callback tasks: the rule that applies, the due time, the next attempt of a case."""

import datetime as dt

from kefu.callbacks.events import callback_assigned_event, callback_scheduled_event
from kefu.callbacks.models import CallbackRule, CallbackTask, Outcome, Reason
from kefu.core.configcache import ConfigCache
from kefu.sla import policies
from kefu.sla.calendar import Target
from kefu.tickets.models import Ticket

DEFAULT_DUE = dt.timedelta(days=1)


_cache = ConfigCache("callback-rules", lambda: list(CallbackRule.objects.order_by("position", "id")),
                     (CallbackRule,))


def _rules() -> list[CallbackRule]:
    return _cache.get()


def rule_for(ticket: Ticket) -> CallbackRule | None:
    """The first matching rule; complaints and emergency repairs get a callback even when it says no."""
    rule = next((r for r in _rules() if r.matches(ticket)), None)
    always = ticket.ticket_type.is_complaint or ticket.ticket_type.is_emergency
    if rule is not None and (rule.enabled or always):
        return rule
    if always:
        return CallbackRule(enabled=True)  # the built-in defaults: policy's target, 3 attempts, 2 h apart
    return None


def due_for(ticket: Ticket, rule: CallbackRule, at: dt.datetime) -> dt.datetime:
    """The rule's own target, else the callback target of the ticket's SLA policy, on that policy's calendar."""
    loaded = policies.match(ticket)
    text = rule.due or (loaded.policy.target_for("callback") if loaded else "")
    if not text:
        return at + DEFAULT_DUE
    target = Target.parse(text)
    if loaded:
        return loaded.calendar.deadline(at, target)
    return at + (dt.timedelta(days=target.amount) if target.unit == "wd" else dt.timedelta(minutes=target.amount))


def excluded_agents(ticket: Ticket) -> list[int]:
    """Agents whose explanation this customer did not accept, in any earlier case: another agent calls next."""
    return sorted(set(CallbackTask.objects.filter(ticket_id=ticket.pk, outcome=Outcome.NOT_ACCEPTED,
                                                  done_by__isnull=False).values_list("done_by_id", flat=True)))


def create_task(ticket: Ticket, *, reason: str, due_at: dt.datetime, at: dt.datetime, actor=None,
                case: CallbackTask | None = None, rule: CallbackRule | None = None, attempt: int = 1,
                not_before: dt.datetime | None = None, assignee=None, excluded: list[int] | None = None
                ) -> CallbackTask:
    """Store one task and its CALLBACK_SCHEDULED event (and CALLBACK_ASSIGNED when it is pre-assigned)."""
    task = CallbackTask.objects.create(
        ticket=ticket, case=case, rule=rule if rule and rule.pk else None, team_id=ticket.team_id, attempt=attempt,
        reason=reason, due_at=due_at, not_before=not_before, assignee=assignee,
        assigned_at=at if assignee else None, excluded=excluded or [], created_at=at)
    if case is None:  # the first task of a case is the case
        CallbackTask.objects.filter(pk=task.pk).update(case=task)
        task.case_id = task.pk
    callback_scheduled_event(ticket=ticket, task=task, due=due_at, scheduled_for=not_before, attempt=attempt,
                             reason=reason, actor=actor, at=at)
    if assignee is not None:
        callback_assigned_event(ticket=ticket, task=task, agent_id=assignee.pk, pulled=False, actor=actor, at=at)
    return task


def do_schedule_after_resolution(ticket: Ticket, *, actor, at: dt.datetime) -> CallbackTask | None:
    """A resolved ticket gets its callback task if a rule says so (CB1); an open case is not doubled."""
    rule = rule_for(ticket)
    if rule is None or CallbackTask.objects.filter(ticket_id=ticket.pk, state=CallbackTask.State.OPEN).exists():
        return None
    return create_task(ticket, reason=Reason.RESOLVED, due_at=due_for(ticket, rule, at), at=at, actor=actor,
                       rule=rule, excluded=excluded_agents(ticket))


def rule_of(task: CallbackTask) -> CallbackRule:
    return task.rule or rule_for(task.ticket) or CallbackRule()
