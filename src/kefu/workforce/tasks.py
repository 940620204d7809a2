"""Background work of workforce planning: weekly scheduling runs and forecast backtests in the worker."""

from huey.contrib.djhuey import db_task

from kefu.workforce.services import execute_backtest, execute_run


@db_task(retries=0)
def make_schedule(run_id: int):
    """Idempotent: a run already claimed (or finished) is left alone by execute_run's conditional update."""
    execute_run(run_id=run_id)


@db_task(retries=0)
def run_backtest(run_id: int):
    """Idempotent like make_schedule: only the worker whose conditional update claims the run scores it."""
    execute_backtest(run_id=run_id)
