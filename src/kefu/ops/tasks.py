"""The worker's operations jobs: the nightly backup with retention, the personal-data retention schedules,
and expiring stored API answers."""

import logging

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kefu.api.idempotency import purge
from kefu.ops import backup, retention

logger = logging.getLogger(__name__)


def _backup_due(dt) -> bool:
    # huey's clock is UTC; the hour is the center's local hour.
    from django.utils import timezone

    local = timezone.localtime(dt.replace(tzinfo=timezone.UTC)) if dt.tzinfo is None else timezone.localtime(dt)
    return settings.KEFU_BACKUP_HOUR >= 0 and local.hour == settings.KEFU_BACKUP_HOUR and local.minute == 0


@db_periodic_task(_backup_due)
def nightly_backup():
    """Back the database up and prune old backups (KEFU_BACKUP_KEEP_DAYS, keeping KEFU_BACKUP_KEEP_MIN)."""
    result = backup.backup()
    removed = backup.prune()
    logger.info("backup written: %s (%d bytes), %d old backups removed", result.path, result.bytes, len(removed))


@db_periodic_task(crontab(minute="17"))
def purge_idempotency_keys():
    """Forget stored API answers older than 24 hours."""
    purge()


def _retention_due(dt) -> bool:
    from django.utils import timezone

    local = timezone.localtime(dt.replace(tzinfo=timezone.UTC)) if dt.tzinfo is None else timezone.localtime(dt)
    return local.hour == 3 and local.minute == 30  # the center's quiet hour, after the backup


@db_periodic_task(_retention_due)
def apply_retention():
    """Remove personal data past its retention schedule (KEFU_RETAIN_*_DAYS); statistics stay."""
    result = retention.apply_schedules()
    logger.info("retention applied: %s", result.counts)
