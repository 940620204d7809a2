"""Follow-up tasks on tickets (CH3: confirm by phone that a mail or fax arrived)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.core.errors import NotFound, ValidationFailed
from kefu.tickets import validation as v
from kefu.tickets.events import emit
from kefu.tickets.models import EventCode, FollowUp, Ticket
from kefu.tickets.services.common import load_ticket, require_handler


def do_create_follow_up(*, ticket: Ticket, kind: str, assignee: User | None, due_at: datetime,
                     actor: User | None = None, now: datetime | None = None) -> FollowUp:
    """Open a follow-up task; called by the system inside the transaction of the change that needs it."""
    at = now or timezone.now()
    task = FollowUp.objects.create(ticket=ticket, kind=kind, assignee=assignee, due_at=due_at, created_at=at)
    emit(ticket, EventCode.FOLLOW_UP_CREATED, actor=actor, at=at,
         params={"task": task.pk, "kind": kind, "assignee": assignee.pk if assignee else None,
                 "due": due_at.isoformat()})
    return task


@transaction.atomic
def complete_follow_up(*, actor: User | None, task_id: int, result: str, now: datetime | None = None) -> FollowUp:
    """Record that a follow-up was done and what came of it; a task is done once."""
    require_handler(actor)
    task = FollowUp.objects.select_related("ticket").filter(pk=task_id).first()
    if task is None:
        raise NotFound(_("No such task."), field="task")
    load_ticket(actor, task.ticket_id)  # the actor must be able to see the ticket
    result = v.clean_text(result, field="result", limit=500)
    if not result:
        raise ValidationFailed(_("Say what came of it."), code="required", field="result")
    at = now or timezone.now()
    done = FollowUp.objects.filter(pk=task.pk, done_at__isnull=True).update(
        done_at=at, done_by=actor if getattr(actor, "pk", None) else None, result=result)
    if not done:  # a colleague finished it a moment ago
        raise ValidationFailed(_("This task is already done."), code="already_done", field="task")
    emit(task.ticket, EventCode.FOLLOW_UP_DONE, actor=actor, at=at, params={"task": task.pk})
    task.refresh_from_db()
    return task
