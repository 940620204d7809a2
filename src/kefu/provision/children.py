"""Lists an object owns in a setup document: a team's members, a calendar's dates, a policy's ladder, a
type's custom fields. Listing one replaces it as a whole; leaving it out keeps what is there.

Each function checks every entry (reporting through `add(path, code, message)`), and writes only when the
whole list is valid and differs from what is stored; it answers whether it wrote.
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.accounts.roles import Role
from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.provision.sections import find_team, team_key
from kefu.sla.calendar import parse_hours
from kefu.sla.models import CalendarOverride, EscalationRung
from kefu.tickets.models import TicketField


def _entries(items, path: str, add, allowed: set[str]) -> list[tuple[str, dict]]:
    if not isinstance(items, list):
        add(path, "invalid_type", _("This is a list."))
        return []
    out = []
    for i, item in enumerate(items):
        where = f"{path}[{i}]"
        if not isinstance(item, dict):
            add(where, "invalid_type", _("Each entry is an object."))
            continue
        for key in sorted(set(item) - allowed, key=str):
            add(f"{where}.{key}", "unknown_field", _("Unknown field."))
        out.append((where, item))
    return out


def members(team, items, path: str, add, *, actor) -> bool:
    """Move the listed users (by login name) into the team; users not listed stay where they are."""
    if not isinstance(items, list) or not all(isinstance(u, str) for u in items):
        add(path, "invalid_type", _("Members are a list of login names."))
        return False
    users = {u.username: u for u in User.objects.filter(username__in=items)}
    for i, name in enumerate(items):
        if name not in users:
            add(f"{path}[{i}]", "unknown_user", _("No such user."))
    moving = [u for u in users.values() if u.team_id != team.pk]
    if len(users) < len(set(items)) or not moving:
        return False
    for user in moving:
        previous = user.team_id
        User.objects.filter(pk=user.pk).update(team=team)
        record(actor=actor, action=AuditAction.USER_CHANGED, target_type="user", target_id=user.pk,
               params={"fields": ["team"], "from": previous, "to": team.pk, "via": "setup"})
    return True


def overrides(calendar, items, path: str, add, *, actor) -> bool:
    """A calendar's dated exceptions: holidays of the company, extra working days, next year's schedule."""
    wanted = []
    for where, item in _entries(items, path, add, {"date", "is_open", "hours", "note"}):
        try:
            day = item["date"] if isinstance(item.get("date"), dt.date) else dt.date.fromisoformat(str(item["date"]))
        except (KeyError, ValueError):
            add(f"{where}.date", "invalid_date", _("Write the date as YYYY-MM-DD."))
            continue
        hours = str(item.get("hours") or "")
        if hours:
            try:
                parse_hours(hours)
            except ValueError:
                add(f"{where}.hours", "invalid_hours", _("Write hours like 09:00-12:00,13:00-18:00."))
                continue
        wanted.append((day, bool(item.get("is_open", False)), hours, str(item.get("note") or "")[:200]))
    if len({w[0] for w in wanted}) < len(wanted):
        add(path, "duplicate", _("A date is listed twice."))
        return False
    current = sorted(calendar.overrides.values_list("date", "is_open", "hours", "note"))
    if sorted(wanted) == current:
        return False
    calendar.overrides.all().delete()
    CalendarOverride.objects.bulk_create(
        CalendarOverride(calendar=calendar, date=d, is_open=o, hours=h, note=n) for d, o, h, n in wanted)
    return True


def rungs(policy, items, path: str, add, *, actor) -> bool:
    """A policy's escalation ladder, in the order listed; each rung must be able to act."""
    wanted = []
    allowed = {"delay_minutes", "action", "team", "role", "sms"}
    for position, (where, item) in enumerate(_entries(items, path, add, allowed)):
        action = item.get("action")
        if action not in EscalationRung.Action.values:
            add(f"{where}.action", "invalid_choice", _("Unknown escalation action."))
            continue
        team = find_team(item["team"]) if item.get("team") else None
        if item.get("team") and team is None:
            add(f"{where}.team", "unknown_team", _("No such team; write it as department/team."))
        # A reassigning step without its team is accepted (the shipped complaint ladder starts with one until
        # the center names its complaint queue) and listed among the setup's problems instead.
        role = item.get("role") or ""
        if role and role not in Role.values:
            add(f"{where}.role", "invalid_choice", _("Unknown role."))
        if action == EscalationRung.Action.NOTIFY_ROLE and not role:
            add(f"{where}.role", "required", _("A notifying step needs the role to tell."))
        delay = item.get("delay_minutes", 0)
        if not isinstance(delay, int) or delay < 0:
            add(f"{where}.delay_minutes", "out_of_range", _("The delay is a whole number of minutes, 0 or more."))
            continue
        wanted.append((position, delay, action, team.pk if team else None, role, bool(item.get("sms", False))))
    current = list(policy.rungs.order_by("position").values_list(
        "position", "delay_minutes", "action", "team_id", "role", "sms"))
    if wanted == current:
        return False
    policy.rungs.all().delete()
    EscalationRung.objects.bulk_create(
        EscalationRung(policy=policy, position=p, delay_minutes=d, action=a, team_id=t, role=r, sms=s)
        for p, d, a, t, r, s in wanted)
    return True


_FIELD_KEYS = ("label", "label_en", "kind", "required", "choices", "position")


def fields(ticket_type, items, path: str, add, *, actor) -> bool:
    """A ticket type's custom fields by key: changed in place, added, and those not listed removed.

    The values already recorded on tickets stay in the tickets' own data when a field is removed."""
    existing = {f.key: f for f in ticket_type.fields.all()}
    keep, wrote = set(), False
    for position, (where, item) in enumerate(_entries(items, path, add, {"key", *_FIELD_KEYS})):
        key = str(item.get("key") or "")
        if not key or key in keep:
            add(f"{where}.key", "required" if not key else "duplicate",
                _("Each field needs its own key.") if key else _("A field needs a key."))
            continue
        keep.add(key)
        obj = existing.get(key) or TicketField(ticket_type=ticket_type, key=key)
        before = {k: getattr(obj, k) for k in _FIELD_KEYS}
        for k in _FIELD_KEYS:
            if k in item:
                setattr(obj, k, item[k])
        if "position" not in item:
            obj.position = position
        if obj.kind == TicketField.Kind.CHOICE and not obj.choices:
            add(f"{where}.choices", "required", _("A choice field needs its choices."))
            continue
        if not _valid(obj, where, add, exclude=["ticket_type"]):
            continue
        if obj.pk is None or before != {k: getattr(obj, k) for k in _FIELD_KEYS}:
            obj.save()
            wrote = True
    gone = [f.pk for key, f in existing.items() if key not in keep]
    if gone:
        TicketField.objects.filter(pk__in=gone).delete()
        wrote = True
    return wrote


def _valid(obj, where: str, add, *, exclude: list[str]) -> bool:
    from django.core.exceptions import ValidationError

    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, errors in exc.message_dict.items():
            for message in errors:
                add(f"{where}.{name}", "invalid", message)
        return False
    return True


CHILDREN = {"members": members, "overrides": overrides, "rungs": rungs, "fields": fields}


def export_children(name: str, obj) -> list:
    """A child list as the document writes it."""
    if name == "members":
        return sorted(obj.members.values_list("username", flat=True))
    if name == "overrides":
        return [{"date": o.date.isoformat(), "is_open": o.is_open, "hours": o.hours, "note": o.note}
                for o in obj.overrides.all()]
    if name == "rungs":
        return [{"delay_minutes": r.delay_minutes, "action": r.action, "team": team_key(r.team), "role": r.role,
                 "sms": r.sms} for r in obj.rungs.select_related("team__department").order_by("position")]
    return [{"key": f.key, **{k: getattr(f, k) for k in _FIELD_KEYS}} for f in obj.fields.all()]

