"""The callback events on a ticket's history (CB1–CB3): their codes, their params, one constructor each.

The params are the contract the KPI reports are computed from (kefu.reports.facts reads them through the
`*Params` definitions below), so add keys, never rename them.
"""

import datetime as dt
from typing import TypedDict

from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.tickets.events import emit


class CallbackEventCode(models.TextChoices):
    """What happens to a ticket's callbacks; registered with kefu.tickets.events by CallbacksConfig.ready()."""

    CALLBACK_SCHEDULED = "callback_scheduled", _("Callback scheduled")
    CALLBACK_ASSIGNED = "callback_assigned", _("Callback assigned")
    CALLBACK_OUTCOME = "callback_outcome", _("Callback made")
    FOLLOW_UP_CASE = "follow_up_case", _("Follow-up case opened")


class ScheduledParams(TypedDict):
    task: int  # the CallbackTask
    case: int  # the first task of its case (retries share it)
    due: str  # ISO datetime the callback is due by
    scheduled_for: str | None  # ISO datetime the customer asked to be called from, if any
    attempt: int  # 1 for the first call of a case
    reason: str  # kefu.callbacks.models.Reason


class AssignedParams(TypedDict):
    task: int
    agent: int  # the user who will call
    pulled: bool  # taken from the shared queue rather than given by a lead


class OutcomeParams(TypedDict):
    task: int
    case: int
    outcome: str  # kefu.callbacks.models.Outcome
    attempt: int
    on_time: bool  # made before the task's due time
    agent: int | None  # who made the call (or held the task)


class FollowUpCaseParams(TypedDict):
    other: int  # the new ticket opened for a dissatisfied customer
    task: int


def callback_scheduled_event(*, ticket, task, due: dt.datetime, scheduled_for: dt.datetime | None, attempt: int,
                             reason: str, actor, at: dt.datetime):
    """A callback task was created for the ticket."""
    params: ScheduledParams = {"task": task.pk, "case": task.case_id, "due": due.isoformat(),
                               "scheduled_for": scheduled_for.isoformat() if scheduled_for else None,
                               "attempt": attempt, "reason": reason}
    return emit(ticket, CallbackEventCode.CALLBACK_SCHEDULED, actor=actor, at=at, params=dict(params))


def callback_assigned_event(*, ticket, task, agent_id: int, pulled: bool, actor, at: dt.datetime):
    """A callback task got the agent who will make the call."""
    params: AssignedParams = {"task": task.pk, "agent": agent_id, "pulled": pulled}
    return emit(ticket, CallbackEventCode.CALLBACK_ASSIGNED, actor=actor, at=at, params=dict(params))


def callback_outcome_event(*, ticket, task, outcome: str, on_time: bool, agent_id: int | None, actor,
                           at: dt.datetime):
    """A callback task ended: the call's outcome, or cancelled."""
    params: OutcomeParams = {"task": task.pk, "case": task.case_id, "outcome": outcome, "attempt": task.attempt,
                             "on_time": on_time, "agent": agent_id}
    return emit(ticket, CallbackEventCode.CALLBACK_OUTCOME, actor=actor, at=at, params=dict(params))


def follow_up_case_event(*, ticket, case, task, actor, at: dt.datetime):
    """A dissatisfied callback opened a new ticket linked to this one."""
    params: FollowUpCaseParams = {"other": case.pk, "task": task.pk}
    return emit(ticket, CallbackEventCode.FOLLOW_UP_CASE, actor=actor, at=at, params=dict(params))
