"""Delivery backends: email through Django's mail, SMS through one configured SmsBackend (KEFU_SMS_BACKEND)."""

from django.conf import settings

from kefu.notify.backends.base import DeliveryFailure, PermanentFailure, SmsBackend, TemporaryFailure

SMS_BACKENDS = ("console", "file", "aliyun", "tencent")

__all__ = ["SMS_BACKENDS", "DeliveryFailure", "PermanentFailure", "SmsBackend", "TemporaryFailure", "sms_backend"]


def sms_backend() -> SmsBackend:
    """The SMS backend the settings name, built fresh so that changed settings take effect."""
    name = settings.SMS_BACKEND
    if name == "console":
        from kefu.notify.backends.console import ConsoleSms

        return ConsoleSms()
    if name == "file":
        from kefu.notify.backends.file import FileSms

        return FileSms(path=settings.SMS_FILE_PATH)
    vendor = {"key_id": settings.SMS_KEY_ID, "key_secret": settings.SMS_KEY_SECRET,
              "sign_name": settings.SMS_SIGN_NAME, "region": settings.SMS_REGION,
              "endpoint": settings.SMS_ENDPOINT, "timeout": settings.SMS_TIMEOUT}
    if name == "aliyun":
        from kefu.notify.backends.aliyun import AliyunSms

        return AliyunSms(**vendor)
    if name == "tencent":
        from kefu.notify.backends.tencent import TencentSms

        return TencentSms(app_id=settings.SMS_APP_ID, **vendor)
    raise PermanentFailure(f"unknown SMS backend {name!r}", code="config")
