"""queue_notifications: many messages in one INSERT, the email/SMS among them enqueued in one after-commit step."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kefu.accounts.models import User
from kefu.core.errors import ValidationFailed
from kefu.notify.models import DeliveryStatus, Notification
from kefu.notify.services import NotificationInput, queue_notification, queue_notifications

pytestmark = pytest.mark.django_db


def _item(**kwargs):
    return NotificationInput(**{"kind": "escalation", "subject": "工单升级", "body": "工单已升级到班长", **kwargs})


def test_many_notifications_are_one_insert_and_one_after_commit_step(world, queue,
                                                                     django_capture_on_commit_callbacks):
    User.objects.filter(pk=world.lead.pk).update(mobile="137 1111 2222")
    world.lead.refresh_from_db()
    ticket = world.ticket()
    items = [_item(recipient=user, channel="in_app", ticket=ticket) for user in (world.lead, world.agent)]
    items.append(_item(recipient=world.lead, channel="sms", ticket=ticket))
    with django_capture_on_commit_callbacks(execute=False) as callbacks, \
            CaptureQueriesContext(connection) as queries:
        ids = queue_notifications(items=items)
    assert len([q for q in queries if q["sql"].startswith("INSERT")]) == 1
    stored = Notification.objects.in_bulk(ids)
    assert [(stored[pk].recipient_id, stored[pk].channel, stored[pk].status) for pk in ids] == [
        (world.lead.pk, "in_app", DeliveryStatus.SENT), (world.agent.pk, "in_app", DeliveryStatus.SENT),
        (world.lead.pk, "sms", DeliveryStatus.PENDING)]
    assert stored[ids[2]].address == "13711112222"
    assert len(callbacks) == 1 and queue.pending_count() == 0  # nothing leaves before the commit
    callbacks[0]()
    assert queue.pending_count() == 1  # the SMS, as its own task with its own claim and retries


def test_an_invalid_optional_item_is_left_out_and_the_rest_stored(world, queue):
    User.objects.filter(pk=world.lead.pk).update(mobile="0571-8888 6666")  # a landline cannot get a text
    world.lead.refresh_from_db()
    ids = queue_notifications(items=[_item(recipient=world.lead, channel="in_app"),
                                     _item(recipient=world.lead, channel="sms", optional=True)])
    assert list(Notification.objects.filter(pk__in=ids).values_list("channel", flat=True)) == ["in_app"]
    assert Notification.objects.filter(recipient=world.lead).count() == 1


def test_an_invalid_required_item_refuses_the_whole_batch(world, queue):
    with pytest.raises(ValidationFailed) as refused:
        queue_notifications(items=[_item(recipient=world.lead, channel="in_app"), _item(channel="in_app")])
    assert refused.value.field == "recipient"
    assert Notification.objects.count() == 0


def _stored(pk: int) -> tuple:
    """The row as the database holds it (the text of a datetime or a JSON value, not what Django reads back)."""
    columns = ", ".join(connection.ops.quote_name(f.column) for f in Notification._meta.concrete_fields
                        if not f.primary_key)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM notify_notification WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()


def test_the_bulk_path_stores_exactly_what_the_single_path_stores(world, queue):
    User.objects.filter(pk=world.lead.pk).update(mobile="137 1111 2222", email="lead@gas.example.com")
    world.lead.refresh_from_db()
    ticket = world.ticket()
    at = timezone.now()
    fields = {"kind": "sla_breach", "subject": "GD 超时", "body": "工单已超时", "ticket": ticket,
              "params": {"ticket": ticket.pk, "nested": {"minutes": 30}}}
    for channel in ("in_app", "sms", "email"):
        single = queue_notification(recipient=world.lead, channel=channel, now=at, **fields)
        [bulk] = queue_notifications(items=[_item(recipient=world.lead, channel=channel, **fields)], now=at)
        assert _stored(bulk) == _stored(single.pk)
    assert Notification.objects.get(pk=bulk).params == {"ticket": ticket.pk, "nested": {"minutes": 30}}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the fallback is for SQLite before 3.35")
def test_without_insert_returning_the_ids_still_come_back_in_order(world, queue, monkeypatch):
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    users = [world.lead, world.agent, world.handler]
    ids = queue_notifications(items=[_item(recipient=user, channel="in_app") for user in users])
    stored = Notification.objects.in_bulk(ids)
    assert [stored[pk].recipient_id for pk in ids] == [user.pk for user in users]
