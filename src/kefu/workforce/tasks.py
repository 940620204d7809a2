"""Background work of workforce planning: weekly scheduling runs in the worker."""

from huey.contrib.djhuey import db_task

from kefu.workforce.services import execute_run


@db_task(retries=0)
def make_schedule(run_id: int):
    """Idempotent: a run already claimed (or finished) is left alone by execute_run's conditional update."""
    execute_run(run_id=run_id)
