"""SMS through Alibaba Cloud and Tencent Cloud, faked on loopback by servers that check the real request
format and signature: success, throttling (retried, then failed) and a bad number (failed at once)."""

import threading

import pytest
from django.db import close_old_connections, connections, transaction

from kefu.notify.backends import PermanentFailure, TemporaryFailure
from kefu.notify.backends import aliyun as aliyun_backend
from kefu.notify.backends import tencent as tencent_backend
from kefu.notify.models import DeliveryStatus
from kefu.notify.services import queue_notification
from kefu.notify.tasks import RETRIES, RETRY_DELAY, send_notification
from kefu.notify.tests.conftest import SIGN_NAME

MOBILE = "13711112222"


def _queue_sms(world, **kwargs):
    fields = {"recipient": world.lead, "channel": "sms", "address": MOBILE, "kind": "sla_breach",
              "subject": "", "body": "工单 GD-0007 已超时 15 分钟", "params": {"ticket": "GD-0007", "minutes": 15},
              **kwargs}
    with transaction.atomic():
        return queue_notification(**fields)


@pytest.mark.django_db(transaction=True)
def test_sms_goes_out_signed_as_the_vendor_documents(world, queue, worker, vendor):
    notification = _queue_sms(world)

    worker.run_queued()

    assert vendor.problems == []
    [request] = vendor.requests
    assert request["phone"] in (MOBILE, f"+86{MOBILE}")
    assert request["sign_name"] == SIGN_NAME
    if vendor.name == "aliyun":
        assert (request["template"], request["params"]) == ("SMS_900001", {"ticket": "GD-0007", "minutes": "15"})
        assert request["region"] == "cn-hangzhou"
    else:  # Tencent fills the template by position: the configured order, as strings
        assert (request["template"], request["params"]) == ("1234567", ["GD-0007", "15"])
        assert (request["app_id"], request["region"]) == ("1400000001", "ap-guangzhou")
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.last_error) == (DeliveryStatus.SENT, 1, "")


@pytest.mark.django_db(transaction=True)
def test_a_throttled_sms_is_retried_and_failed_after_the_last_try(world, queue, worker, vendor):
    vendor.mode = "throttle"
    notification = _queue_sms(world)

    worker.run_queued()
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (DeliveryStatus.RETRYING, 1)
    assert "LIMIT" in notification.last_error.upper()
    for attempt in range(2, RETRIES + 2):
        assert worker.run_due(after_seconds=RETRY_DELAY + 1) == 1
        notification.refresh_from_db()
        assert notification.attempts == attempt

    assert notification.status == DeliveryStatus.FAILED
    assert (queue.pending_count(), queue.scheduled_count()) == (0, 0)
    assert worker.run_due(after_seconds=3600) == 0
    assert len(vendor.requests) == RETRIES + 1
    assert vendor.problems == []


@pytest.mark.django_db(transaction=True)
def test_a_bad_number_fails_at_once_without_a_retry(world, queue, worker, vendor):
    vendor.mode = "bad_number"
    notification = _queue_sms(world)

    worker.run_queued()

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (DeliveryStatus.FAILED, 1)
    assert notification.last_error.startswith(("isv.MOBILE_NUMBER_ILLEGAL", "InvalidParameterValue."))
    assert MOBILE not in notification.last_error
    assert (queue.pending_count(), queue.scheduled_count()) == (0, 0)
    assert len(vendor.requests) == 1


@pytest.mark.django_db(transaction=True)
def test_a_wrong_secret_is_refused_by_the_vendor_and_fails_for_good(world, queue, worker, vendor, settings):
    settings.SMS_KEY_SECRET = "not-the-secret"
    notification = _queue_sms(world)

    worker.run_queued()

    assert vendor.problems and vendor.problems[-1] in ("SignatureDoesNotMatch", "AuthFailure.SignatureFailure")
    notification.refresh_from_db()
    assert notification.status == DeliveryStatus.FAILED


@pytest.mark.django_db(transaction=True)
def test_a_kind_without_a_template_fails_without_calling_the_vendor(world, queue, worker, vendor):
    notification = _queue_sms(world, kind="escalation")

    worker.run_queued()

    notification.refresh_from_db()
    assert (notification.status, notification.last_error) == (
        DeliveryStatus.FAILED, "no_template: no SMS template is configured for this kind of message")
    assert vendor.requests == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_with_the_same_notification_send_one_sms(world, queue, vendor):
    vendor.delay = 0.3  # the first worker is still waiting for the vendor when the second one starts
    notification = _queue_sms(world)
    start = threading.Barrier(2)
    errors = []

    def work():
        try:
            start.wait(timeout=10)
            send_notification.call_local(notification.pk)
        except Exception as exc:  # reported below; a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            close_old_connections()
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(vendor.requests) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (DeliveryStatus.SENT, 1)


@pytest.mark.parametrize(("vendor_name", "status", "body", "failure"), [
    ("aliyun", 200, b'{"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "x"}', TemporaryFailure),
    ("aliyun", 400, b'{"Code": "Throttling.User", "Message": "x"}', TemporaryFailure),
    ("aliyun", 503, b"<html>busy</html>", TemporaryFailure),
    ("aliyun", 200, b'{"Code": "isv.SMS_SIGNATURE_ILLEGAL", "Message": "x"}', PermanentFailure),
    ("aliyun", 200, b'{"Code": "isv.SMS_TEMPLATE_ILLEGAL", "Message": "x"}', PermanentFailure),
    ("aliyun", 404, b"not found", PermanentFailure),
    ("tencent", 200, b'{"Response": {"Error": {"Code": "RequestLimitExceeded"}}}', TemporaryFailure),
    ("tencent", 200, b'{"Response": {"Error": {"Code": "InternalError.Timeout"}}}', TemporaryFailure),
    ("tencent", 502, b"", TemporaryFailure),
    ("tencent", 200,
     b'{"Response": {"SendStatusSet": [{"Code": "FailedOperation.SignatureIncorrectOrUnapproved"}]}}',
     PermanentFailure),
    ("tencent", 200, b'{"Response": {"Error": {"Code": "AuthFailure.SecretIdNotFound"}}}',
     PermanentFailure),
])
def test_vendor_answers_are_sorted_into_temporary_and_permanent(vendor_name, status, body, failure):
    outcome = {"aliyun": aliyun_backend.outcome, "tencent": tencent_backend.outcome}[vendor_name]
    with pytest.raises(failure):
        outcome(status, body)


def test_an_unreachable_vendor_is_a_temporary_failure():
    from kefu.notify.tests.conftest import free_port

    backend = aliyun_backend.AliyunSms(key_id="k", key_secret="s", sign_name="n",
                                       endpoint=f"http://127.0.0.1:{free_port()}/", timeout=2)
    with pytest.raises(TemporaryFailure) as caught:
        backend.send(MOBILE, "SMS_1", {}, "text")
    assert caught.value.code == "network"


def test_signatures_match_the_vendors_official_sdks():
    """Known answers computed with the vendors' own SDKs (aliyun-python-sdk-core 2.16.1, rpc_signature_composer;
    tencentcloud-sdk-python-common 3.1.195, Sign.sign_tc3) for the same input."""
    params = {
        "AccessKeyId": "testid", "Action": "SendSms", "Format": "JSON", "RegionId": "cn-hangzhou",
        "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0", "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25",
        "PhoneNumbers": "15300000001", "SignName": "阿里云短信测试专用", "TemplateCode": "SMS_71390007",
        "TemplateParam": '{"customer":"test * ~ +"}', "OutId": "123",
    }
    assert aliyun_backend.signature(params, "testsecret", "POST") == "ycu+spS0xtz4rqT7Rsnq9IArNlw="
    assert aliyun_backend.signature(params, "testsecret", "GET") == "l8QtT+aNOqO9Be5eHYBF8FOVCUA="
    payload = ('{"PhoneNumberSet":["+8613711112222"],"SmsSdkAppId":"1400000001","SignName":"燃气客服",'
               '"TemplateId":"1234567","TemplateParamSet":["GD-0007","15"]}').encode()
    header = tencent_backend.authorization(secret_id="AKIDtest", secret_key="secretkey",
                                           host="sms.tencentcloudapi.com", path="/", payload=payload,
                                           timestamp=1551113065)
    assert header == ("TC3-HMAC-SHA256 Credential=AKIDtest/2019-02-25/sms/tc3_request, "
                      "SignedHeaders=content-type;host, "
                      "Signature=6ff52d9d7bf6d128109613e407325a33fe5d2729743c48ac4604e64eccbead77")
