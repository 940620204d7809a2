"""Read queries for callbacks, all through CallbackTask.objects.visible_to(user)."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from kefu.accounts.roles import CAN_SUPERVISE
from kefu.callbacks.models import CallbackTask

LIST_LIMIT = 100


def _base(user):
    return (CallbackTask.objects.visible_to(user)
            .select_related("ticket", "ticket__ticket_type", "ticket__customer", "assignee", "team"))


def my_tasks(user):
    """The agent's own open callbacks: due first; those the customer asked to be called later come when due."""
    return _base(user).filter(assignee=user, state=CallbackTask.State.OPEN).order_by("due_at", "id")


def team_pool(user, *, now: dt.datetime | None = None):
    """Callbacks nobody has yet, of the user's team (a supervisor: every team), most urgent first."""
    at = now or timezone.now()
    qs = _base(user).filter(state=CallbackTask.State.OPEN, assignee__isnull=True)
    if user.role not in CAN_SUPERVISE or user.team_id:
        qs = qs.filter(team_id=user.team_id)
    return qs.filter(Q(not_before__isnull=True) | Q(not_before__lte=at)).order_by("due_at", "id")


def awaiting_approval(user):
    return _base(user).filter(state=CallbackTask.State.AWAITING_APPROVAL).order_by("done_at", "id")


def team_open(user):
    """Everything still to call in the lead's team, assigned or not (for reassigning)."""
    qs = _base(user).filter(state=CallbackTask.State.OPEN)
    if user.team_id:
        qs = qs.filter(team_id=user.team_id)
    return qs.order_by("due_at", "id")


def task_for(user, task_id: int) -> CallbackTask | None:
    return _base(user).filter(pk=task_id).first()


def history(ticket) -> list[CallbackTask]:
    return list(CallbackTask.objects.filter(ticket_id=ticket.pk).select_related("assignee", "done_by")
                .order_by("id")[:LIST_LIMIT])
