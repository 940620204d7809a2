"""The notices the SLA app sends: rendered in the center's language and queued through kefu.notify."""

import contextlib
import functools
from contextvars import ContextVar

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

# At import, not on first use: the first sweep of a worker would otherwise pay for loading the delivery backends.
from kefu.notify.services import NotificationInput, queue_notifications

KIND_TEXT = {
    "sla_warning": (gettext_noop("%(number)s: time limit nearly reached"),
                    gettext_noop("Ticket %(number)s «%(title)s» is due at %(due)s.")),
    "sla_breach": (gettext_noop("%(number)s: time limit breached"),
                   gettext_noop("Ticket %(number)s «%(title)s» was due at %(due)s and is overdue.")),
    "escalation": (gettext_noop("%(number)s escalated to you"),
                   gettext_noop("Ticket %(number)s «%(title)s» was escalated: %(reason)s")),
    "emergency_created": (gettext_noop("Emergency repair %(number)s"),
                          gettext_noop("Emergency repair %(number)s at %(location)s: %(title)s")),
}


@functools.lru_cache(maxsize=64)
def _templates(kind: str, language: str) -> tuple[str, str]:
    """The subject and body templates of `kind` in `language`; a sweep writes thousands, translated once."""
    subject, body = KIND_TEXT[kind]
    with translation.override(language):
        return gettext(subject), gettext(body)


# While a sweep batch runs, tell() collects here and the batch writes them all in one INSERT (see batched()).
_pending: ContextVar[list | None] = ContextVar("kefu_sla_pending_notices", default=None)


@contextlib.contextmanager
def batched():
    """Inside the caller's transaction: every tell() in the block is queued by one queue_notifications()."""
    items: list = []
    token = _pending.set(items)
    try:
        yield
    finally:
        _pending.reset(token)
    if items:  # not reached when the block raised: the transaction rolls back and nothing is announced
        queue_notifications(items=items)


def tell(users, *, kind: str, ticket, sms: bool = False, **values) -> list[int]:
    """Queue an in-app notice (and an SMS where asked and the user has a mobile) to each user; return ids."""
    users = {u.pk: u for u in users if u is not None}
    if not users:
        return []
    names = {"number": ticket.number}
    texts = {"title": ticket.title, "location": ticket.location or "-", **names, **values}
    subject_template, body_template = _templates(kind, settings.LANGUAGE_CODE)
    subject, body = subject_template % names, body_template % texts
    items = []
    for user in users.values():
        common = {"recipient": user, "kind": kind, "subject": subject, "body": body, "ticket": ticket,
                  "params": {"ticket": ticket.pk}}
        items.append(NotificationInput(channel="in_app", **common))
        if sms and user.mobile:
            # A malformed mobile on a user record must not stop the escalation: optional, dropped if invalid.
            items.append(NotificationInput(channel="sms", optional=True, **common))
    pending = _pending.get()
    if pending is not None:
        pending.extend(items)
    else:
        queue_notifications(items=items)
    return list(users)
