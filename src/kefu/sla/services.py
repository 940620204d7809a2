"""Changing calendars, and computing deadlines for the command line and the API."""

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.core.errors import Forbidden, NotFound, ValidationFailed
from kefu.sla.calendar import Target, WorkCalendar, parse_hours, simple_calendar

# Re-exported so that every SLA state change is reachable from this module.
from kefu.sla.escalation import escalate_ticket, sweep  # noqa: F401
from kefu.sla.models import BusinessCalendar, CalendarOverride


def clean_target(text: str, *, field: str = "target") -> Target:
    try:
        return Target.parse(text)
    except ValueError as exc:
        raise ValidationFailed(_("Write a target like 30m, 4h or 3wd."), code="invalid_target", field=field) from exc


def clean_hours(text: str, *, field: str = "hours") -> list:
    try:
        return parse_hours(text)
    except ValueError as exc:
        raise ValidationFailed(_("Write hours like 09:00-12:00,13:00-18:00."), code="invalid_hours",
                               field=field) from exc


def resolve_calendar(*, name: str | None = None, hours: str | None = None, holidays: str = "cn",
                     time_zone: str = "Asia/Shanghai") -> WorkCalendar:
    """A stored calendar by name, or an ad-hoc one from hours Monday–Friday (and China's holidays)."""
    if name:
        stored = BusinessCalendar.objects.prefetch_related("overrides").filter(name=name).first()
        if stored is None:
            raise NotFound(_("No such calendar."), field="calendar")
        return stored.to_work_calendar()
    if holidays not in ("cn", "none"):
        raise ValidationFailed(_("Holidays are cn or none."), code="invalid_choice", field="holidays")
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationFailed(_("Unknown time zone."), code="invalid_time_zone", field="time_zone") from exc
    clean_hours(hours or "09:00-12:00,13:00-18:00")
    return simple_calendar(hours or "09:00-12:00,13:00-18:00", cn_holidays=holidays == "cn", tz=time_zone)


def compute_deadline(*, start: dt.datetime, target: str, calendar: WorkCalendar) -> dict:
    """The due time of `target` from `start`, the open minutes in between, and any guessed years."""
    if start.tzinfo is None:
        start = start.replace(tzinfo=calendar.tz)
    parsed = clean_target(target)
    try:
        due = calendar.deadline(start, parsed)
    except (ValueError, OverflowError) as exc:  # past the calendar's horizon (year 9999, or no open day)
        raise ValidationFailed(_("This target ends too far in the future."), code="target_too_far",
                               field="target") from exc
    return {
        "start": start.astimezone(calendar.tz).isoformat(), "target": str(parsed),
        "due": due.astimezone(calendar.tz).isoformat(),
        "working_minutes": round(calendar.working_minutes_between(start, due), 2),
        "warnings": calendar.warnings_between(start, due),
    }


def _require_admin(actor: User | None) -> None:
    if actor is not None and not actor.can_administer():
        raise Forbidden(_("Only an administrator can change calendars."), code="not_admin")


@transaction.atomic(durable=True)
def set_override(*, actor: User | None, calendar: BusinessCalendar, date: dt.date, is_open: bool,
                 hours: str = "", note: str = "") -> CalendarOverride:
    """Open or close one date of a calendar (company holiday, extra working Saturday, next year's 调休)."""
    _require_admin(actor)
    if hours:
        clean_hours(hours)
    if hours and not is_open:
        raise ValidationFailed(_("A closed day has no hours."), code="invalid", field="hours")
    override, _created = CalendarOverride.objects.update_or_create(
        calendar=calendar, date=date, defaults={"is_open": is_open, "hours": hours, "note": note[:200]})
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="calendar", target_id=calendar.pk,
           params={"date": date.isoformat(), "open": is_open, "hours": hours})
    return override
