"""Background work of the search app (huey): thin wrappers around kefu.search.pending.drain."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from kefu.search.pending import drain

RETRIES = 3  # a locked database or a lost connection: the pending marks stay, so trying again is safe
RETRY_DELAY = 5


@db_task(retries=RETRIES, retry_delay=RETRY_DELAY)
def drain_pending() -> int:
    """Index the tickets changed since the last drain; scheduled a second after each commit that marked one."""
    return drain()


@db_periodic_task(crontab(minute="*"))
def drain_pending_leftovers() -> int:
    """Every minute: whatever no scheduled drain took (the queue was down, a worker died holding a claim)."""
    return drain()
