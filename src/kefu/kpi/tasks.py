"""Background work of the KPIs: each night the days that have just settled are stored (kefu.kpi.store)."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone
from huey.contrib.djhuey import db_periodic_task

from kefu.kpi.store import settle_days, settled_until


def small_hours(dt: datetime) -> bool:
    """huey calls this every minute with the time in UTC; 02:30 in the center's zone, after the day's work."""
    local = timezone.localtime(dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt)
    return local.hour == 2 and local.minute == 30


@db_periodic_task(small_hours)
def settle_recent_days():
    """Idempotent: (re)stores the last few settled days, so a night the worker missed is caught up."""
    last = settled_until(timezone.now())
    return settle_days(since=last - timedelta(days=3))
