"""The sections of a setup document: which model each describes, its natural key, fields and references.

A section is declarative: `plain` fields are copied as they are (the model's own validation checks them),
`refs` name other objects by their natural key (a calendar by name, a team as "department/team"), and
`children` are lists owned by the object (a calendar's dates, a policy's ladder, a type's fields) that the
document replaces as a whole when it lists them. An object the document does not mention is left alone.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import Department, Team
from kefu.callbacks.models import CallbackRule
from kefu.customers.models import Customer
from kefu.sla.calendar import Target, parse_hours
from kefu.sla.models import BusinessCalendar, SlaPolicy
from kefu.tickets.lifecycle import Channel, Priority, Status
from kefu.tickets.models import TicketType


def team_key(team: Team | None) -> str | None:
    return f"{team.department.name}/{team.name}" if team else None


def find_team(text: str) -> Team | None:
    department, _sep, name = (text or "").partition("/")
    return Team.objects.select_related("department").filter(department__name=department, name=name).first()


@dataclass(frozen=True)
class Ref:
    """A reference to another object by its natural key; `empty` allows none (a catch-all rule)."""

    attr: str
    find: Callable[[str], models.Model | None]
    key_of: Callable[[models.Model], str | None]
    code: str
    message: object
    empty: bool = False


TEAM_REF = Ref("team", find_team, team_key, "unknown_team", _("No such team; write it as department/team."),
               empty=True)
TYPE_REF = Ref("ticket_type", lambda code: TicketType.objects.filter(code=code).first(),
               lambda t: t.code if t else None, "unknown_type", _("No such ticket type."), empty=True)


@dataclass
class Section:
    """One section of the document."""

    name: str
    model: type[models.Model]
    key: tuple[str, ...]
    plain: tuple[str, ...]
    refs: dict[str, Ref] = field(default_factory=dict)
    children: tuple[str, ...] = ()
    check: Callable[[dict, Callable[[str, str, object], None]], None] | None = None
    order_by: tuple[str, ...] = ("pk",)

    def allowed(self) -> set[str]:
        return set(self.key) | set(self.plain) | set(self.refs) | set(self.children)

    def lookup(self, values: dict) -> models.Model | None:
        """The existing object with the item's natural key (refs already resolved into `values`)."""
        query = {}
        for name in self.key:
            ref = self.refs.get(name)
            # A key field left out means its empty value: a callback rule without a tier is the any-tier rule.
            query[ref.attr if ref else name] = values.get(ref.attr) if ref else values.get(name, "")
        return self.model.objects.filter(**query).first()

    def export_one(self, obj) -> dict:
        out = {}
        for name in (*self.key, *self.plain, *self.refs):
            if name in out:
                continue
            ref = self.refs.get(name)
            out[name] = ref.key_of(getattr(obj, ref.attr)) if ref else getattr(obj, name)
        return out


def _check_targets(values: dict, add) -> None:
    for name in ("first_response", "next_reply", "resolution", "callback"):
        text = values.get(name)
        if text:
            try:
                Target.parse(str(text))
            except ValueError:
                add(name, "invalid_target", _("Write a target like 30m, 4h or 3wd."))
    pauses = values.get("pause_statuses")
    if pauses is not None and (not isinstance(pauses, list) or set(map(str, pauses)) - set(Status.values)):
        add("pause_statuses", "invalid_choice", _("List statuses from: %(names)s.") % {
            "names": ", ".join(Status.values)})
    if values.get("channel") and values["channel"] not in Channel.values:
        add("channel", "invalid_choice", _("Unknown channel."))
    if values.get("tier") and values["tier"] not in Customer.Tier.values:
        add("tier", "invalid_choice", _("Unknown customer tier."))
    if values.get("priority") not in (None, "", *Priority.values):
        add("priority", "invalid_choice", _("Priority is 1 (low) to 4 (urgent), or empty for any."))
    percent = values.get("warn_percent")
    if percent is not None and not (isinstance(percent, int) and 1 <= percent <= 99):
        add("warn_percent", "out_of_range", _("Warn at 1 to 99 percent of the target."))


def _check_calendar(values: dict, add) -> None:
    if "time_zone" in values:
        try:
            ZoneInfo(str(values["time_zone"]))
        except (ZoneInfoNotFoundError, ValueError):
            add("time_zone", "invalid_time_zone", _("Unknown time zone."))
    hours = values.get("hours")
    if hours is None:
        return
    if not isinstance(hours, dict):
        add("hours", "invalid_type", _("Hours are a mapping of weekday (0 = Monday … 6 = Sunday) to times."))
        return
    for day, text in hours.items():
        if str(day) not in {str(d) for d in range(7)}:
            add(f"hours.{day}", "invalid_choice", _("Weekdays are 0 (Monday) to 6 (Sunday)."))
        elif text:
            try:
                parse_hours(str(text))
            except ValueError:
                add(f"hours.{day}", "invalid_hours", _("Write hours like 09:00-12:00,13:00-18:00."))
    values["hours"] = {str(day): str(text or "") for day, text in hours.items()}


def _check_type(values: dict, add) -> None:
    table = values.get("transitions")
    if table is None:
        return
    if not isinstance(table, dict) or not all(isinstance(v, list) for v in table.values()):
        add("transitions", "invalid_type", _("Transitions map a status to the list of statuses it may go to."))
        return
    named = set(table) | {s for nexts in table.values() for s in nexts}
    unknown = sorted(map(str, named - set(Status.values)))
    if unknown:
        add("transitions", "invalid_choice", _("Unknown statuses: %(names)s.") % {"names": ", ".join(unknown)})


def _calendar_ref() -> Ref:
    return Ref("calendar", lambda name: BusinessCalendar.objects.filter(name=name).first(),
               lambda c: c.name if c else None, "unknown_calendar", _("No such calendar."))


def _department_ref() -> Ref:
    return Ref("department", lambda name: Department.objects.filter(name=name).first(),
               lambda d: d.name if d else None, "unknown_department", _("No such department."))


SECTIONS: dict[str, Section] = {s.name: s for s in [
    Section("departments", Department, key=("name",), plain=("kind",), order_by=("name",)),
    Section("teams", Team, key=("department", "name"), plain=("is_field_crew",),
            refs={"department": _department_ref()}, children=("members",),
            order_by=("department__name", "name")),
    Section("calendars", BusinessCalendar, key=("name",),
            plain=("time_zone", "always_open", "cn_holidays", "hours"), children=("overrides",),
            check=_check_calendar, order_by=("name",)),
    Section("ticket_types", TicketType, key=("code",),
            plain=("name", "name_en", "transitions", "is_complaint", "is_emergency", "active", "position"),
            children=("fields",), check=_check_type, order_by=("position", "code")),
    Section("sla_policies", SlaPolicy, key=("name",),
            plain=("position", "active", "priority", "channel", "tier", "first_response", "next_reply",
                   "resolution", "callback", "pause_statuses", "warn_percent"),
            refs={"calendar": _calendar_ref(), "ticket_type": TYPE_REF}, children=("rungs",),
            check=_check_targets, order_by=("position", "name")),
    Section("callback_rules", CallbackRule, key=("ticket_type", "tier", "channel"),
            plain=("tier", "channel", "enabled", "due", "max_attempts", "retry_minutes", "position"),
            refs={"ticket_type": TYPE_REF}, order_by=("position", "pk")),
]}
