"""The ticket timeline as people read it: each typed event turned into one translated line when shown.

Events store codes and ids (STYLE 5); names of teams, people and statuses are looked up and translated here,
at display time, so a renamed team or a change of language shows correctly on old events too.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kefu.accounts.models import Team, User
from kefu.tickets import events as ticket_events
from kefu.tickets.lifecycle import Status
from kefu.tickets.models import ComplaintRecord, EventCode, Ticket, TicketEvent, TicketMessage


@dataclass
class Entry:
    event: TicketEvent
    label: str
    detail: str
    message: TicketMessage | None


def _status(value) -> str:
    return str(Status(value).label) if value in Status.values else str(value or "")


def _when(value) -> str:
    parsed = parse_datetime(value) if isinstance(value, str) else value
    return date_format(parsed, "SHORT_DATETIME_FORMAT") if parsed else ""


def _field_label(name: str) -> str:
    try:
        return str(Ticket._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _complaint_label(name: str) -> str:
    try:
        return str(ComplaintRecord._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


class _Names:
    """Team and user names for every id the events mention, fetched in two queries for the whole timeline."""

    def __init__(self, events: list[TicketEvent]):
        team_ids, user_ids = set(), set()
        for e in events:
            p = e.params
            for key, bucket in (("team", team_ids), ("assignee", user_ids), ("agent", user_ids),
                                ("manager", user_ids)):
                value = p.get(key)
                values = value if isinstance(value, list) else [value]
                bucket.update(v for v in values if isinstance(v, int))
            user_ids.update(u for u in p.get("notified", []) if isinstance(u, int))
        self.teams = {t.pk: t.name for t in Team.objects.filter(pk__in=team_ids)} if team_ids else {}
        self.users = ({u.pk: u.get_full_name() or u.username for u in User.objects.filter(pk__in=user_ids)}
                      if user_ids else {})

    def team(self, pk) -> str:
        return self.teams.get(pk, "—") if pk else "—"

    def user(self, pk) -> str:
        return self.users.get(pk, "—") if pk else "—"


# Other apps describe the events they own here (callbacks, surveys …) instead of growing _detail below.
_DESCRIBERS: dict[str, Callable[[TicketEvent, "_Names"], str]] = {}


def describe(code: str):
    """Decorator: `fn(event, names) -> str` renders the detail of events with this code."""
    def register(fn):
        _DESCRIBERS[code] = fn
        return fn
    return register


def reason_and_notified(p: dict, names: _Names) -> str:
    """The reason of a change and who was told of it (reopening here, escalation in kefu.sla.timeline)."""
    text = p.get("reason", "")
    if p.get("notified"):
        text += " " + _("notified %(names)s") % {"names": "、".join(names.user(u) for u in p["notified"])}
    return text.strip()


def _detail(e: TicketEvent, names: _Names) -> str:
    p = e.params
    code = e.code
    if code in _DESCRIBERS:
        return _DESCRIBERS[code](e, names)
    if code == EventCode.STATUS_CHANGED:
        text = f"{_status(p.get('from'))} → {_status(p.get('to'))}"
        return text + (f"：{p['reason']}" if p.get("reason") else "")
    if code == EventCode.ASSIGNED:
        team, assignee = p.get("team", [None, None]), p.get("assignee", [None, None])
        return _("team %(team)s, assignee %(user)s") % {"team": names.team(team[1]), "user": names.user(assignee[1])}
    if code == EventCode.DISPATCHED:
        text = _("to %(team)s") % {"team": names.team(p.get("team"))}
        if p.get("from"):
            text += "，" + _("appointment %(start)s – %(end)s") % {"start": _when(p["from"]), "end": _when(p["until"])}
        return text + (f"：{p['note']}" if p.get("note") else "")
    if code == EventCode.REOPENED:
        return reason_and_notified(p, names)
    if code in (EventCode.LINKED, EventCode.MERGED_INTO, EventCode.MERGED_FROM, EventCode.PARENT_SET,
                EventCode.CHILD_ADDED):
        other = p.get("other") or p.get("into") or p.get("source") or p.get("parent") or p.get("child")
        return f"#{other}" if other else ""
    if code == EventCode.UPDATED:
        return "、".join(_field_label(name) for name in sorted(p.get("fields") or {}))
    if code == EventCode.FIELD_ARRIVED:
        return p.get("note", "")
    if code == EventCode.FIELD_COMPLETED:
        return "：".join(x for x in (p.get("result", ""), p.get("notes", "")) if x)
    if code == EventCode.FOLLOW_UP_DONE:
        return p.get("result", "")
    if code == EventCode.CLOSE_OVERRIDDEN:
        return p.get("reason", "")
    if code == EventCode.REFERRED_TO_MANAGER:
        return _("to %(name)s") % {"name": names.user(p.get("manager"))}
    if code == EventCode.COMPLAINT_RECORDED:
        return "、".join(_complaint_label(name) for name in p.get("fields", []))
    return ""


def timeline(events: list[TicketEvent], messages: dict[int, TicketMessage]) -> list[Entry]:
    """Events oldest first, each with its readable label and detail and the message it carries, if any."""
    names = _Names(events)
    return [Entry(event=e, label=ticket_events.label(e.code),
                  detail=_detail(e, names), message=messages.get(e.params.get("message")))
            for e in events]
