"""Email notifications through the real queue (huey's SQLite storage) to a real SMTP server on loopback."""

from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from django.db import transaction

from kefu.notify.models import DeliveryStatus, Notification
from kefu.notify.services import queue_notification
from kefu.notify.tasks import send_notification

pytestmark = pytest.mark.django_db(transaction=True)

BODY = "工单 GD-0001 将在 30 分钟后超时，请尽快处理。\n— 客服中心"


def _queue_email(world, address="", **kwargs):
    world.lead.email = "lead@gas.example.com"
    world.lead.save(update_fields=["email"])
    with transaction.atomic():
        return queue_notification(recipient=world.lead, channel="email", address=address, kind="sla_warning",
                                  subject="工单即将超时", body=BODY, params={"ticket": "GD-0001"}, **kwargs)


def test_email_goes_from_the_queue_to_the_smtp_server_in_utf8(world, queue, worker, smtp):
    notification = _queue_email(world)
    assert queue.pending_count() == 1  # enqueued once the transaction committed, not sent yet
    assert smtp.messages == []

    assert worker.run_queued() == 1

    [envelope] = smtp.messages
    assert envelope.rcpt_tos == ["lead@gas.example.com"]
    assert envelope.mail_from == "kefu@gas.example.com"
    message = message_from_bytes(envelope.original_content, policy=default_policy)
    assert message["Subject"] == "工单即将超时"
    assert message["To"] == "lead@gas.example.com"
    assert message.get_content_charset() == "utf-8"
    assert message.get_content().replace("\r\n", "\n").strip() == BODY.strip()
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.last_error) == (DeliveryStatus.SENT, 1, "")
    assert notification.sent_at is not None


def test_nothing_is_queued_or_sent_when_the_transaction_rolls_back(world, queue, worker, smtp):
    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        queue_notification(recipient=world.lead, channel="email", address="lead@gas.example.com",
                           kind="sla_warning", subject="工单即将超时", body=BODY)
        raise Refused

    assert Notification.objects.count() == 0
    assert queue.pending_count() == 0
    assert worker.run_queued() == 0
    assert smtp.messages == []


def test_a_task_run_twice_sends_the_email_once(world, queue, worker, smtp):
    notification = _queue_email(world)
    send_notification(notification.pk)  # a duplicate enqueue, as after a sweep

    assert worker.run_queued() == 2
    assert len(smtp.messages) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (DeliveryStatus.SENT, 1)


def test_a_refused_address_fails_at_once_and_the_error_keeps_it_masked(world, queue, worker, smtp):
    notification = _queue_email(world, address="nobody@gas.example.com")

    worker.run_queued()

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (DeliveryStatus.FAILED, 1)
    assert notification.last_error.startswith("smtp_550")
    assert "nobody@" not in notification.last_error
    assert queue.scheduled_count() == 0  # permanent: no retry is scheduled
    assert smtp.messages == []


def test_a_temporarily_refused_address_is_retried_after_the_delay(world, queue, worker, smtp):
    notification = _queue_email(world, address="busy@gas.example.com")

    worker.run_queued()

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (DeliveryStatus.RETRYING, 1)
    assert notification.last_error.startswith("smtp_451")
    assert queue.scheduled_count() == 1
    assert worker.run_due(after_seconds=10) == 0  # not before retry_delay
    assert worker.run_due(after_seconds=25) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (DeliveryStatus.RETRYING, 2)


def test_an_unreachable_mail_server_is_a_temporary_failure(world, queue, worker, settings):
    from kefu.notify.tests.conftest import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    notification = _queue_email(world)

    worker.run_queued()

    notification.refresh_from_db()
    assert (notification.status, notification.last_error) == (DeliveryStatus.RETRYING,
                                                              "network: cannot reach the mail server "
                                                              "(ConnectionRefusedError)")
