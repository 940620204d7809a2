"""How callback events read on the ticket's timeline (registered with kefu.tickets.timeline.describe)."""

from django.utils.translation import gettext as _

from kefu.callbacks.events import CallbackEventCode
from kefu.callbacks.models import Outcome, Reason
from kefu.tickets.timeline import _when, describe


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else str(value or "")


@describe(CallbackEventCode.CALLBACK_SCHEDULED)
def _scheduled(event, names) -> str:
    p = event.params
    text = _("attempt %(n)s, %(reason)s, due %(due)s") % {
        "n": p.get("attempt", 1), "reason": _label(Reason, p.get("reason")), "due": _when(p.get("due"))}
    if p.get("scheduled_for"):
        text += "，" + _("call from %(at)s") % {"at": _when(p["scheduled_for"])}
    return text


@describe(CallbackEventCode.CALLBACK_ASSIGNED)
def _assigned(event, names) -> str:
    text = names.user(event.params.get("agent"))
    return text + ("（" + _("pulled from the queue") + "）" if event.params.get("pulled") else "")


@describe(CallbackEventCode.CALLBACK_OUTCOME)
def _outcome(event, names) -> str:
    p = event.params
    text = _label(Outcome, p.get("outcome"))
    if p.get("outcome") not in (Outcome.CANCELLED,) and p.get("on_time") is False:
        text += "（" + _("late") + "）"
    return text


@describe(CallbackEventCode.FOLLOW_UP_CASE)
def _follow_up(event, names) -> str:
    return f"#{event.params.get('other')}"
