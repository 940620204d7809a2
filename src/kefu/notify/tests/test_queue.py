"""queue_notification: what it accepts, what it refuses (naming the field, storing nothing), what it stores."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kefu.accounts.models import User
from kefu.core.errors import ValidationFailed
from kefu.notify.backends import TemporaryFailure
from kefu.notify.models import DeliveryStatus, Notification
from kefu.notify.services import deliver_notification, queue_notification, sweep_stalled_notifications

pytestmark = pytest.mark.django_db


def _queue(**kwargs):
    fields = {"kind": "escalation", "subject": "工单升级", "body": "工单 GD-0003 已升级到班长", **kwargs}
    return queue_notification(**fields)


def test_in_app_notification_is_sent_at_once_and_not_queued(world, queue, django_capture_on_commit_callbacks):
    ticket = world.ticket()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = _queue(recipient=world.lead, channel="in_app", ticket=ticket, params={"ticket": ticket.pk})
    assert callbacks == []
    assert queue.pending_count() == 0
    assert (notification.status, notification.address, notification.ticket_id) == (DeliveryStatus.SENT, "", ticket.pk)
    assert notification.sent_at is not None and notification.read_at is None


def test_email_and_sms_are_enqueued_once_the_caller_commits(world, queue, django_capture_on_commit_callbacks):
    User.objects.filter(pk=world.lead.pk).update(mobile="137 1111 2222", email="lead@gas.example.com")
    world.lead.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sms = _queue(recipient=world.lead, channel="sms")
        email = _queue(recipient=world.lead, channel="email")
        assert queue.pending_count() == 0
    for callback in callbacks:
        callback()
    assert queue.pending_count() == 2
    # The recipient's own number and address, the number normalised.
    assert (sms.address, sms.status) == ("13711112222", DeliveryStatus.PENDING)
    assert (email.address, email.status) == ("lead@gas.example.com", DeliveryStatus.PENDING)


def test_an_external_address_needs_no_recipient(world, queue):
    notification = _queue(channel="sms", address="+86 139-0000-1111", kind="confirm_receipt")
    assert (notification.recipient_id, notification.address) == (None, "13900001111")


def test_any_app_may_use_its_own_kind_code(world, queue):
    notification = _queue(recipient=world.lead, channel="in_app", kind="callback_due")
    assert (notification.kind, notification.kind_label) == ("callback_due", "callback_due")


@pytest.mark.parametrize(("fields", "code", "field"), [
    ({"channel": "fax", "address": "010-12345678"}, "invalid_choice", "channel"),
    ({"channel": "in_app"}, "required", "recipient"),
    ({"channel": "sms"}, "required", "address"),
    ({"channel": "sms", "address": "010-12345678"}, "invalid_phone", "address"),
    ({"channel": "sms", "address": "12345"}, "invalid_phone", "address"),
    ({"channel": "email", "address": "not-an-address"}, "invalid_email", "address"),
    ({"channel": "email", "address": "a@b.example", "kind": "SLA Breach"}, "invalid", "kind"),
    ({"channel": "email", "address": "a@b.example", "kind": ""}, "required", "kind"),
    ({"channel": "email", "address": "a@b.example", "body": "  "}, "required", "body"),
    ({"channel": "email", "address": "a@b.example", "subject": "长" * 201}, "too_long", "subject"),
    ({"channel": "email", "address": "a@b.example", "params": {"at": timezone.now()}}, "invalid", "params"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(world, fields, code, field):
    with pytest.raises(ValidationFailed) as refused:
        _queue(**fields)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert Notification.objects.count() == 0


@pytest.mark.parametrize(("channel", "field"), [("sms", "recipient.mobile"), ("email", "recipient.email")])
def test_a_recipient_without_a_mobile_or_email_is_refused_naming_it(world, channel, field):
    assert not world.agent.mobile and not world.agent.email
    with pytest.raises(ValidationFailed) as refused:
        _queue(recipient=world.agent, channel=channel)
    assert (refused.value.code, refused.value.field) == ("no_address", field)
    assert refused.value.params == {"recipient_id": world.agent.pk}
    assert Notification.objects.count() == 0


def test_a_recipients_landline_is_refused_for_sms(world):
    User.objects.filter(pk=world.agent.pk).update(mobile="021-12345678")
    world.agent.refresh_from_db()
    with pytest.raises(ValidationFailed) as refused:
        _queue(recipient=world.agent, channel="sms")
    assert (refused.value.code, refused.value.field) == ("invalid_phone", "recipient.mobile")


def test_the_file_backend_writes_the_sms_and_the_console_backend_logs_it_masked(world, settings, tmp_path, caplog):
    settings.SMS_BACKEND, settings.SMS_FILE_PATH = "file", str(tmp_path / "sms.jsonl")
    settings.SMS_TEMPLATES, settings.SMS_DEFAULT_TEMPLATE = [], "SMS_0:text"
    first = _queue(channel="sms", address="13900001111")
    assert deliver_notification(notification_id=first.pk) == "sent"
    [line] = (tmp_path / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    assert '"phone": "13900001111"' in line and '"template": "SMS_0"' in line and "GD-0003" in line

    settings.SMS_BACKEND = "console"
    second = _queue(channel="sms", address="13900001111")
    with caplog.at_level("INFO"):
        assert deliver_notification(notification_id=second.pk) == "sent"
    assert "139****1111" in caplog.text and "GD-0003" in caplog.text
    assert "13900001111" not in caplog.text


def test_delivering_a_sent_or_in_app_notification_again_does_nothing(world):
    notification = _queue(recipient=world.lead, channel="in_app")
    assert deliver_notification(notification_id=notification.pk) == "skipped"
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (DeliveryStatus.SENT, 0)


def test_an_unexpected_error_is_retried_and_recorded_without_its_text(world, monkeypatch, caplog):
    def broken():
        raise RuntimeError("13900001111 is not in the table")

    monkeypatch.setattr("kefu.notify.services.sms_backend", broken)
    notification = _queue(channel="sms", address="13900001111")
    with caplog.at_level("INFO"), pytest.raises(TemporaryFailure):
        deliver_notification(notification_id=notification.pk, final=False)
    notification.refresh_from_db()
    assert (notification.status, notification.last_error) == (DeliveryStatus.RETRYING,
                                                              "unexpected error: RuntimeError")
    assert "test_queue.py" in caplog.text and "13900001111" not in caplog.text

    assert deliver_notification(notification_id=notification.pk, final=True) == "failed"
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (DeliveryStatus.FAILED, 2)


def test_the_sweep_requeues_lost_deliveries_and_fails_interrupted_ones(world, queue,
                                                                      django_capture_on_commit_callbacks):
    now = timezone.now()
    lost = _queue(channel="sms", address="13900001111", now=now - timedelta(hours=1))
    fresh = _queue(channel="sms", address="13900002222", now=now)
    dropped = _queue(channel="sms", address="13900003333", now=now - timedelta(hours=1))
    Notification.objects.filter(pk=dropped.pk).update(status=DeliveryStatus.SENDING, attempts=1)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = sweep_stalled_notifications(now=now)

    assert result == {"requeued": 1, "failed": 1}
    assert len(callbacks) == 1 and queue.pending_count() == 1
    assert [t.args for t in queue.pending()] == [(lost.pk,)]
    dropped.refresh_from_db()
    fresh.refresh_from_db()
    assert dropped.status == DeliveryStatus.FAILED and "interrupted" in dropped.last_error
    assert fresh.status == DeliveryStatus.PENDING
    # Swept once: the next sweep leaves it alone until it stalls again.
    assert sweep_stalled_notifications(now=now + timedelta(minutes=1)) == {"requeued": 0, "failed": 0}
