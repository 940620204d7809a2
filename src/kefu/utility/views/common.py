"""Helpers shared by the utility pages."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from kefu.accounts.roles import CAN_SUPERVISE, Role
from kefu.packs import is_enabled
from kefu.utility import PACK


def pack_on() -> None:
    """A page of the pack is a 404 while the pack is switched off."""
    if not is_enabled(PACK):
        raise Http404


def office(user) -> None:
    """Office pages are for the center's service staff (not the field crew, not QA)."""
    pack_on()
    if user.role in (Role.FIELD_CREW, Role.QA_INSPECTOR):
        raise PermissionDenied


def supervisor(user) -> None:
    pack_on()
    if user.role not in CAN_SUPERVISE:
        raise PermissionDenied


def month_param(value: str | None) -> date:
    """?period=2026-11 (or a full date) → the first of that month; anything else → this month."""
    today = timezone.localdate()
    try:
        year, month = (int(p) for p in (value or "").split("-")[:2])
        return date(year, month, 1)
    except (TypeError, ValueError):
        return today.replace(day=1)


def day_param(value: str | None) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return timezone.localdate()


def fen_param(value) -> int | None:
    """A yuan amount typed at the counter ("12.5", "12.50") as exact fen; None when empty or malformed."""
    text = str(value or "").strip()
    if not text:
        return None
    whole, _dot, part = text.partition(".")
    if not whole.isdigit() or (part and (not part.isdigit() or len(part) > 2)):
        return -1
    return int(whole) * 100 + int((part + "00")[:2])
