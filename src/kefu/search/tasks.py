"""Background work of the search app (huey): thin wrappers around kefu.search.pending and .services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from kefu.search.pending import drain
from kefu.search.services import run_reindex

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


@db_task()
def reindex_job(job_id: int) -> None:
    """Rebuild the index after a vocabulary change (kefu.search.services.run_reindex); not retried: a failed job
    is shown as failed and a new change or the button queues another."""
    run_reindex(job_id)
