"""Background work of the shift logs: unacknowledged handover items escalated to the team lead."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kefu.shiftlog.services import escalate_unacknowledged


@db_periodic_task(crontab(minute="*/5"))
def escalate_handovers():
    """Idempotent: each item is escalated once, claimed by a conditional update."""
    escalate_unacknowledged()
