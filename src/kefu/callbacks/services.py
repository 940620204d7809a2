"""Every state change of a callback task (CB1–CB2): pull, assign, record the outcome, approve giving up.

The outcome rules follow the seed's outbound-call procedure (003 主动回访):
accepted → the ticket closes; not accepted → another agent calls again at another time (换时间换客服代表), and a
complaint goes back to its handler and up the ladder; a new need → answered on the spot or a follow-up case
(跟进个案) on top of the original for the team lead; unreachable → try again later, and after the last attempt
the team lead approves closing it as unreachable; not convenient → call at the time the customer names.
"""

import contextlib
import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.accounts.roles import CAN_SUPERVISE, Role
from kefu.callbacks.events import callback_assigned_event, callback_outcome_event, follow_up_case_event
from kefu.callbacks.models import REACHED, CallbackTask, Outcome, Reason
from kefu.callbacks.scheduling import create_task, rule_of
from kefu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from kefu.tickets import services as tickets
from kefu.tickets import validation as v
from kefu.tickets.lifecycle import Status
from kefu.tickets.models import Ticket, TicketLink
from kefu.tickets.services.complaints import closed_loop_missing

PULL_WINDOW = 20  # candidates read per pull; the excluded-agent check is done on these in Python


def _require_caller(actor: User | None) -> None:
    if actor is not None and (not actor.can_handle_tickets() or actor.role == Role.FIELD_CREW):
        raise Forbidden(_("Your role does not make callbacks."), code="cannot_call_back")


def _load(actor: User | None, task_id: int) -> CallbackTask:
    qs = CallbackTask.objects.select_related("ticket", "ticket__ticket_type", "ticket__customer", "rule")
    if actor is not None:
        qs = qs.visible_to(actor)
    task = qs.filter(pk=task_id).first()
    if task is None:
        raise NotFound(_("No such callback task."), field="task")
    return task


def _check_version(task: CallbackTask, version: int | None) -> None:
    if version is None:
        raise ValidationFailed(_("Send the version of the task you are changing."), code="required", field="version")
    if task.version != version:
        raise Conflict(_("Someone else changed this callback task after you opened it. Reload it and try again."),
                       code="stale_version", field="version",
                       params={"current_version": task.version, "your_version": version})


def _update(task: CallbackTask, version: int, **changes) -> None:
    """Conditional write: only from `version` and only while the task is still in the state we read."""
    done = CallbackTask.objects.filter(pk=task.pk, version=version, state=task.state).update(
        version=F("version") + 1, **changes)
    if not done:
        task.refresh_from_db()
        _check_version(task, version)
        raise Conflict(_("This callback task was finished meanwhile."), code="stale_version", field="version")
    for key, value in changes.items():
        setattr(task, key, value)
    task.version = version + 1


@transaction.atomic
def pull_next(*, actor: User, now: dt.datetime | None = None) -> CallbackTask | None:
    """Give the agent the most urgent callback of their team that nobody has, or None when the queue is empty.

    Two agents pulling at the same moment read the same candidates; the conditional UPDATE below lets exactly
    one of them have each task, and the other moves on to the next candidate."""
    _require_caller(actor)
    at = now or timezone.now()
    for pk, excluded in _candidates(actor, at):
        if actor.pk in (excluded or []):
            continue
        claimed = CallbackTask.objects.filter(pk=pk, assignee__isnull=True, state=CallbackTask.State.OPEN).update(
            assignee=actor, assigned_at=at, version=F("version") + 1)
        if claimed:
            task = _load(None, pk)
            callback_assigned_event(ticket=task.ticket, task=task, agent_id=actor.pk, pulled=True, actor=actor, at=at)
            return task
    return None


def _candidates(actor: User, at: dt.datetime) -> list[tuple[int, list]]:
    """The most urgent free tasks of the agent's team, as read now — possibly claimed by the time we claim."""
    if not actor.team_id:
        return []
    pool = CallbackTask.objects.filter(state=CallbackTask.State.OPEN, assignee__isnull=True, team_id=actor.team_id)
    return list(pool.exclude(not_before__gt=at).order_by("due_at", "id").values_list("pk", "excluded")[:PULL_WINDOW])


@transaction.atomic
def assign_task(*, actor: User | None, task_id: int, version: int, assignee_id: int,
                now: dt.datetime | None = None) -> CallbackTask:
    """A team lead gives a callback to an agent who may see the ticket and did not fail this customer before."""
    if actor is not None and actor.role not in CAN_SUPERVISE:
        raise Forbidden(_("Only a team lead or above assigns callbacks."), code="cannot_assign")
    task = _load(actor, task_id)
    _check_version(task, version)
    if task.state != CallbackTask.State.OPEN:
        raise ValidationFailed(_("This callback is already done."), code="already_done", field="task")
    agent = User.objects.filter(pk=assignee_id, is_active=True).first()
    if agent is None or not agent.can_handle_tickets() or agent.role == Role.FIELD_CREW:
        raise ValidationFailed(_("Choose an agent."), code="unknown_user", field="assignee_id")
    if agent.pk in task.excluded:
        raise ValidationFailed(_("The customer did not accept this agent's explanation; choose another agent."),
                               code="excluded_agent", field="assignee_id")
    if not Ticket.objects.visible_to(agent).filter(pk=task.ticket_id).exists():
        raise ValidationFailed(_("This agent cannot see the ticket; choose an agent of its team."),
                               code="not_visible_to_agent", field="assignee_id")
    at = now or timezone.now()
    _update(task, version, assignee=agent, assigned_at=at)
    callback_assigned_event(ticket=task.ticket, task=task, agent_id=agent.pk, pulled=False, actor=actor, at=at)
    return task



@dataclass
class FollowUpCase:
    """A new need the agent cannot answer on the phone: it becomes a follow-up case (跟进个案, TK5)."""

    title: str
    description: str = ""
    type: str = "inquiry"


@dataclass
class OutcomeInput:
    outcome: str
    note: str = ""
    answer: str = ""  # new need answered on the spot
    follow_up: FollowUpCase | None = None  # new need that needs someone else
    call_at: dt.datetime | None = None  # not convenient: when the customer wants the call
    survey: "SurveyAnswers | None" = None  # the satisfaction survey, taken once the customer is reached


@dataclass
class SurveyAnswers:
    questionnaire_id: int
    answers: dict


def _clean(data: OutcomeInput, task: CallbackTask, at: dt.datetime) -> None:
    if data.outcome not in Outcome.values or data.outcome in (Outcome.CLOSED_UNREACHABLE, Outcome.CANCELLED):
        raise ValidationFailed(_("Choose what came of the call."), code="invalid_choice", field="outcome")
    data.note = v.clean_text(data.note, field="note", limit=2000)
    data.answer = v.clean_text(data.answer, field="answer", limit=2000)
    if data.outcome == Outcome.NEW_NEED and not data.answer and data.follow_up is None:
        raise ValidationFailed(_("Answer the new need, or open a follow-up case for it."), code="required",
                               field="answer")
    if data.follow_up is not None and not data.follow_up.title.strip():
        raise ValidationFailed(_("Give the follow-up case a title."), code="required", field="follow_up.title")
    if data.outcome == Outcome.NOT_CONVENIENT:
        if data.call_at is None:
            raise ValidationFailed(_("When does the customer want the call?"), code="required", field="call_at")
        if data.call_at <= at:
            raise ValidationFailed(_("The time must be in the future."), code="in_the_past", field="call_at")
    if data.outcome == Outcome.NOT_ACCEPTED and not data.note:
        raise ValidationFailed(_("Note what the customer does not accept."), code="required", field="note")


@transaction.atomic
def record_outcome(*, actor: User | None, task_id: int, version: int, data: OutcomeInput,
                   now: dt.datetime | None = None) -> CallbackTask:
    """Record what came of the call and do what follows from it. Every outcome is a ticket event."""
    _require_caller(actor)
    task = _load(actor, task_id)
    _check_version(task, version)
    if task.state != CallbackTask.State.OPEN:
        raise ValidationFailed(_("This callback is already done."), code="already_done", field="task")
    if actor is not None and task.assignee_id != actor.pk and actor.role not in CAN_SUPERVISE:
        raise Forbidden(_("This callback is another agent's; pull or be given it first."), code="not_your_task")
    at = now or timezone.now()
    _clean(data, task, at)
    rule = rule_of(task)
    final_unreachable = (data.outcome == Outcome.UNREACHABLE and _unreachable_count(task) + 1 >= rule.max_attempts)
    if final_unreachable:  # the team lead decides; the outcome event waits for that decision
        _update(task, version, state=CallbackTask.State.AWAITING_APPROVAL, note=data.note, done_by=actor,
                done_at=at, outcome=Outcome.UNREACHABLE)
        return task
    _finish(task, version, data.outcome, actor=actor, at=at, note=data.note)
    ticket = task.ticket
    if data.survey is not None:
        _take_survey(task, data.survey, actor=actor, at=at)
    if data.outcome in (Outcome.ACCEPTED, Outcome.NEW_NEED):
        if data.outcome == Outcome.NEW_NEED:
            _new_need(task, data, actor=actor, at=at)
        _close_if_loop_complete(ticket, actor=actor, at=at)
    elif data.outcome == Outcome.NOT_ACCEPTED:
        _not_accepted(task, rule, actor=actor, at=at, note=data.note)
    elif data.outcome == Outcome.UNREACHABLE:
        create_task(ticket, reason=Reason.UNREACHABLE, due_at=task.due_at, at=at, actor=actor, case=task.case,
                    rule=rule, attempt=task.attempt + 1, not_before=at + dt.timedelta(minutes=rule.retry_minutes),
                    excluded=task.excluded)
    elif data.outcome == Outcome.NOT_CONVENIENT:
        create_task(ticket, reason=Reason.NOT_CONVENIENT, due_at=max(task.due_at, data.call_at), at=at, actor=actor,
                    case=task.case, rule=rule, attempt=task.attempt + 1, not_before=data.call_at,
                    assignee=task.assignee, excluded=task.excluded)
    return task


def _take_survey(task: CallbackTask, survey: SurveyAnswers, *, actor, at: dt.datetime) -> None:
    """Answers taken on this call (CB3); a bad answer refuses the whole outcome, so nothing half-recorded."""
    from kefu.surveys.services import record_response

    if task.outcome not in REACHED:
        raise ValidationFailed(_("A survey is taken only when the customer was reached."), code="not_reached",
                               field="survey")
    record_response(actor=actor, questionnaire_id=survey.questionnaire_id, answers=survey.answers,
                    ticket_id=task.ticket_id, callback_task_id=task.pk, via="callback", now=at)


def _unreachable_count(task: CallbackTask) -> int:
    return CallbackTask.objects.filter(case_id=task.case_id, outcome=Outcome.UNREACHABLE).count()


def _finish(task: CallbackTask, version: int, outcome: str, *, actor, at: dt.datetime, note: str = "",
            state: str = CallbackTask.State.DONE) -> None:
    """Close the task with its outcome and write the one CALLBACK_OUTCOME event the KPIs are computed from."""
    # The call is credited to whoever made it: a team lead approving an unreachable case did not call.
    caller = task.done_by if task.done_by_id else (actor if getattr(actor, "pk", None) else None)
    _update(task, version, state=state, outcome=outcome, note=note or task.note, done_at=at, done_by=caller)
    agent = task.done_by_id or task.assignee_id
    callback_outcome_event(ticket=task.ticket, task=task, outcome=outcome, on_time=at <= task.due_at, agent_id=agent,
                           actor=actor, at=at)


def _close_if_loop_complete(ticket: Ticket, *, actor, at: dt.datetime) -> None:
    """Accepted: the ticket closes — unless a complaint still lacks its findings (then its handler closes it).

    A type whose lifecycle goes resolved → 回访 → closed (complaints) passes through 回访 here: the call happened."""
    ticket.refresh_from_db()
    allowed = ticket.ticket_type.allowed_next
    if Status.CLOSED not in allowed(ticket.status) and Status.CALLBACK in allowed(ticket.status):
        ticket = tickets.transition_ticket(actor=actor, ticket_id=ticket.pk, version=ticket.version,
                                           to=Status.CALLBACK, now=at)
    if Status.CLOSED not in allowed(ticket.status) or closed_loop_missing(ticket):
        return
    tickets.transition_ticket(actor=actor, ticket_id=ticket.pk, version=ticket.version, to=Status.CLOSED,
                              reason=str(_("Customer accepted the result on the callback.")), now=at)


def _not_accepted(task: CallbackTask, rule, *, actor, at: dt.datetime, note: str) -> None:
    """换时间换客服代表: another agent, another time. A complaint also goes back to its handler and up the ladder."""
    ticket = task.ticket
    excluded = sorted(set(task.excluded) | {task.done_by_id or task.assignee_id} - {None})
    if ticket.ticket_type.is_complaint:
        from kefu.sla.escalation import escalate_ticket

        ticket.refresh_from_db()
        tickets.reopen_ticket(actor=actor, ticket_id=ticket.pk, version=ticket.version, now=at,
                              reason=str(_("Customer did not accept the result on the callback: %(note)s"))
                              % {"note": note})
        # Already at the top of its ladder: the reopen alone stands.
        with contextlib.suppress(ValidationFailed):
            escalate_ticket(actor=actor, ticket_id=ticket.pk, reason=note)
        return
    create_task(ticket, reason=Reason.NOT_ACCEPTED, due_at=max(task.due_at, at), at=at, actor=actor,
                case=task.case, rule=rule, attempt=task.attempt + 1,
                not_before=at + dt.timedelta(minutes=rule.retry_minutes), excluded=excluded)


def _new_need(task: CallbackTask, data: OutcomeInput, *, actor, at: dt.datetime) -> None:
    """Answered on the phone: noted on the ticket. Otherwise a follow-up case for the team lead (TK5)."""
    ticket = task.ticket
    if data.answer:
        tickets.add_message(actor=actor, ticket_id=ticket.pk, kind="note", now=at,
                            body=str(_("New need raised on the callback, answered: %(answer)s")) % {
                                "answer": data.answer})
    if data.follow_up is None:
        return
    lead = (User.objects.filter(team_id=ticket.team_id, role=Role.TEAM_LEAD, is_active=True).order_by("pk").first()
            if ticket.team_id else None)
    try:
        case = tickets.create_ticket(actor=actor, now=at, data=tickets.TicketInput(
            type=data.follow_up.type, title=data.follow_up.title, description=data.follow_up.description,
            customer_id=ticket.customer_id, contact_phone=ticket.contact_phone, reporter_name=ticket.reporter_name,
            channel=ticket.channel, team_id=ticket.team_id, assignee_id=lead.pk if lead else None))
    except ValidationFailed as exc:  # name the field as the caller sent it
        exc.field = f"follow_up.{exc.field}" if exc.field else "follow_up"
        raise
    TicketLink.objects.create(source=case, target=ticket, kind=TicketLink.Kind.FOLLOW_UP, created_by=actor,
                              created_at=at)
    follow_up_case_event(ticket=ticket, case=case, task=task, actor=actor, at=at)


@transaction.atomic
def decide_unreachable(*, actor: User | None, task_id: int, version: int, approve: bool, reason: str = "",
                       now: dt.datetime | None = None) -> CallbackTask:
    """The team lead closes a case the customer could not be reached for, or orders one more attempt."""
    if actor is not None and actor.role not in CAN_SUPERVISE:
        raise Forbidden(_("Only a team lead or above approves closing an unreachable callback."),
                        code="cannot_approve")
    task = _load(actor, task_id)
    _check_version(task, version)
    if task.state != CallbackTask.State.AWAITING_APPROVAL:
        raise ValidationFailed(_("This callback does not wait for approval."), code="not_awaiting_approval",
                               field="task")
    reason = v.clean_text(reason, field="reason", limit=500)
    at = now or timezone.now()
    ticket = task.ticket
    if not approve:
        _finish(task, version, Outcome.UNREACHABLE, actor=actor, at=at)
        create_task(ticket, reason=Reason.UNREACHABLE, due_at=max(task.due_at, at), at=at, actor=actor,
                    case=task.case, rule=rule_of(task), attempt=task.attempt + 1, excluded=task.excluded)
        return task
    if not reason:
        raise ValidationFailed(_("Say why the callback is given up."), code="required", field="reason")
    _finish(task, version, Outcome.CLOSED_UNREACHABLE, actor=actor, at=at, note=reason)
    ticket.refresh_from_db()
    if ticket.ticket_type.is_complaint:  # nobody accepted: the closed-loop override, with the same reason
        tickets.override_close(actor=actor, ticket_id=ticket.pk, version=ticket.version, reason=reason, now=at)
    elif Status.CLOSED in ticket.ticket_type.allowed_next(ticket.status):
        tickets.transition_ticket(actor=actor, ticket_id=ticket.pk, version=ticket.version, to=Status.CLOSED,
                                  reason=reason, now=at)
    return task


def do_cancel_open_tasks(ticket: Ticket, *, at: dt.datetime) -> None:
    """The ticket was reopened or closed another way: its pending callbacks have nothing left to ask."""
    for task in CallbackTask.objects.filter(ticket_id=ticket.pk, state__in=[
            CallbackTask.State.OPEN, CallbackTask.State.AWAITING_APPROVAL]).select_related("ticket"):
        task.ticket = ticket
        _finish(task, task.version, Outcome.CANCELLED, actor=None, at=at, state=CallbackTask.State.CANCELLED)
