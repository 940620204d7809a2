"""Every change to notifications: queue one, deliver it (from the worker), mark it read, retry, sweep."""

import logging
import traceback
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.db import connections, router, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.core.errors import Forbidden, NotFound, ValidationFailed
from kefu.notify import validation as v
from kefu.notify.backends import PermanentFailure, TemporaryFailure, sms_backend
from kefu.notify.backends.mail import send_email
from kefu.notify.backends.templates import template_for, template_values
from kefu.notify.models import Channel, DeliveryStatus, Notification
from kefu.tickets.models import Ticket

logger = logging.getLogger("kefu.notify")

# A delivery that has not moved for this long lost its worker or its queued task (see sweep below).
STALLED_AFTER = timedelta(minutes=10)
CLAIMABLE = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)


def require_supervisor(actor: User | None) -> None:
    # actor=None is the operator at the command line or a trusted system task.
    if actor is not None and not actor.can_supervise():
        raise Forbidden(_("Only team leads and supervisors can follow up deliveries."), code="cannot_supervise")


def _enqueue(notification_id: int) -> None:
    from kefu.notify.tasks import send_notification  # the task module imports this one

    send_notification(notification_id)


def _send_after_commit(notification_id: int) -> None:
    # After commit, so that a rolled-back change announces nothing. robust: if the queue is down, the
    # caller's committed change still succeeds; the row stays pending and the sweep enqueues it again.
    transaction.on_commit(partial(_enqueue, notification_id), robust=True)


@dataclass
class NotificationInput:
    """One message for one recipient, as queue_notification() takes it; `optional` drops it if invalid."""

    channel: str
    kind: str
    subject: str
    body: str
    recipient: User | None = None
    address: str = ""
    ticket: Ticket | None = None
    params: dict | None = None
    optional: bool = False  # e.g. an SMS to a user whose mobile on record is malformed: skip it, keep the rest


def _values(item: NotificationInput, at: datetime) -> dict:
    """The checked column values of one message (attname → value); raises ValidationFailed naming the field."""
    channel = v.clean_channel(item.channel)
    kind = v.clean_kind(item.kind)
    address = v.clean_address(channel, item.recipient, item.address)
    subject, body = v.clean_text(item.subject, item.body)
    in_app = channel == Channel.IN_APP
    return {
        "recipient_id": item.recipient.pk if item.recipient else None, "channel": channel, "address": address,
        "kind": kind, "subject": subject, "body": body, "params": v.clean_params(item.params),
        "ticket_id": item.ticket.pk if item.ticket else None,
        # The inbox is the delivery: an in-app message is sent the moment it exists.
        "status": DeliveryStatus.SENT if in_app else DeliveryStatus.PENDING, "attempts": 0, "last_error": "",
        "created_at": at, "updated_at": at, "sent_at": at if in_app else None, "read_at": None,
    }


def _build(item: NotificationInput, at: datetime) -> Notification:
    values = _values(item, at)
    del values["recipient_id"], values["ticket_id"]
    return Notification(recipient=item.recipient, ticket=item.ticket, **values)


@transaction.atomic
def queue_notification(*, recipient: User | None = None, channel: str, address: str = "", kind: str,
                       subject: str, body: str, ticket: Ticket | None = None, params: dict | None = None,
                       now: datetime | None = None) -> Notification:
    """Store one message for one recipient; email and SMS go to the worker once the caller commits."""
    notification = _build(NotificationInput(
        recipient=recipient, channel=channel, address=address, kind=kind, subject=subject, body=body,
        ticket=ticket, params=params), now or timezone.now())
    notification.save(force_insert=True)
    if notification.channel != Channel.IN_APP:
        _send_after_commit(notification.pk)
    return notification


@transaction.atomic
def queue_notifications(*, items: list[NotificationInput], now: datetime | None = None) -> list[int]:
    """Store many messages in one INSERT and return their ids; email and SMS go to the worker after commit.

    All or nothing like queue_notification(), except that an invalid item marked `optional` is left out (and
    has no id in the answer). Each email/SMS is still its own task (its own claim and retries); they are
    enqueued by one after-commit step instead of one per message."""
    at = now or timezone.now()
    values = []
    for item in items:
        try:
            values.append(_values(item, at))
        except ValidationFailed:
            if not item.optional:
                raise
    ids = _insert_all([Notification(**row) for row in values])
    outgoing = [pk for pk, row in zip(ids, values, strict=True) if row["channel"] != Channel.IN_APP]
    if outgoing:
        transaction.on_commit(partial(_enqueue_all, outgoing), robust=True)
    return ids


def _insert_all(rows: list[Notification]) -> list[int]:
    """One INSERT per 500 rows where the database answers their ids (SQLite 3.35+, PostgreSQL), else one each."""
    if connections[router.db_for_write(Notification)].features.can_return_rows_from_bulk_insert:
        Notification.objects.bulk_create(rows, batch_size=500)
    else:
        for row in rows:
            row.save(force_insert=True)
    return [row.pk for row in rows]


def _enqueue_all(notification_ids: list[int]) -> None:
    # One failed enqueue must not keep the others from the queue; a row left pending is re-enqueued by the sweep.
    for pk in notification_ids:
        try:
            _enqueue(pk)
        except Exception:
            logger.exception("notification %s: could not enqueue; the stalled-delivery sweep will retry", pk)


def _scrub(notification: Notification, text: str) -> str:
    """The error text without the address: vendors and mail servers like to quote it back."""
    if notification.address:
        text = text.replace(notification.address, notification.masked_address)
    return text[:500]


def _deliver(notification: Notification) -> None:
    if notification.channel == Channel.EMAIL:
        send_email(notification.address, notification.subject, notification.body)
        return
    try:
        template = template_for(notification.kind)
    except ValueError as exc:
        raise PermanentFailure(str(exc), code="config") from None
    values = template_values(template, notification.params, subject=notification.subject, text=notification.body)
    sms_backend().send(notification.address, template.code if template else "", values, notification.body)


def _where(exc: Exception) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    return f"{frame.filename}:{frame.lineno} ({frame.name})"


def _record_failure(notification: Notification, status: str, error: str) -> None:
    Notification.objects.filter(pk=notification.pk, status=DeliveryStatus.SENDING).update(
        status=status, last_error=error, updated_at=timezone.now())
    logger.warning("notification %s (%s, attempt %s): %s — %s", notification.pk, notification.channel,
                   notification.attempts, status, error)


def deliver_notification(*, notification_id: int, final: bool = True) -> str:
    """Send one queued email or SMS once; returns sent / failed / skipped, raises TemporaryFailure to retry.

    `final` says whether the worker will try again after a temporary failure; on the last try the
    notification is marked failed instead.
    """
    # The same id can reach two workers at once (a duplicate enqueue, a sweep, a supervisor's retry). The
    # conditional UPDATE lets exactly one of them claim the row; the other sees 0 rows and leaves, so a
    # message is never sent twice. It is not inside a transaction on purpose: the claim must be visible
    # to other workers while this one waits for the vendor.
    claimed = Notification.objects.filter(pk=notification_id, status__in=CLAIMABLE).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, updated_at=timezone.now())
    if not claimed:
        return "skipped"
    notification = Notification.objects.get(pk=notification_id)
    try:
        _deliver(notification)
    except PermanentFailure as exc:
        _record_failure(notification, DeliveryStatus.FAILED, _scrub(notification, str(exc)))
        return "failed"
    except Exception as exc:
        # TemporaryFailure, or anything unexpected (a bug, a library error): both may pass on a later try,
        # and neither may leave the row in "sending". Of an unexpected error only the type and the place
        # are kept: its text could hold personal data.
        if isinstance(exc, TemporaryFailure):
            error = _scrub(notification, str(exc))
        else:
            error = f"unexpected error: {type(exc).__name__}"
            logger.error("notification %s: %s in %s", notification.pk, error, _where(exc))
        _record_failure(notification, DeliveryStatus.FAILED if final else DeliveryStatus.RETRYING, error)
        if final:
            return "failed"
        # A fresh exception without the original chained to it: the worker logs the traceback.
        raise TemporaryFailure(error) from None
    now = timezone.now()
    Notification.objects.filter(pk=notification.pk, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.SENT, sent_at=now, last_error="", updated_at=now)
    logger.info("notification %s (%s) sent after %s attempt(s)", notification.pk, notification.channel,
                notification.attempts)
    return "sent"


@transaction.atomic
def mark_read(*, actor: User, notification_id: int, now: datetime | None = None) -> Notification:
    """Mark one of the actor's own in-app notifications read (again is harmless)."""
    notification = (Notification.objects.visible_to(actor)
                    .filter(pk=notification_id, recipient_id=getattr(actor, "pk", None), channel=Channel.IN_APP)
                    .first())
    if notification is None:
        raise NotFound(_("No such notification."), field="notification")
    at = now or timezone.now()
    # Conditional, so that the first reading time stays when two tabs mark it at once.
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=at, updated_at=at)
    notification.refresh_from_db()
    return notification


@transaction.atomic(durable=True)
def retry_notification(*, actor: User | None, notification_id: int, now: datetime | None = None) -> Notification:
    """Queue a failed email or SMS again (a supervisor fixed the address, the account or the vendor)."""
    require_supervisor(actor)
    qs = Notification.objects.all() if actor is None else Notification.objects.visible_to(actor)
    notification = qs.filter(pk=notification_id).first()
    if notification is None:
        raise NotFound(_("No such notification."), field="notification")
    at = now or timezone.now()
    # Two supervisors may press retry together: only one of them moves it from failed, so it goes out once.
    requeued = Notification.objects.filter(pk=notification.pk, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.PENDING, updated_at=at)
    if not requeued:
        raise ValidationFailed(_("Only a failed notification can be sent again."), code="not_failed",
                               field="status", params={"status": notification.status})
    _send_after_commit(notification.pk)
    notification.refresh_from_db()
    return notification


@transaction.atomic(durable=True)
def sweep_stalled_notifications(*, now: datetime | None = None) -> dict[str, int]:
    """Enqueue deliveries whose task was lost; fail the ones a worker dropped mid-send, so they show."""
    at = now or timezone.now()
    stalled = Notification.objects.filter(updated_at__lt=at - STALLED_AFTER)
    # Pending or retrying and not touched for this long: the queue was down at commit time, or lost the
    # task or its scheduled retry. Enqueueing again is safe even if the old task still turns up, because
    # the claim lets only one of them send.
    lost = list(stalled.filter(status__in=CLAIMABLE).order_by("updated_at").values_list("pk", flat=True)[:500])
    Notification.objects.filter(pk__in=lost).update(updated_at=at)
    for pk in lost:
        _send_after_commit(pk)
    # "sending" for this long means the worker died mid-send: the message may have gone out, so it is
    # not resent blindly. It becomes failed, which a supervisor sees and can retry.
    failed = stalled.filter(status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.FAILED, updated_at=at,
        last_error="interrupted: the worker stopped while sending; it may have been delivered")
    return {"requeued": len(lost), "failed": failed}
