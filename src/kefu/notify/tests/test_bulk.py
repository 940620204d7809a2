"""queue_notifications: many messages in one INSERT, the email/SMS among them enqueued in one after-commit step."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.accounts.models import User
from kefu.core.errors import ValidationFailed
from kefu.notify.models import DeliveryStatus, Notification
from kefu.notify.services import NotificationInput, queue_notifications

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
        stored = queue_notifications(items=items)
    assert len([q for q in queries if q["sql"].startswith("INSERT")]) == 1
    assert [(n.recipient_id, n.channel, n.status) for n in stored] == [
        (world.lead.pk, "in_app", DeliveryStatus.SENT), (world.agent.pk, "in_app", DeliveryStatus.SENT),
        (world.lead.pk, "sms", DeliveryStatus.PENDING)]
    assert Notification.objects.get(pk=stored[2].pk).address == "13711112222"
    assert len(callbacks) == 1 and queue.pending_count() == 0  # nothing leaves before the commit
    callbacks[0]()
    assert queue.pending_count() == 1  # the SMS, as its own task with its own claim and retries


def test_an_invalid_optional_item_is_left_out_and_the_rest_stored(world, queue):
    User.objects.filter(pk=world.lead.pk).update(mobile="0571-8888 6666")  # a landline cannot get a text
    world.lead.refresh_from_db()
    stored = queue_notifications(items=[_item(recipient=world.lead, channel="in_app"),
                                        _item(recipient=world.lead, channel="sms", optional=True)])
    assert [n.channel for n in stored] == ["in_app"]
    assert Notification.objects.filter(recipient=world.lead).count() == 1


def test_an_invalid_required_item_refuses_the_whole_batch(world, queue):
    with pytest.raises(ValidationFailed) as refused:
        queue_notifications(items=[_item(recipient=world.lead, channel="in_app"), _item(channel="in_app")])
    assert refused.value.field == "recipient"
    assert Notification.objects.count() == 0
