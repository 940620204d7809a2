"""Background work of the SLA app: the sweeper, every minute. Thin: the logic is in kefu.sla.escalation."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kefu.sla.escalation import sweep


@db_periodic_task(crontab(minute="*"))
def sweep_sla_clocks():
    """Warn, breach and escalate whatever is due; idempotent and safe in several workers at once."""
    return sweep()
