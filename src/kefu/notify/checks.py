"""System checks with stable ids: a vendor SMS backend without its keys or with a malformed template fails
at start-up (`kefu check`, migrate, runserver), not at the first emergency."""

from django.conf import settings
from django.core.checks import Error, register

from kefu.notify.backends.templates import parse_template, parse_templates

_VENDOR_SETTINGS = {
    "aliyun": [("SMS_KEY_ID", "KEFU_SMS_KEY_ID"), ("SMS_KEY_SECRET", "KEFU_SMS_KEY_SECRET"),
               ("SMS_SIGN_NAME", "KEFU_SMS_SIGN_NAME")],
    "tencent": [("SMS_KEY_ID", "KEFU_SMS_KEY_ID"), ("SMS_KEY_SECRET", "KEFU_SMS_KEY_SECRET"),
                ("SMS_SIGN_NAME", "KEFU_SMS_SIGN_NAME"), ("SMS_APP_ID", "KEFU_SMS_APP_ID")],
}


@register()
def check_sms_settings(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    try:
        parse_templates(settings.SMS_TEMPLATES)
    except ValueError as exc:
        errors.append(Error(f"KEFU_SMS_TEMPLATES: {exc}", hint="Write kind=TEMPLATE_ID[:variable…], comma-separated.",
                            id="kefu.notify.E001"))
    if settings.SMS_DEFAULT_TEMPLATE:
        try:
            parse_template(settings.SMS_DEFAULT_TEMPLATE)
        except ValueError as exc:
            errors.append(Error(f"KEFU_SMS_DEFAULT_TEMPLATE: {exc}", hint="Write TEMPLATE_ID[:variable…].",
                                id="kefu.notify.E001"))
    missing = [env for name, env in _VENDOR_SETTINGS.get(settings.SMS_BACKEND, []) if not getattr(settings, name)]
    if missing:
        errors.append(Error(f"KEFU_SMS_BACKEND={settings.SMS_BACKEND} needs {', '.join(missing)}",
                            id="kefu.notify.E002"))
    if settings.SMS_ENDPOINT and not settings.SMS_ENDPOINT.startswith(("https://", "http://")):
        errors.append(Error("KEFU_SMS_ENDPOINT must be an http(s) URL", id="kefu.notify.E003"))
    return errors
