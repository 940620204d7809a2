"""Background work for notifications (huey): thin wrappers around the services, retries explicit."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from kefu.notify import services

RETRIES = 5  # after the first try: six tries over about three minutes, then the notification is failed
RETRY_DELAY = 30  # seconds; SMS vendors limit one message a minute per number


@db_task(retries=RETRIES, retry_delay=RETRY_DELAY, context=True)
def send_notification(notification_id: int, task=None) -> None:
    """Deliver one email or SMS; a TemporaryFailure propagates so that huey tries again later."""
    # task.retries counts the tries left after this one; without a task (called directly) this is the last.
    services.deliver_notification(notification_id=notification_id, final=task is None or not task.retries)


@db_periodic_task(crontab(minute="*/5"))
def sweep_notifications() -> None:
    """Every five minutes: re-enqueue lost deliveries, fail interrupted ones."""
    services.sweep_stalled_notifications()
