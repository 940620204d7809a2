"""A campaign call's history: typed event codes with ids and codes as parameters, the only writer of CallEvent."""

from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class CallEventCode(models.TextChoices):
    ADDED = "added", _("Added to the call list")
    ASSIGNED = "assigned", _("Given to an agent")
    PULLED = "pulled", _("Taken by an agent")
    NOT_REACHED = "not_reached", _("Not reached, to try again")
    GAVE_UP = "gave_up", _("Not reached, given up")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    COMPLETED = "completed", _("Call made")
    PHONE_REVEALED = "phone_revealed", _("Full number shown")
    TICKET_OPENED = "ticket_opened", _("Ticket opened")


def emit(call, code: CallEventCode, *, actor, at: datetime, params: dict | None = None):
    """Record one step of a call. Params hold codes and ids, never the phone or translated text."""
    from kefu.campaigns.models import CallEvent  # the model imports the codes from here

    return CallEvent.objects.create(call=call, campaign_id=call.campaign_id, code=code, params=params or {},
                                    actor=actor if getattr(actor, "pk", None) else None, created_at=at)


def emit_many(calls: list, code: CallEventCode, *, actor, at: datetime, params: dict | None = None) -> None:
    """The same step for many calls (an import, a distribution) in one INSERT."""
    from kefu.campaigns.models import CallEvent

    actor = actor if getattr(actor, "pk", None) else None
    CallEvent.objects.bulk_create([CallEvent(call=c, campaign_id=c.campaign_id, code=code, params=params or {},
                                             actor=actor, created_at=at) for c in calls])


def label(code: str) -> str:
    return str(CallEventCode(code).label) if code in CallEventCode.values else code
