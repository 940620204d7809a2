"""Business calendars, SLA policies with escalation ladders, and the running clocks of each ticket (SL1–SL5)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.roles import Role
from kefu.sla.calendar import WorkCalendar, parse_hours


class BusinessCalendar(models.Model):
    """Open hours per weekday plus China's holidays and 调休, or round the clock (hotlines)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    time_zone = models.CharField(_("time zone"), max_length=50, default="Asia/Shanghai")
    always_open = models.BooleanField(_("open 24×7"), default=False)
    cn_holidays = models.BooleanField(_("China public holidays and make-up days"), default=True)
    # {"0": "09:00-12:00,13:00-18:00", …, "6": ""}: 0 is Monday; an empty string is a closed day.
    hours = models.JSONField(_("hours per weekday"), default=dict, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")

    def __str__(self):
        return self.name

    def holiday_gaps(self, today: dt.date | None = None) -> list[int]:
        """This year and next, where neither the holiday package nor an override says which days are off."""
        today = today or timezone.localdate()
        calendar = self.to_work_calendar()
        return [y for y in (today.year, today.year + 1) if not calendar.year_known(y)]

    def to_work_calendar(self) -> WorkCalendar:
        """The arithmetic object, with this calendar's overrides loaded."""
        weekly = {int(day): parse_hours(text) for day, text in (self.hours or {}).items() if text}
        overrides = {o.date: (parse_hours(o.hours) if o.is_open and o.hours else
                              (weekly.get(0) or parse_hours("09:00-18:00")) if o.is_open else [])
                     for o in self.overrides.all()}
        return WorkCalendar(tz=ZoneInfo(self.time_zone), weekly=weekly, cn_holidays=self.cn_holidays,
                            always_open=self.always_open, overrides=overrides)


class CalendarOverride(models.Model):
    """A date the administrator sets: a company holiday, an extra working Saturday, next year's schedule."""

    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="overrides")
    date = models.DateField(_("date"))
    is_open = models.BooleanField(_("working day"), default=False)
    hours = models.CharField(_("hours"), max_length=100, blank=True,
                             help_text=_("e.g. 09:00-12:00,13:00-18:00; empty = the usual hours"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="calendar_override_unique")]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self):
        return f"{self.date} {'open' if self.is_open else 'closed'}"


class ClockKind(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response")
    NEXT_REPLY = "next_reply", _("Next reply")
    RESOLUTION = "resolution", _("Resolution")
    CALLBACK = "callback", _("Callback")


class SlaPolicy(models.Model):
    """Targets chosen by ticket type, priority, channel and customer tier; the first matching policy applies."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100,
                                                help_text=_("Lower positions are tried first."))
    active = models.BooleanField(_("active"), default=True)
    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.PROTECT, related_name="policies",
                                 verbose_name=_("calendar"))
    ticket_type = models.ForeignKey("tickets.TicketType", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="+", verbose_name=_("ticket type"))
    priority = models.PositiveSmallIntegerField(_("priority"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=20, blank=True)
    tier = models.CharField(_("customer tier"), max_length=20, blank=True)
    # Targets written as 30m, 4h or 3wd; empty means no clock of that kind.
    first_response = models.CharField(_("first response"), max_length=10, blank=True)
    next_reply = models.CharField(_("next reply"), max_length=10, blank=True)
    resolution = models.CharField(_("resolution"), max_length=10, blank=True)
    callback = models.CharField(_("callback"), max_length=10, blank=True)
    pause_statuses = models.JSONField(_("statuses that pause the clock"), default=list, blank=True)
    warn_percent = models.PositiveSmallIntegerField(_("warning at percent of the target"), default=75)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")

    def __str__(self):
        return self.name

    def target_for(self, kind: str) -> str:
        return getattr(self, kind)


class EscalationRung(models.Model):
    """One step of a policy's ladder, run a delay after the breach (or after the previous step)."""

    class Action(models.TextChoices):
        REASSIGN = "reassign", _("Reassign to a team's queue")
        NOTIFY_TEAM_LEAD = "notify_team_lead", _("Notify the team lead")
        NOTIFY_ROLE = "notify_role", _("Notify everyone with a role")

    policy = models.ForeignKey(SlaPolicy, on_delete=models.CASCADE, related_name="rungs")
    position = models.PositiveSmallIntegerField(_("step"), default=0)
    delay_minutes = models.PositiveIntegerField(_("delay (minutes)"), default=0)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("queue team"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True)
    sms = models.BooleanField(_("also by SMS"), default=False)

    class Meta:
        ordering = ["policy", "position"]
        constraints = [models.UniqueConstraint(fields=["policy", "position"], name="rung_unique_position")]
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")

    def __str__(self):
        return f"{self.policy_id}#{self.position} {self.action}"


class ClockState(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")
    BREACHED = "breached", _("Breached")
    CANCELLED = "cancelled", _("Cancelled")


# The states of a clock that still counts: the condition of the clock_live index, in the order it is written.
LIVE_STATES = (ClockState.RUNNING.value, ClockState.PAUSED.value)

class TicketClock(models.Model):
    """One running time limit of a ticket. `next_check_at` is the indexed deadline the sweeper looks at."""

    # No index of its own: clock_ticket_kind starts with it.
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="clocks", db_index=False)
    kind = models.CharField(max_length=20, choices=ClockKind.choices)
    # No index: nothing looks clocks up by policy but the PROTECT check when an administrator deletes a policy
    # (a scan, rarely), while every ticket created wrote two entries into it.
    policy = models.ForeignKey(SlaPolicy, on_delete=models.PROTECT, related_name="+", db_index=False)
    target = models.CharField(max_length=10)
    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    warn_at = models.DateTimeField(null=True, blank=True)
    paused_since = models.DateTimeField(null=True, blank=True)
    paused_minutes = models.FloatField(default=0)  # working minutes spent paused
    state = models.CharField(max_length=20, choices=ClockState.choices, default=ClockState.RUNNING)
    stopped_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)  # rungs already run
    next_check_at = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True)  # the sweeper batch that last took this clock
    calendar_warnings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["ticket", "kind", "started_at"]
        indexes = [
            # Partial: only clocks with something still to do are in the sweeper's index.
            models.Index(fields=["next_check_at"], name="clock_next_check",
                         condition=models.Q(next_check_at__isnull=False)),
            models.Index(fields=["ticket", "kind", "state"], name="clock_ticket_kind"),
        ]
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")

    def __str__(self):
        return f"{self.ticket_id} {self.kind} {self.state}"

    @property
    def is_live(self) -> bool:
        return self.state in (ClockState.RUNNING, ClockState.PAUSED)
