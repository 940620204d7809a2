"""Start-up checks of the SMS settings, and failed deliveries in the Django admin."""

import os
import subprocess
import sys

import pytest
from django.core.checks import run_checks

from kefu.notify.models import DeliveryStatus
from kefu.notify.services import deliver_notification, queue_notification


def _notify_errors():
    return sorted(e.id for e in run_checks() if e.id.startswith("kefu.notify."))


def test_the_default_sms_settings_pass_the_checks(settings):
    settings.SMS_BACKEND, settings.SMS_TEMPLATES, settings.SMS_DEFAULT_TEMPLATE = "file", [], ""
    settings.SMS_ENDPOINT = ""
    assert _notify_errors() == []


def test_a_vendor_without_its_keys_fails_the_checks_naming_the_variables(settings):
    settings.SMS_BACKEND, settings.SMS_KEY_ID, settings.SMS_KEY_SECRET = "tencent", "id", ""
    settings.SMS_SIGN_NAME, settings.SMS_APP_ID = "燃气客服", ""
    [error] = [e for e in run_checks() if e.id == "kefu.notify.E002"]
    assert "KEFU_SMS_KEY_SECRET" in error.msg and "KEFU_SMS_APP_ID" in error.msg
    assert "KEFU_SMS_KEY_ID" not in error.msg


@pytest.mark.parametrize(("templates", "default", "endpoint", "ids"), [
    (["sla_breach"], "", "", ["kefu.notify.E001"]),
    (["sla_breach=:ticket"], "", "", ["kefu.notify.E001"]),
    (["sla_breach=SMS_1:ticket no"], "", "", ["kefu.notify.E001"]),
    ([], "SMS_1:bad-name", "", ["kefu.notify.E001"]),
    (["sla_breach=SMS_1:ticket:minutes"], "SMS_0:text", "ftp://sms.example.com/", ["kefu.notify.E003"]),
])
def test_malformed_templates_and_endpoints_fail_the_checks(settings, templates, default, endpoint, ids):
    settings.SMS_BACKEND, settings.SMS_TEMPLATES = "file", templates
    settings.SMS_DEFAULT_TEMPLATE, settings.SMS_ENDPOINT = default, endpoint
    assert _notify_errors() == ids


@pytest.mark.django_db
def test_the_admin_lists_failed_deliveries_with_the_address_masked(world, client, settings):
    settings.SMS_BACKEND, settings.SMS_TEMPLATES, settings.SMS_DEFAULT_TEMPLATE = "aliyun", [], ""
    notification = queue_notification(channel="sms", address="13900001111", kind="sla_breach", subject="",
                                      body="工单已超时")
    deliver_notification(notification_id=notification.pk)
    client.force_login(world.admin)

    listing = client.get("/admin/notify/notification/", {"status__exact": DeliveryStatus.FAILED})
    detail = client.get(f"/admin/notify/notification/{notification.pk}/change/")

    for response in (listing, detail):
        assert response.status_code == 200
        assert "139****1111" in response.text and "13900001111" not in response.text
    assert client.post(f"/admin/notify/notification/{notification.pk}/change/", {}).status_code == 403


def _settings_of(tmp_path, names: str, **env) -> subprocess.CompletedProcess:
    """Import kefu.settings in a fresh interpreter with only these KEFU_* variables, and print `names`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
    code = f"import kefu.settings as s; print(*[getattr(s, n) for n in {names.split()!r}])"
    # A fixed argv run by our own interpreter: nothing untrusted reaches the command line.
    return subprocess.run([sys.executable, "-c", code], env={**clean, "KEFU_DATA_DIR": str(tmp_path), **env},  # noqa: S603
                          capture_output=True, text=True, timeout=60, check=False)


def test_without_a_mail_host_development_mail_goes_to_files(tmp_path):
    result = _settings_of(tmp_path, "EMAIL_BACKEND EMAIL_FILE_PATH SMS_BACKEND SMS_FILE_PATH")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.mail.backends.filebased.EmailBackend", str(tmp_path / "mail"),
                                     "file", str(tmp_path / "sms.jsonl")]


def test_a_mail_host_selects_smtp_and_the_sms_backend_is_checked(tmp_path):
    result = _settings_of(tmp_path, "EMAIL_BACKEND EMAIL_PORT EMAIL_USE_TLS SMS_BACKEND",
                          KEFU_EMAIL_HOST="smtp.example.com", KEFU_EMAIL_PORT="587", KEFU_EMAIL_USE_TLS="1",
                          KEFU_SMS_BACKEND="Aliyun")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.mail.backends.smtp.EmailBackend", "587", "True", "aliyun"]
    bad = _settings_of(tmp_path, "SMS_BACKEND", KEFU_SMS_BACKEND="pigeon")
    assert bad.returncode != 0 and "KEFU_SMS_BACKEND" in bad.stderr
