"""The notices the SLA app sends: rendered in the center's language and queued through kefu.notify."""

import contextlib

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from kefu.core.errors import ValidationFailed

KIND_TEXT = {
    "sla_warning": lambda n, t: (_("%(number)s: time limit nearly reached") % n,
                                 _("Ticket %(number)s «%(title)s» is due at %(due)s.") % t),
    "sla_breach": lambda n, t: (_("%(number)s: time limit breached") % n,
                                _("Ticket %(number)s «%(title)s» was due at %(due)s and is overdue.") % t),
    "escalation": lambda n, t: (_("%(number)s escalated to you") % n,
                                _("Ticket %(number)s «%(title)s» was escalated: %(reason)s") % t),
    "emergency_created": lambda n, t: (_("Emergency repair %(number)s") % n,
                                       _("Emergency repair %(number)s at %(location)s: %(title)s") % t),
}


def tell(users, *, kind: str, ticket, sms: bool = False, **values) -> list[int]:
    """Queue an in-app notice (and an SMS where asked and the user has a mobile) to each user; return ids."""
    users = {u.pk: u for u in users if u is not None}
    if not users:
        return []
    from kefu.notify.services import queue_notification

    sent = []
    names = {"number": ticket.number}
    with translation.override(settings.LANGUAGE_CODE):
        texts = {"title": ticket.title, "location": ticket.location or "-", **names, **values}
        subject, body = KIND_TEXT[kind](names, texts)
    for user in users.values():
        queue_notification(recipient=user, channel="in_app", kind=kind, subject=subject, body=body,
                           ticket=ticket, params={"ticket": ticket.pk})
        sent.append(user.pk)
        if sms and user.mobile:
            # A malformed mobile on a user record must not stop the escalation.
            with contextlib.suppress(ValidationFailed):
                queue_notification(recipient=user, channel="sms", kind=kind, subject=subject, body=body,
                                   ticket=ticket, params={"ticket": ticket.pk})
    return sent
