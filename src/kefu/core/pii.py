"""Phone and ID numbers: validation, normalisation and masking (CU6)."""

import re

from django.utils.translation import gettext_lazy as _

from kefu.core.errors import ValidationFailed

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{9,11}$")  # area code 0xx/0xxx + 7–8 digit number
_HOTLINE = re.compile(r"^(400|800)\d{7}$")
_SHORT = re.compile(r"^(95|96|1[0-2])\d{3,6}$")  # service numbers such as 95598, 12345, 10086
_ID_CARD = re.compile(r"^\d{17}[\dX]$")
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _id_card_ok(value: str) -> bool:
    """GB 11643: the 18th character is the ISO 7064 MOD 11-2 check of the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return value[17] == "10X98765432"[total % 11]


def _credit_code_ok(value: str) -> bool:
    """GB 32100: the 18th character is the MOD 31 check of the first 17."""
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(value[:17], _CREDIT_WEIGHTS, strict=True))
    return value[17] == _CREDIT_CHARS[(31 - total % 31) % 31]


def normalize_phone(raw: str, *, field: str = "phone") -> str:
    """Digits only, +86/0086 dropped; refuse anything that is not a Chinese phone number."""
    value = re.sub(r"[\s\-()（）]", "", raw or "")
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    if not value:
        raise ValidationFailed(_("A phone number is required."), code="required", field=field)
    if not value.isdigit() or not (
        _MOBILE.match(value) or _LANDLINE.match(value) or _HOTLINE.match(value) or _SHORT.match(value)
    ):
        raise ValidationFailed(_("This is not a valid phone number."), code="invalid_phone", field=field)
    return value


def normalize_id_number(raw: str, *, field: str = "id_number") -> str:
    """A resident ID (18 digits, last may be X) or a unified social credit code, upper-cased."""
    value = re.sub(r"\s", "", raw or "").upper()
    if not ((_ID_CARD.match(value) and _id_card_ok(value)) or (_CREDIT_CODE.match(value) and _credit_code_ok(value))):
        raise ValidationFailed(_("This is not a valid ID or credit code number."), code="invalid_id_number",
                               field=field)
    return value


def mask_phone(value: str) -> str:
    """138****1234 for mobiles; area code + **** + last four for landlines; short numbers as they are."""
    if not value:
        return ""
    if len(value) <= 6:
        return value  # service numbers like 12345 identify no person
    if value.startswith("0"):
        head = 4 if len(value) >= 11 else 3
        return value[:head] + "****" + value[-4:]
    return value[:3] + "****" + value[-4:]


def mask_id_number(value: str) -> str:
    """First six (region) and last four characters kept: 110101********1234."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_email(value: str) -> str:
    """z***@example.com: enough to recognise, not enough to write to."""
    if "@" not in value:
        return "***"
    local, _sep, domain = value.partition("@")
    return (local[:1] or "*") + "***@" + domain
