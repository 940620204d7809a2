"""Shared pieces of kefu's management commands: acting user, service errors as CommandError, JSON output."""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from kefu.core.errors import ServiceError


def acting_user(username: str | None):
    """The user a command acts as (--as); None means the machine's operator, who is trusted."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"--as: no active user {username!r}")
    return user


def fail(exc: ServiceError) -> CommandError:
    """A service refusal as a command error naming the code and field; params are shown as JSON."""
    where = f" [{exc.field}]" if exc.field else ""
    extra = f"\n{json.dumps(exc.params, ensure_ascii=False, indent=2, default=str)}" if exc.params else ""
    return CommandError(f"{exc.code}{where}: {exc.message}{extra}")


def dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
