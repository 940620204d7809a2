"""Login throttling (SE3): too many failed logins lock a user name, or an address, for a while.

Every login path goes through Django's `authenticate()` — the workspace's login page, the admin's, any other
form — so the lock is enforced in the authentication backend (`ThrottledModelBackend`). The workspace's login form
asks `locked_until()` first only to say *why* and answer 429 instead of "wrong password".

The failures are rows (`LoginFailure`), counted over a sliding window: several app servers share them, and a
lock ends by itself when the window has passed the last failures. A successful login clears its name's failures.
Entering the lock is written to the audit log; passwords are never stored or logged.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from kefu.accounts.models import LoginFailure
from kefu.audit.models import AuditAction
from kefu.audit.services import record


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.KEFU_LOGIN_LOCK_MINUTES)


def _key(username: str) -> str:
    return (username or "").strip().lower()[:150]


def client_address(request) -> str | None:
    """The peer's address as the server saw it; X-Forwarded-For is not trusted (anyone can send it)."""
    return (request.META.get("REMOTE_ADDR") or None) if request is not None else None


def locked_until(username: str, address: str | None, *, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the lock on this name (or address) ends, or None if a login may be tried now."""
    now = now or timezone.now()
    since = now - _window()
    ends = []
    recent = LoginFailure.objects.filter(at__gt=since)
    limits = [(recent.filter(username=_key(username)), settings.KEFU_LOGIN_FAILURES)]
    if address and settings.KEFU_LOGIN_ADDRESS_FAILURES:
        limits.append((recent.filter(address=address), settings.KEFU_LOGIN_ADDRESS_FAILURES))
    for failures, limit in limits:
        # Locked while `limit` failures lie within the window: until the oldest of the last `limit` leaves it.
        times = list(failures.order_by("-at").values_list("at", flat=True)[:limit])
        if len(times) >= limit:
            ends.append(times[-1] + _window())
    return max(ends) if ends else None


def record_failure(username: str, address: str | None, *, now: dt.datetime | None = None) -> bool:
    """Count one failed login; True if it locks the name (then it is in the audit log)."""
    now = now or timezone.now()
    key = _key(username)
    with transaction.atomic():
        LoginFailure.objects.filter(at__lte=now - _window()).delete()  # nothing older counts any more
        LoginFailure.objects.create(username=key, address=address, at=now)
        count = LoginFailure.objects.filter(username=key, at__gt=now - _window()).count()
        locked = count == settings.KEFU_LOGIN_FAILURES
        if locked:
            record(actor=None, action=AuditAction.LOGIN_LOCKED, target_type="login", target_id=key,
                   params={"failures": count, "minutes": settings.KEFU_LOGIN_LOCK_MINUTES, "address": address})
    return locked


def name_key(username: str) -> str:
    """How a user name is kept in the failures (trimmed, lower case)."""
    return _key(username)


def locked_names(*, now: dt.datetime | None = None) -> dict[str, dt.datetime]:
    """Every user name locked now, with when its lock ends (one query, for the security administrator)."""
    now = now or timezone.now()
    limit = settings.KEFU_LOGIN_FAILURES
    times: dict[str, list] = {}
    for username, at in LoginFailure.objects.filter(at__gt=now - _window()).order_by("-at").values_list(
            "username", "at"):
        times.setdefault(username, []).append(at)
    return {name: ats[limit - 1] + _window() for name, ats in times.items() if len(ats) >= limit}


def clear(username: str) -> None:
    LoginFailure.objects.filter(username=_key(username)).delete()


class ThrottledModelBackend(ModelBackend):
    """Django's user/password check, refused while the name or address is locked, counting each failure."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field())
        if username is None or password is None:
            return None
        address = client_address(request)
        if locked_until(username, address):
            raise PermissionDenied  # authenticate() stops here: no other backend is asked, no password checked
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(username, address)
        else:
            clear(username)
        return user

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD
