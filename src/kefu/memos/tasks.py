"""Background work of memos: at the end of the local day, unanswered memos go to the next briefing."""

from datetime import UTC, datetime

from django.utils import timezone
from huey.contrib.djhuey import db_periodic_task

from kefu.memos.services import carry_over_unanswered


def end_of_local_day(dt: datetime) -> bool:
    """huey calls this every minute with the time in UTC (HUEY utc=True); the day ends in the center's zone."""
    local = timezone.localtime(dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt)
    return local.hour == 23 and local.minute == 55


@db_periodic_task(end_of_local_day)
def carry_over_memos():
    """Idempotent: running it twice moves each memo once."""
    return carry_over_unanswered()
