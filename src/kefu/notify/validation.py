"""Checks on a notification before it is stored; each raises ValidationFailed naming the field."""

import json
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.core.errors import ValidationFailed
from kefu.core.pii import normalize_phone
from kefu.notify.models import Channel, Notification

_KIND = re.compile(r"^[a-z][a-z0-9_]*$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_CHANNELS = tuple(Channel.values)
_PLAIN = (str, int, bool, type(None))  # Choices.values builds a new list on every access


def clean_channel(channel: str) -> str:
    if channel not in _CHANNELS:
        raise ValidationFailed(_("Not one of the allowed values."), code="invalid_choice", field="channel",
                               params={"allowed": list(Channel.values)})
    return channel


def clean_kind(kind: str) -> str:
    max_length = Notification._meta.get_field("kind").max_length
    if not kind:
        raise ValidationFailed(_("This field is required."), code="required", field="kind")
    if len(kind) > max_length or not _KIND.match(kind):
        raise ValidationFailed(_("A notification kind is a code of lower-case letters, digits and _."),
                               code="invalid", field="kind")
    return kind


def clean_email(value: str, *, field: str) -> str:
    value = value.strip()
    try:
        validate_email(value)
    except DjangoValidationError as exc:
        raise ValidationFailed(_("This is not a valid email address."), code="invalid_email",
                               field=field) from exc
    return value


def clean_mobile(value: str, *, field: str) -> str:
    number = normalize_phone(value, field=field)
    if not _MOBILE.match(number):
        raise ValidationFailed(_("A text message can only go to a mobile number."), code="invalid_phone",
                               field=field)
    return number


def clean_address(channel: str, recipient: User | None, address: str) -> str:
    """The address to deliver to: the one given, else the recipient's own mobile or email."""
    if channel == Channel.IN_APP:
        if recipient is None:
            raise ValidationFailed(_("An in-app notification needs a recipient."), code="required",
                                   field="recipient")
        return ""
    profile_field = "mobile" if channel == Channel.SMS else "email"
    field = "address"
    if not address.strip():
        if recipient is None:
            raise ValidationFailed(_("Give a recipient or an address."), code="required", field="address")
        address = getattr(recipient, profile_field)
        field = f"recipient.{profile_field}"
        if not address:
            message = (_("%(user)s has no mobile number.") if channel == Channel.SMS
                       else _("%(user)s has no email address.")) % {"user": recipient.label}
            raise ValidationFailed(message, code="no_address", field=field, params={"recipient_id": recipient.pk})
    if channel == Channel.SMS:
        return clean_mobile(address, field=field)
    return clean_email(address, field=field)


def clean_text(subject: str, body: str) -> tuple[str, str]:
    max_subject = Notification._meta.get_field("subject").max_length
    subject = (subject or "").strip()
    if len(subject) > max_subject:
        raise ValidationFailed(_("This value is too long."), code="too_long", field="subject",
                               params={"max_length": max_subject})
    if not (body or "").strip():
        raise ValidationFailed(_("This field is required."), code="required", field="body")
    return subject, body


def clean_params(params: dict | None) -> dict:
    if params is None:
        return {}
    if isinstance(params, dict) and all(type(k) is str and type(v) in _PLAIN for k, v in params.items()):
        return params  # flat codes and numbers, JSON as they are (the usual {"ticket": 12}): no need to encode
    try:
        if not isinstance(params, dict):
            raise TypeError
        json.dumps(params)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(_("Parameters must be a JSON object of codes and numbers."), code="invalid",
                               field="params") from exc
    return params
