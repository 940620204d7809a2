"""Checks and normalisation of customer input, shared by create, update and import."""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from kefu.core.errors import ValidationFailed
from kefu.core.pii import normalize_id_number, normalize_phone
from kefu.core.text import clean_display
from kefu.customers.models import ContactPoint, Customer, CustomerReference

_QQ = re.compile(r"^[1-9]\d{4,11}$")
_WECHAT = re.compile(r"^[A-Za-z0-9_\-]{5,40}$")


def clean_contact(kind: str, value: str, *, field: str) -> str:
    """Return the stored form of a contact value or raise naming `field`."""
    if kind not in ContactPoint.Kind.values:
        raise ValidationFailed(_("Unknown contact kind."), code="invalid_choice", field=f"{field}.kind")
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(_("This field is required."), code="required", field=f"{field}.value")
    if kind in (ContactPoint.Kind.MOBILE, ContactPoint.Kind.PHONE):
        return normalize_phone(value, field=f"{field}.value")
    if kind == ContactPoint.Kind.EMAIL:
        try:
            validate_email(value)
        except DjangoValidationError as exc:
            raise ValidationFailed(_("This is not a valid email address."), code="invalid_email",
                                   field=f"{field}.value") from exc
        return value.lower()
    if kind == ContactPoint.Kind.QQ and not _QQ.match(value):
        raise ValidationFailed(_("A QQ number is 5 to 12 digits."), code="invalid_qq", field=f"{field}.value")
    if kind == ContactPoint.Kind.WECHAT and not _WECHAT.match(value):
        raise ValidationFailed(_("This is not a valid WeChat id."), code="invalid_wechat", field=f"{field}.value")
    if len(value) > 300:
        raise ValidationFailed(_("This value is too long."), code="too_long", field=f"{field}.value")
    return value


def clean_reference(kind: str, value: str, *, field: str) -> str:
    if kind not in CustomerReference.Kind.values:
        raise ValidationFailed(_("Unknown reference kind."), code="invalid_choice", field=f"{field}.kind")
    value = (value or "").strip()
    if not value or len(value) > 100:
        raise ValidationFailed(_("A reference is 1 to 100 characters."), code="invalid", field=f"{field}.value")
    return value


def clean_name(name: str) -> str:
    name = clean_display(name)
    if not name:
        raise ValidationFailed(_("This field is required."), code="required", field="name")
    if len(name) > 200:
        raise ValidationFailed(_("This value is too long."), code="too_long", field="name")
    return name


def clean_choice(value: str, choices, *, field: str) -> str:
    if value not in choices.values:
        raise ValidationFailed(_("Not one of the allowed values."), code="invalid_choice", field=field)
    return value


def clean_star_level(value: int) -> int:
    if not isinstance(value, int) or not 0 <= value <= 5:
        raise ValidationFailed(_("Star level is 0 to 5."), code="out_of_range", field="star_level")
    return value


# Notes are a few lines about the customer, not a document store (a 900,000-character note was accepted).
MAX_NOTES = 2000


def clean_notes(value: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_NOTES:
        raise ValidationFailed(_("The notes are longer than %(limit)s characters.") % {"limit": MAX_NOTES},
                               code="too_long", field="notes", params={"limit": MAX_NOTES})
    return value


def clean_id_number(value: str) -> str:
    value = (value or "").strip()
    return normalize_id_number(value) if value else ""


def clean_tier(value: str) -> str:
    return clean_choice(value, Customer.Tier, field="tier")
