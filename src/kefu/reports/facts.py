"""Turning callback and survey events into report facts; the listener and `kefu reports rebuild` share it.

`apply_event` is the only writer of the fact tables. It runs in the transaction of the event it reads (the
listener) or in a rebuild batch that replays a ticket's events in the order they were written (by id), so
both produce the same rows. Malformed params are skipped with a warning, never raised: the event contract
belongs to other apps, and a report must not make a callback fail.
"""

import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from kefu.reports.models import OUTCOMES, REACHED_OUTCOMES, CallbackAttempt, CallbackCase, CaseState, SurveyAnswer
from kefu.tickets.models import EventCode, TicketEvent

log = logging.getLogger(__name__)

CODES = (EventCode.CALLBACK_SCHEDULED, EventCode.CALLBACK_ASSIGNED, EventCode.CALLBACK_OUTCOME,
         EventCode.SURVEY_ANSWERED)


def local_month(at: datetime) -> date:
    """The first day of the month `at` falls in, in the center's time zone (settings.TIME_ZONE)."""
    return at.astimezone(ZoneInfo(settings.TIME_ZONE)).date().replace(day=1)


def on_ticket_event(ticket, event: TicketEvent) -> None:
    """Listener for kefu.tickets.events: keep the facts in step, inside the event's transaction."""
    if event.code in CODES:
        apply_event(event)


def apply_event(event: TicketEvent) -> None:
    """Update the fact tables for one callback or survey event."""
    params = event.params if isinstance(event.params, dict) else {}
    handler = _HANDLERS.get(event.code)
    if handler is not None and not handler(event, params):
        log.warning("reports: skipped event %s (%s) with unusable params", event.pk, event.code)


def _int(params: dict, key: str) -> int | None:
    value = params.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _time(params: dict, key: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(params[key])
    except (KeyError, TypeError, ValueError):
        return None
    return value if timezone.is_aware(value) else timezone.make_aware(value, ZoneInfo(settings.TIME_ZONE))


def _scheduled(event: TicketEvent, params: dict) -> bool:
    task = _int(params, "task")
    if task is None:
        return False
    reason = params.get("reason") if isinstance(params.get("reason"), str) else ""
    due = _time(params, "due") or event.created_at
    if reason == "resolved":
        case, _created = CallbackCase.objects.get_or_create(first_task=task, defaults={
            "ticket_id": event.ticket_id, "started_at": event.created_at, "first_due": due,
            "month": local_month(due)})
    else:  # a further attempt belongs to the ticket's latest case (cases of one ticket follow each other)
        case = CallbackCase.objects.filter(ticket_id=event.ticket_id).order_by("-id").first()
    CallbackAttempt.objects.update_or_create(task=task, defaults={
        "ticket_id": event.ticket_id, "case": case, "attempt": _int(params, "attempt") or 1,
        "reason": reason[:20], "due": due})
    return True


def _attempt(event: TicketEvent, task: int) -> CallbackAttempt:
    # Events of one task arrive scheduled → assigned → outcome; get_or_create still copes with a task whose
    # scheduling event was lost, so its outcome is counted (without a case).
    attempt, _created = CallbackAttempt.objects.select_related("case").get_or_create(
        task=task, defaults={"ticket_id": event.ticket_id})
    return attempt


def _assigned(event: TicketEvent, params: dict) -> bool:
    task, agent = _int(params, "task"), _int(params, "agent")
    if task is None or agent is None:
        return False
    attempt = _attempt(event, task)
    attempt.agent_id = agent
    attempt.save(update_fields=["agent"])
    if attempt.case_id:
        CallbackCase.objects.filter(pk=attempt.case_id, state=CaseState.OPEN).update(agent_id=agent)
    return True


def _outcome(event: TicketEvent, params: dict) -> bool:
    task, outcome = _int(params, "task"), params.get("outcome")
    if task is None or outcome not in OUTCOMES:
        return False
    attempt = _attempt(event, task)
    agent = _int(params, "agent") or attempt.agent_id or event.actor_id
    attempt.outcome, attempt.reached = outcome, outcome in REACHED_OUTCOMES
    attempt.on_time, attempt.agent_id = params.get("on_time") is True, agent
    attempt.outcome_at, attempt.month = event.created_at, local_month(event.created_at)
    if _int(params, "attempt"):
        attempt.attempt = _int(params, "attempt")
    attempt.save()
    if attempt.case_id:
        ended = {"state": CaseState.REACHED, "ended_at": event.created_at} if attempt.reached else \
            {"state": CaseState.CLOSED_UNREACHABLE, "ended_at": event.created_at} \
            if outcome == "closed_unreachable" else {}
        # Only an open case changes: once reached, a later retry (after "not accepted") does not move it.
        CallbackCase.objects.filter(pk=attempt.case_id, state=CaseState.OPEN).update(agent_id=agent, **ended)
    return True


def _answered(event: TicketEvent, params: dict) -> bool:
    response = _int(params, "response")
    if response is None:
        return False
    csat, nps = _int(params, "csat"), _int(params, "nps")
    via = params.get("via") if isinstance(params.get("via"), str) else ""
    SurveyAnswer.objects.update_or_create(response=response, defaults={
        "ticket_id": event.ticket_id, "questionnaire": _int(params, "questionnaire"), "via": via[:20],
        "csat": csat if csat is not None and 1 <= csat <= 5 else None,
        "nps": nps if nps is not None and nps <= 10 else None,
        "agent_id": _int(params, "agent"), "answered_at": event.created_at,
        "month": local_month(event.created_at)})
    return True


_HANDLERS = {
    EventCode.CALLBACK_SCHEDULED: _scheduled,
    EventCode.CALLBACK_ASSIGNED: _assigned,
    EventCode.CALLBACK_OUTCOME: _outcome,
    EventCode.SURVEY_ANSWERED: _answered,
}


def clear_tickets(ticket_ids) -> None:
    """Remove every fact of these tickets (a rebuild then replays their events)."""
    SurveyAnswer.objects.filter(ticket_id__in=ticket_ids).delete()
    CallbackAttempt.objects.filter(ticket_id__in=ticket_ids).delete()
    CallbackCase.objects.filter(ticket_id__in=ticket_ids).delete()


