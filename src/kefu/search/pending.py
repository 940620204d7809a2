"""When documents are written: a change marks its object pending; the worker indexes pending objects in batches.

Segmenting a ticket's text (jieba) costs more than everything else creating it does, so it is not done inside
the change. The change only marks the object in `search_pending`, in its own transaction — a crash after the
commit loses nothing, a rollback marks nothing. After the commit, a huey task is scheduled a second ahead
(at most one a second per process: it indexes whatever is pending by then), and a periodic task picks up any
leftovers, so a new ticket is found within seconds. Tests, whose transactions never commit, set
SEARCH_INDEX_INLINE: the mark is drained at once inside the change.
"""

import threading
import time
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Q
from django.utils import timezone

from kefu.search import indexing
from kefu.search.models import Kind, PendingDocument, SearchDocument

DRAIN_DELAY = 1.0  # seconds between a commit and the drain it schedules
CLAIM_TIMEOUT = timedelta(minutes=5)  # a drain that died holding a claim: its objects are taken over after this


def _upsert_sql(connection) -> str:
    # Marking an object that is already pending clears its claim (see PendingDocument.claim). Identifiers come
    # from the model's metadata and are quoted; every value is a parameter. SQLite ≥ 3.24 and PostgreSQL.
    qn, meta = connection.ops.quote_name, PendingDocument._meta
    table = qn(meta.db_table)
    return (f"INSERT INTO {table} ({qn('kind')}, {qn('object_id')}, {qn('queued_at')}, {qn('claim')}, "  # noqa: S608
            f"{qn('claimed_at')}) VALUES (%s, %s, %s, NULL, NULL) ON CONFLICT ({qn('kind')}, {qn('object_id')}) "
            f"DO UPDATE SET {qn('queued_at')} = excluded.{qn('queued_at')}, {qn('claim')} = NULL, "
            f"{qn('claimed_at')} = NULL")


_sql: dict = {}


def mark(kind: str, object_id: int, *, now: datetime | None = None) -> None:
    """Mark an object's document out of date, inside the transaction that changed the object."""
    connection = connections[router.db_for_write(PendingDocument)]
    key = (connection.alias, connection.vendor)
    if key not in _sql:
        _sql[key] = _upsert_sql(connection)
    at = connection.ops.adapt_datetimefield_value(now or timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(_sql[key], [kind, object_id, at])
    if getattr(settings, "SEARCH_INDEX_INLINE", False):
        drain()
    else:
        transaction.on_commit(_schedule, using=connection.alias, robust=True)


# ----- scheduling the drain -----

_lock = threading.Lock()
_scheduled_until = 0.0  # monotonic time at which the drain this process scheduled last will start


def _schedule() -> None:
    """After a commit: make sure a drain starts after now. A drain already scheduled to start later than now
    (with a margin for the clocks of the worker and this process) will see this commit's marks."""
    global _scheduled_until
    with _lock:
        now = time.monotonic()
        if now < _scheduled_until - DRAIN_DELAY / 2:
            return
        _scheduled_until = now + DRAIN_DELAY
    from kefu.search.tasks import drain_pending  # the task module imports this one

    try:
        drain_pending.schedule(delay=DRAIN_DELAY)
    except Exception:
        _scheduled_until = 0.0  # the queue is down: try again on the next commit; the periodic drain remains
        raise


# ----- draining -----

# How the documents of a batch of each kind are made: the same queryset and document as `kefu search reindex`.
_LOADERS = {Kind.TICKET: (indexing._ticket_queryset, indexing.ticket_document)}


def _claim(batch: int, now: datetime) -> tuple[str, list[tuple[str, int]]]:
    token = uuid.uuid4().hex
    free = Q(claim__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT)
    ids = PendingDocument.objects.filter(free).order_by("id").values("id")[:batch]
    # The condition is repeated outside the subquery: a drain that lost the race for a row (PostgreSQL re-checks
    # a row it waited for against the outer condition only) must not take it over.
    PendingDocument.objects.filter(free, id__in=ids).update(claim=token, claimed_at=now)
    return token, list(PendingDocument.objects.filter(claim=token).values_list("kind", "object_id"))


def _write(token: str, rows: list[SearchDocument], claimed: list[tuple[str, int]]) -> int:
    """Write the documents whose objects are still claimed by `token`, and unmark them, in one transaction."""
    with transaction.atomic():
        # Locked (PostgreSQL), so a change marking one of these again waits for this commit and marks it anew.
        ours = set(PendingDocument.objects.select_for_update().filter(claim=token).values_list("kind", "object_id"))
        PendingDocument.objects.filter(claim=token).delete()
        for kind in {k for k, _id in claimed}:
            SearchDocument.objects.filter(kind=kind, object_id__in=[i for k, i in ours if k == kind]).delete()
        SearchDocument.objects.bulk_create([row for row in rows if (row.kind, row.object_id) in ours])
    return len(ours)


def drain(*, batch: int = 200, limit: int | None = None) -> int:
    """Index pending objects, `batch` per transaction, until none is left (or `limit`); returns how many.

    Safe in several workers at once: each batch is claimed with a conditional UPDATE, and the text is
    segmented outside the writing transaction, so creating tickets never waits for jieba."""
    done = 0
    while limit is None or done < limit:
        now = timezone.now()
        token, claimed = _claim(batch if limit is None else min(batch, limit - done), now)
        if not claimed:
            break
        rows = []
        for kind in {k for k, _id in claimed}:
            queryset, to_document = _LOADERS[kind]
            objects = queryset().filter(pk__in=[i for k, i in claimed if k == kind])
            # A deleted object is simply not found: its old document is removed and none is written.
            rows += [indexing.build_row(to_document(obj), now=now) for obj in objects]
        done += _write(token, rows, claimed)
    return done


def pending_count() -> int:
    return PendingDocument.objects.count()

