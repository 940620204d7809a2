"""Login throttling (SE3): failed logins lock a user name (and an address) for a while, on every login path."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from kefu.accounts import throttle
from kefu.accounts.models import LoginFailure
from kefu.audit.models import AuditEntry

PASSWORD = "kefu-Test-2026"  # kefu.testing's users


def _login(client, username, password, address="10.0.0.8"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address,
                       HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_five_wrong_passwords_lock_the_name_even_for_the_right_password(client, world):
    for _ in range(5):
        assert _login(client, "agent", "wrong").status_code == 200
    locked = _login(client, "agent", PASSWORD)
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode() and "_auth_user_id" not in client.session
    # The lock is on the name: other users log in as usual, and the lock is written down once.
    assert _login(client, "agent_b", PASSWORD).status_code == 302
    entries = AuditEntry.objects.filter(action="login_locked", target_id="agent")
    assert entries.count() == 1 and "wrong" not in str(entries.get().params)
    assert not LoginFailure.objects.filter(username="agent_b").exists()


def test_the_admin_login_is_locked_too(client, world):
    for _ in range(5):
        _login(client, "admin", "wrong")
    response = client.post("/admin/login/", {"username": "admin", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 200 and "_auth_user_id" not in client.session  # the form shown again


def test_the_lock_ends_when_the_window_has_passed(world):
    now = timezone.now()
    for minutes in (40, 30, 20, 14, 10):  # only the last two lie within 15 minutes
        throttle.record_failure("Agent", "10.0.0.8", now=now - dt.timedelta(minutes=minutes))
    assert throttle.locked_until("agent", None, now=now) is None
    for minutes in (9, 8, 7):
        throttle.record_failure("agent", None, now=now - dt.timedelta(minutes=minutes))
    ends = throttle.locked_until("agent", None, now=now)
    assert ends == now - dt.timedelta(minutes=14) + dt.timedelta(minutes=15)  # the oldest of the five leaves
    assert throttle.locked_until("agent", None, now=ends + dt.timedelta(seconds=1)) is None
    # Failures older than the window (as seen by the next write, at now - 7 min) are dropped by that write.
    left = sorted(round((now - at).total_seconds() / 60) for at in LoginFailure.objects.values_list("at", flat=True))
    assert left == [7, 8, 9, 10, 14, 20]


def test_a_successful_login_clears_the_count(client, world):
    for _ in range(4):
        _login(client, "agent", "wrong")
    assert _login(client, "agent", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, "agent", "wrong")
    assert _login(client, "agent", PASSWORD).status_code == 302  # 4 + 4 failures, but not 5 in a row


@override_settings(KEFU_LOGIN_ADDRESS_FAILURES=6)
def test_many_names_tried_from_one_address_lock_that_address(client, world):
    for i in range(6):
        _login(client, f"nobody{i}", "guess")
    assert _login(client, "agent", PASSWORD, address="10.0.0.66").status_code == 302
    client.logout()
    assert _login(client, "agent", PASSWORD).status_code == 429


@pytest.mark.parametrize("address_limit", [0])
def test_the_address_limit_can_be_turned_off(client, world, address_limit):
    with override_settings(KEFU_LOGIN_ADDRESS_FAILURES=address_limit):
        for i in range(8):
            _login(client, f"nobody{i}", "guess")
        assert _login(client, "agent", PASSWORD).status_code == 302
