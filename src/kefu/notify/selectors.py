"""Read queries for notifications, all through visible_to(user), and their API shape (addresses masked)."""

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from kefu.api.schemas import user_ref
from kefu.core.errors import ValidationFailed
from kefu.notify.models import Channel, DeliveryStatus, Notification
from kefu.notify.services import require_supervisor


def _page(page: int, page_size: int) -> slice:
    if not 1 <= page_size <= 100 or page < 1:
        raise ValidationFailed(_("Page size is 1 to 100."), code="out_of_range", field="page_size")
    start = (page - 1) * page_size
    return slice(start, start + page_size)


def inbox(user, *, page: int = 1, page_size: int = 20) -> tuple[int, int, list[Notification]]:
    """The user's own in-app notifications, unread first then newest first: (count, unread, page)."""
    window = _page(page, page_size)
    qs = Notification.objects.visible_to(user).filter(recipient_id=user.pk, channel=Channel.IN_APP)
    counts = qs.aggregate(count=Count("id"), unread=Count("id", filter=Q(read_at__isnull=True)))
    unread_first = Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
    items = list(qs.order_by(unread_first, "-created_at", "-id")[window])
    return counts["count"], counts["unread"], items


def deliveries(user, *, status: str = DeliveryStatus.FAILED, channel: str | None = None, page: int = 1,
               page_size: int = 20) -> tuple[int, list[Notification]]:
    """Email and SMS deliveries in one state (failed by default), for supervisors to follow up."""
    require_supervisor(user)
    window = _page(page, page_size)
    qs = Notification.objects.visible_to(user).filter(status=status).exclude(channel=Channel.IN_APP)
    if channel:
        qs = qs.filter(channel=channel)
    items = list(qs.select_related("recipient").order_by("-updated_at", "-id")[window])
    return qs.count(), items


def notification_out(notification: Notification) -> dict:
    """An in-app notification as its recipient sees it."""
    return {
        "id": notification.pk, "kind": notification.kind, "kind_label": notification.kind_label,
        "subject": notification.subject, "body": notification.body, "params": notification.params,
        "ticket_id": notification.ticket_id, "created_at": notification.created_at,
        "read_at": notification.read_at,
    }


def delivery_out(notification: Notification) -> dict:
    """An email or SMS delivery as a supervisor sees it: the address masked, the error kept."""
    return {
        "id": notification.pk, "channel": notification.channel, "kind": notification.kind,
        "kind_label": notification.kind_label, "recipient": user_ref(notification.recipient),
        "address": notification.masked_address, "subject": notification.subject,
        "status": notification.status, "attempts": notification.attempts, "last_error": notification.last_error,
        "ticket_id": notification.ticket_id, "created_at": notification.created_at,
        "updated_at": notification.updated_at, "sent_at": notification.sent_at,
    }
