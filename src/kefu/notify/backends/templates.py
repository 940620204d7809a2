"""Which vendor template an SMS of each kind uses, and its variables in order (KEFU_SMS_TEMPLATES)."""

import re
from dataclasses import dataclass

from django.conf import settings

from kefu.notify.backends.base import PermanentFailure

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class SmsTemplate:
    """A template registered with the vendor: its id and the names of its variables, in order.

    Alibaba Cloud fills variables by name, Tencent Cloud by position, so the order is part of it.
    """

    code: str
    variables: tuple[str, ...] = ()


def parse_template(spec: str) -> SmsTemplate:
    """`SMS_123:ticket:minutes` → SmsTemplate("SMS_123", ("ticket", "minutes")); ValueError when malformed."""
    code, *variables = [part.strip() for part in spec.split(":")]
    if not code:
        raise ValueError(f"{spec!r} has no template id")
    for name in variables:
        if not _NAME.match(name):
            raise ValueError(f"{spec!r}: {name!r} is not a variable name")
    return SmsTemplate(code, tuple(variables))


def parse_templates(entries: list[str]) -> dict[str, SmsTemplate]:
    """`["sla_breach=SMS_1:ticket", …]` → {kind: SmsTemplate}; ValueError when an entry is malformed."""
    table = {}
    for entry in entries:
        kind, sep, spec = entry.partition("=")
        if not sep or not kind.strip():
            raise ValueError(f"{entry!r} is not kind=TEMPLATE[:variable…]")
        table[kind.strip()] = parse_template(spec)
    return table


def template_for(kind: str) -> SmsTemplate | None:
    """The template configured for `kind`, else the default one, else None (fine for console and file)."""
    table = parse_templates(settings.SMS_TEMPLATES)
    if kind in table:
        return table[kind]
    return parse_template(settings.SMS_DEFAULT_TEMPLATE) if settings.SMS_DEFAULT_TEMPLATE else None


def template_values(template: SmsTemplate | None, params: dict, *, subject: str, text: str) -> dict[str, str]:
    """The template's variables from the notification's params (plus `subject` and `text`), in order."""
    if template is None:
        return {}
    available = {"subject": subject, "text": text, **{str(k): v for k, v in params.items()}}
    missing = [name for name in template.variables if name not in available]
    if missing:
        raise PermanentFailure(f"template {template.code} needs {', '.join(missing)}", code="template_params")
    return {name: str(available[name]) for name in template.variables}
