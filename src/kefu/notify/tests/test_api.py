"""The notification API: the own in-app inbox for everyone, failed deliveries and retry for supervisors."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kefu.notify.models import DeliveryStatus, Notification
from kefu.notify.services import deliver_notification, queue_notification

pytestmark = pytest.mark.django_db


def _in_app(user, n=1, *, start=None):
    start = start or timezone.now() - timedelta(hours=1)
    return [queue_notification(recipient=user, channel="in_app", kind="sla_warning", subject=f"提醒 {i}",
                               body=f"工单 GD-{i:04d} 将在 30 分钟后超时", params={"ticket": f"GD-{i:04d}"},
                               now=start + timedelta(minutes=i)) for i in range(n)]


@pytest.fixture
def failed_sms(world, settings):
    """An SMS that failed for good: the vendor backend has no template for its kind."""
    settings.SMS_BACKEND, settings.SMS_TEMPLATES, settings.SMS_DEFAULT_TEMPLATE = "aliyun", [], ""
    notification = queue_notification(recipient=world.fieldman, channel="sms", address="13900001111",
                                      kind="emergency_created", subject="", body="抢修工单 GD-0009：城东路燃气泄漏")
    assert deliver_notification(notification_id=notification.pk) == "failed"
    notification.refresh_from_db()
    return notification


def test_the_inbox_lists_my_own_notifications_unread_first(world, api):
    mine = _in_app(world.agent, 3)
    _in_app(world.agent_b, 2)
    api.as_user(world, world.agent)
    assert api.post(f"/notifications/{mine[2].pk}/read").status_code == 200  # the newest, now read

    body = api.get("/notifications").json()

    assert (body["count"], body["unread"]) == (3, 2)
    assert [item["id"] for item in body["items"]] == [mine[1].pk, mine[0].pk, mine[2].pk]
    first = body["items"][0]
    assert (first["kind"], first["kind_label"], first["read_at"]) == ("sla_warning", "即将超时", None)
    assert first["params"] == {"ticket": "GD-0001"}


def test_marking_read_keeps_the_first_reading_time(world, api):
    [notification] = _in_app(world.agent)
    api.as_user(world, world.agent)
    first = api.post(f"/notifications/{notification.pk}/read").json()["read_at"]
    again = api.post(f"/notifications/{notification.pk}/read")
    assert again.status_code == 200 and again.json()["read_at"] == first


def test_nobody_marks_someone_elses_notification_read(world, api):
    [notification] = _in_app(world.agent_b)
    for user in (world.agent, world.supervisor):
        response = api.as_user(world, user).post(f"/notifications/{notification.pk}/read")
        assert (response.status_code, response.json()["error"]["code"]) == (404, "not_found")
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_inbox_costs_the_same_queries_for_one_or_many(world, api, django_assert_num_queries):
    api.as_user(world, world.agent)
    _in_app(world.agent, 1)
    api.get("/notifications")  # warm up: the token's last use is written once
    # The token and its user, the two counts in one aggregate, one page of rows.
    with django_assert_num_queries(3):
        assert api.get("/notifications").status_code == 200
    _in_app(world.agent, 15)
    with django_assert_num_queries(3):
        assert len(api.get("/notifications").json()["items"]) == 16


def test_anonymous_gets_401(client):
    response = client.get("/api/v1/notifications")
    assert (response.status_code, response.json()["error"]["code"]) == (401, "unauthenticated")


def test_a_supervisor_sees_failed_deliveries_masked_and_retries_one(world, api, failed_sms, queue,
                                                                   django_capture_on_commit_callbacks):
    api.as_user(world, world.supervisor)
    body = api.get("/notifications/failed").json()
    assert body["count"] == 1
    [item] = body["items"]
    assert (item["id"], item["channel"], item["status"], item["attempts"]) == (failed_sms.pk, "sms", "failed", 1)
    assert item["address"] == "139****1111"
    assert item["recipient"]["id"] == world.fieldman.pk
    assert item["last_error"].startswith("no_template")

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/notifications/{failed_sms.pk}/retry")

    assert response.status_code == 200 and response.json()["status"] == "pending"
    assert [t.args for t in queue.pending()] == [(failed_sms.pk,)]
    assert api.get("/notifications/failed").json()["count"] == 0
    again = api.post(f"/notifications/{failed_sms.pk}/retry")
    assert (again.status_code, again.json()["error"]["code"], again.json()["error"]["field"]) == (
        422, "not_failed", "status")


def test_a_team_lead_may_follow_up_deliveries_too(world, api, failed_sms):
    assert api.as_user(world, world.lead).get("/notifications/failed").json()["count"] == 1


@pytest.mark.parametrize("role", ["agent", "qa", "fieldman"])
def test_roles_without_supervision_get_403_and_change_nothing(world, api, failed_sms, queue, role):
    api.as_user(world, getattr(world, role))
    listing = api.get("/notifications/failed")
    retry = api.post(f"/notifications/{failed_sms.pk}/retry")
    for response in (listing, retry):
        assert (response.status_code, response.json()["error"]["code"]) == (403, "cannot_supervise")
    failed_sms.refresh_from_db()
    assert failed_sms.status == DeliveryStatus.FAILED
    assert queue.pending_count() == 0


def test_the_failed_list_filters_and_costs_the_same_queries(world, api, settings, django_assert_num_queries):
    settings.SMS_BACKEND, settings.SMS_TEMPLATES, settings.SMS_DEFAULT_TEMPLATE = "aliyun", [], ""

    def fail(n, user):
        for _i in range(n):
            notification = queue_notification(recipient=user, channel="sms", address="13900001111",
                                              kind="sla_breach", subject="", body="工单已超时")
            deliver_notification(notification_id=notification.pk)

    api.as_user(world, world.supervisor)
    fail(1, world.agent)
    api.get("/notifications/failed")
    # The token and its user, one page of rows with their recipients, the count.
    with django_assert_num_queries(3):
        assert api.get("/notifications/failed").json()["count"] == 1
    fail(5, world.agent_b)
    with django_assert_num_queries(3):
        assert api.get("/notifications/failed").json()["count"] == 6
    assert api.get("/notifications/failed?channel=email").json()["count"] == 0
    assert api.get("/notifications/failed?status=retrying").json()["count"] == 0
    bad = api.get("/notifications/failed?status=sent")
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "invalid_choice")
    assert Notification.objects.filter(status=DeliveryStatus.FAILED).count() == 6


def test_retrying_an_unknown_notification_is_404(world, api):
    response = api.as_user(world, world.supervisor).post("/notifications/999999/retry")
    assert (response.status_code, response.json()["error"]["code"]) == (404, "not_found")
