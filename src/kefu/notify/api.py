"""Notification endpoints: the user's own in-app inbox, and failed deliveries for supervisors."""

from datetime import datetime
from typing import Literal

from ninja import Query, Router, Schema

from kefu.api.schemas import ERRORS, UserRef
from kefu.notify import selectors, services

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    subject: str
    body: str
    params: dict
    ticket_id: int | None
    created_at: datetime
    read_at: datetime | None


class InboxOut(Schema):
    count: int
    unread: int
    items: list[NotificationOut]


class DeliveryOut(Schema):
    id: int
    channel: str
    kind: str
    kind_label: str
    recipient: UserRef | None
    address: str
    subject: str
    status: str
    attempts: int
    last_error: str
    ticket_id: int | None
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None


class DeliveryListOut(Schema):
    count: int
    items: list[DeliveryOut]


class InboxQuery(Schema):
    page: int = 1
    page_size: int = 20


class DeliveryQuery(Schema):
    status: Literal["failed", "retrying"] = "failed"
    channel: Literal["email", "sms"] | None = None
    page: int = 1
    page_size: int = 20


@router.get("", response={200: InboxOut, **ERRORS})
def list_notifications(request, q: Query[InboxQuery]):
    """The caller's own in-app notifications, unread first, with the total and the unread count."""
    count, unread, items = selectors.inbox(request.auth, **q.dict())
    return {"count": count, "unread": unread, "items": [selectors.notification_out(n) for n in items]}


@router.get("/failed", response={200: DeliveryListOut, **ERRORS})
def list_failed(request, q: Query[DeliveryQuery]):
    """Email and SMS deliveries that failed (or, with status=retrying, are failing). Supervisors only."""
    count, items = selectors.deliveries(request.auth, **q.dict())
    return {"count": count, "items": [selectors.delivery_out(n) for n in items]}


@router.post("/{int:notification_id}/read", response={200: NotificationOut, **ERRORS})
def mark_read(request, notification_id: int):
    notification = services.mark_read(actor=request.auth, notification_id=notification_id)
    return selectors.notification_out(notification)


@router.post("/{int:notification_id}/retry", response={200: DeliveryOut, **ERRORS})
def retry(request, notification_id: int):
    """Send a failed email or SMS again. Supervisors only."""
    notification = services.retry_notification(actor=request.auth, notification_id=notification_id)
    return selectors.delivery_out(notification)
