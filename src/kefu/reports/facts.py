"""Turning callback and survey events into report facts; the listener and `kefu reports rebuild` share it.

The rules are written once (`apply_event`) over a store: `DatabaseStore` reads and writes rows one event at a
time, inside the transaction of the event (the listener); `MemoryStore` replays a batch of tickets' events
in the order they were written (by id) and then inserts the rows in bulk (the rebuild). Both apply the same
rules to the same events in the same order, so they produce the same rows. Malformed params are skipped
with a warning, never raised: the event contract belongs to other apps, and a report must not make a
callback fail.
"""

import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from kefu.callbacks.events import CallbackEventCode
from kefu.reports.models import OUTCOMES, REACHED_OUTCOMES, CallbackAttempt, CallbackCase, CaseState, SurveyAnswer
from kefu.surveys.events import SurveyEventCode
from kefu.tickets.models import TicketEvent

log = logging.getLogger(__name__)

# The params of each are defined next to their code: kefu.callbacks.events (ScheduledParams, AssignedParams,
# OutcomeParams) and kefu.surveys.events (AnsweredParams).
CODES = (CallbackEventCode.CALLBACK_SCHEDULED, CallbackEventCode.CALLBACK_ASSIGNED, CallbackEventCode.CALLBACK_OUTCOME,
         SurveyEventCode.SURVEY_ANSWERED)


def local_month(at: datetime) -> date:
    """The first day of the month `at` falls in, in the center's time zone (settings.TIME_ZONE)."""
    return at.astimezone(ZoneInfo(settings.TIME_ZONE)).date().replace(day=1)


class DatabaseStore:
    """Facts read and saved row by row, in the transaction of the event being applied."""

    def case(self, ticket_id: int, first_task: int) -> CallbackCase | None:
        return CallbackCase.objects.filter(ticket_id=ticket_id, first_task=first_task).first()

    def latest_case(self, ticket_id: int) -> CallbackCase | None:
        return CallbackCase.objects.filter(ticket_id=ticket_id).order_by("-id").first()

    def attempt(self, ticket_id: int, task: int) -> CallbackAttempt | None:
        return CallbackAttempt.objects.select_related("case").filter(ticket_id=ticket_id, task=task).first()

    def answer(self, ticket_id: int, response: int) -> SurveyAnswer | None:
        return SurveyAnswer.objects.filter(ticket_id=ticket_id, response=response).first()

    def save(self, obj, fields: list[str] | None = None) -> None:
        # Only the changed columns, so that two events of one case in concurrent transactions (an outcome
        # and a reassignment) do not overwrite each other's columns.
        obj.save(update_fields=fields if obj.pk and fields else None)


class MemoryStore:
    """Facts of a batch of tickets kept in memory while their events are replayed, then inserted in bulk."""

    def __init__(self):
        self.cases: dict[tuple[int, int], CallbackCase] = {}
        self.by_ticket: dict[int, list[CallbackCase]] = {}
        self.attempts: dict[tuple[int, int], CallbackAttempt] = {}
        self.answers: dict[tuple[int, int], SurveyAnswer] = {}

    def case(self, ticket_id: int, first_task: int) -> CallbackCase | None:
        return self.cases.get((ticket_id, first_task))

    def latest_case(self, ticket_id: int) -> CallbackCase | None:
        cases = self.by_ticket.get(ticket_id)
        return cases[-1] if cases else None

    def attempt(self, ticket_id: int, task: int) -> CallbackAttempt | None:
        return self.attempts.get((ticket_id, task))

    def answer(self, ticket_id: int, response: int) -> SurveyAnswer | None:
        return self.answers.get((ticket_id, response))

    def save(self, obj, fields: list[str] | None = None) -> None:
        if isinstance(obj, CallbackCase) and (obj.ticket_id, obj.first_task) not in self.cases:
            self.cases[obj.ticket_id, obj.first_task] = obj
            self.by_ticket.setdefault(obj.ticket_id, []).append(obj)
        elif isinstance(obj, CallbackAttempt):
            self.attempts[obj.ticket_id, obj.task] = obj
        elif isinstance(obj, SurveyAnswer):
            self.answers[obj.ticket_id, obj.response] = obj

    def flush(self) -> None:
        """Insert everything: cases first, so that the attempts can point at them."""
        CallbackCase.objects.bulk_create(self.cases.values(), batch_size=500)
        for attempt in self.attempts.values():
            attempt.case = attempt.case  # copies the case's new id into case_id
        CallbackAttempt.objects.bulk_create(self.attempts.values(), batch_size=500)
        SurveyAnswer.objects.bulk_create(self.answers.values(), batch_size=500)


_database = DatabaseStore()


def on_ticket_event(ticket, event: TicketEvent) -> None:
    """Listener for kefu.tickets.events (heard for CODES only): keep the facts in step, inside the event's
    transaction."""
    apply_event(event)


def apply_event(event: TicketEvent, store=_database) -> None:
    """Update the facts for one callback or survey event."""
    params = event.params if isinstance(event.params, dict) else {}
    handler = _HANDLERS.get(event.code)
    if handler is not None and not handler(store, event, params):
        log.warning("reports: skipped event %s (%s) with unusable params", event.pk, event.code)


def _int(params: dict, key: str) -> int | None:
    value = params.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _str(params: dict, key: str) -> str:
    value = params.get(key)
    return value[:20] if isinstance(value, str) else ""


def _time(params: dict, key: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(params[key])
    except (KeyError, TypeError, ValueError):
        return None
    return value if timezone.is_aware(value) else timezone.make_aware(value, ZoneInfo(settings.TIME_ZONE))


def _attempt(store, event: TicketEvent, task: int) -> CallbackAttempt:
    # Events of one task arrive scheduled → assigned → outcome; a task whose scheduling event is missing
    # still gets a row, so its outcome is counted (without a case).
    return store.attempt(event.ticket_id, task) or CallbackAttempt(task=task, ticket_id=event.ticket_id)


def _scheduled(store, event: TicketEvent, params: dict) -> bool:
    task = _int(params, "task")
    if task is None:
        return False
    reason, due = _str(params, "reason"), _time(params, "due") or event.created_at
    if reason == "resolved":
        case = store.case(event.ticket_id, task)
        if case is None:
            case = CallbackCase(ticket_id=event.ticket_id, first_task=task, started_at=event.created_at,
                                first_due=due, month=local_month(due))
            store.save(case)
    elif _int(params, "case") is not None:  # the case named by its first task (kefu.callbacks sends it)
        case = store.case(event.ticket_id, _int(params, "case"))
    else:  # else a further attempt belongs to the ticket's latest case (cases of one ticket follow each other)
        case = store.latest_case(event.ticket_id)
    attempt = _attempt(store, event, task)
    attempt.case, attempt.attempt, attempt.reason, attempt.due = case, _int(params, "attempt") or 1, reason, due
    store.save(attempt, ["case", "attempt", "reason", "due"])
    return True


def _assigned(store, event: TicketEvent, params: dict) -> bool:
    task, agent = _int(params, "task"), _int(params, "agent")
    if task is None or agent is None:
        return False
    attempt = _attempt(store, event, task)
    attempt.agent_id = agent
    store.save(attempt, ["agent"])
    if attempt.case is not None and attempt.case.state == CaseState.OPEN:
        attempt.case.agent_id = agent
        store.save(attempt.case, ["agent"])
    return True


def _outcome(store, event: TicketEvent, params: dict) -> bool:
    task, outcome = _int(params, "task"), params.get("outcome")
    if task is None or outcome not in OUTCOMES:
        return False
    attempt = _attempt(store, event, task)
    agent = _int(params, "agent") or attempt.agent_id or event.actor_id
    if outcome == "closed_unreachable" and attempt.agent_id:
        # Closing is the team lead's approval, not a call (kefu.callbacks names the lead as its agent): the
        # attempt and its case stay with the agent who made the last call.
        agent = attempt.agent_id
    attempt.outcome, attempt.reached = outcome, outcome in REACHED_OUTCOMES
    attempt.on_time, attempt.agent_id = params.get("on_time") is True, agent
    attempt.outcome_at, attempt.month = event.created_at, local_month(event.created_at)
    attempt.attempt = _int(params, "attempt") or attempt.attempt
    store.save(attempt, ["outcome", "reached", "on_time", "agent", "outcome_at", "month", "attempt"])
    case = attempt.case
    # Only an open case changes: once reached, a later retry (after "not accepted") does not move it.
    if case is not None and case.state == CaseState.OPEN:
        case.agent_id = agent
        if attempt.reached or outcome in _ENDINGS:
            case.state = CaseState.REACHED if attempt.reached else _ENDINGS[outcome]
            case.ended_at = event.created_at
        store.save(case, ["agent", "state", "ended_at"])
    return True


_ENDINGS = {"closed_unreachable": CaseState.CLOSED_UNREACHABLE, "cancelled": CaseState.CANCELLED}


def _answered(store, event: TicketEvent, params: dict) -> bool:
    response = _int(params, "response")
    if response is None:
        return False
    csat, nps = _int(params, "csat"), _int(params, "nps")
    answer = store.answer(event.ticket_id, response) or SurveyAnswer(response=response, ticket_id=event.ticket_id)
    answer.questionnaire, answer.via = _int(params, "questionnaire"), _str(params, "via")
    answer.csat = csat if csat is not None and 1 <= csat <= 5 else None
    answer.nps = nps if nps is not None and nps <= 10 else None
    answer.agent_id, answer.answered_at = _int(params, "agent"), event.created_at
    answer.month = local_month(event.created_at)
    store.save(answer)
    return True


_HANDLERS = {
    CallbackEventCode.CALLBACK_SCHEDULED: _scheduled,
    CallbackEventCode.CALLBACK_ASSIGNED: _assigned,
    CallbackEventCode.CALLBACK_OUTCOME: _outcome,
    SurveyEventCode.SURVEY_ANSWERED: _answered,
}


def clear_tickets(ticket_ids) -> None:
    """Remove every fact of these tickets (a rebuild then replays their events)."""
    SurveyAnswer.objects.filter(ticket_id__in=ticket_ids).delete()
    CallbackAttempt.objects.filter(ticket_id__in=ticket_ids).delete()
    CallbackCase.objects.filter(ticket_id__in=ticket_ids).delete()
