"""Workforce planning data: staffing queues, weekly requirement curves, shift setups, schedule runs, rosters."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core.permissions import VIEW, RestrictedQuerySet


def is_planner(user) -> bool:
    """Who plans staffing and rosters: team leads, supervisors, management and administrators."""
    return bool(user and user.is_authenticated and user.is_active and user.can_supervise())


class PlannerQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str):
        """Planning data is for planners only, to view and to change; everyone else sees nothing (404)."""
        return self.all() if is_planner(user) else self.none()


class TargetKind(models.TextChoices):
    SERVICE_LEVEL = "sl", _("Service level")
    ASA = "asa", _("Average speed of answer")
    P_WAIT = "p_wait", _("Waiting probability")
    ABANDON = "abandon", _("Abandonment")


class VolumeSource(models.TextChoices):
    """Where a queue's history is read from when it is forecast from the records stored in kefu."""

    NONE = "", _("Imported file only")
    CALLS = "calls", _("Calls (CTI records)")
    TICKETS = "tickets", _("Tickets")
    CHATS = "chats", _("Chats")


class StaffingQueue(models.Model):
    """A queue (skill) planned on its own: its interval and the service target its staffing must meet."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60, blank=True)
    interval_minutes = models.PositiveSmallIntegerField(_("interval (minutes)"), default=30)
    target_sl = models.FloatField(_("service level target"), default=0.8)
    answer_within_s = models.PositiveIntegerField(_("answered within (seconds)"), default=20)
    # Mean patience; when set, staffing uses Erlang A (customers abandon), else Erlang C.
    patience_s = models.PositiveIntegerField(_("mean patience (seconds)"), null=True, blank=True)
    shrinkage = models.FloatField(_("shrinkage"), default=0.3)
    max_occupancy = models.FloatField(_("maximum occupancy"), default=0.85)
    # Which figure the staffing must meet: the service level above, or one of these.
    target_kind = models.CharField(_("staffing target"), max_length=10, choices=TargetKind.choices,
                                   default=TargetKind.SERVICE_LEVEL)
    target_asa_s = models.PositiveIntegerField(_("average speed of answer at most (seconds)"), null=True, blank=True)
    max_p_wait = models.FloatField(_("waiting probability at most"), null=True, blank=True)
    max_abandon = models.FloatField(_("abandonment at most"), null=True, blank=True)
    source = models.CharField(_("history from"), max_length=10, choices=VolumeSource.choices, blank=True,
                              default=VolumeSource.NONE)
    # The CTI queue name (calls) or the ticket channel (tickets) counted; blank counts them all.
    source_filter = models.CharField(_("only this queue or channel"), max_length=50, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = PlannerQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("staffing queue")
        verbose_name_plural = _("staffing queues")

    def __str__(self):
        return self.name


class Requirement(models.Model):
    """A queue's week: forecast calls and AHT per interval, agents required, and the planner's overrides."""

    queue = models.ForeignKey(StaffingQueue, on_delete=models.CASCADE, related_name="requirements",
                              verbose_name=_("queue"))
    week = models.DateField(_("week (Monday)"))
    interval_minutes = models.PositiveSmallIntegerField(_("interval (minutes)"))
    calls = models.JSONField(_("forecast calls"), default=list)  # 7 × slots, None = closed
    aht_s = models.JSONField(_("forecast AHT"), default=list)
    required = models.JSONField(_("agents required"), default=list)  # on the phones, from Erlang
    scheduled = models.JSONField(_("head count to schedule"), default=list)  # after shrinkage, editable
    edited = models.JSONField(_("intervals edited by hand"), default=list)
    method = models.CharField(_("forecast method"), max_length=20, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = PlannerQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["queue", "week"], name="workforce_requirement_week")]
        ordering = ["week", "queue__code"]

    def __str__(self):
        return f"{self.queue_id}@{self.week}"


class EventKind(models.TextChoices):
    HOLIDAY = "holiday", _("Local holiday")
    CAMPAIGN = "campaign", _("Campaign or promotion")
    OUTAGE = "outage", _("Outage")
    PRICE = "price", _("Price or tariff change")
    BILLING = "billing", _("Billing day")
    RELEASE = "release", _("Product or game update")
    OTHER = "other", _("Other")


class ForecastEvent(models.Model):
    """A day that moves the volume (an outage, a billing day, a game update): the forecast learns its effect
    from the past days carrying the same name and applies it to the coming ones."""

    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=EventKind.choices, default=EventKind.OTHER)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    queue = models.ForeignKey(StaffingQueue, null=True, blank=True, on_delete=models.CASCADE, related_name="events",
                              verbose_name=_("queue"))  # None: every queue
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField()

    objects = PlannerQuerySet.as_manager()

    class Meta:
        ordering = ["-first_day", "name"]
        verbose_name = _("forecast event")

    def __str__(self):
        return f"{self.name} {self.first_day}"


class ShiftSetup(models.Model):
    """The stored scheduling setup: shift patterns, breaks and labour rules as YAML (see kefu schedule)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    patterns_yaml = models.TextField(_("shift patterns (YAML)"))
    version = models.PositiveIntegerField(default=1)

    objects = PlannerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("shift setup")

    def __str__(self):
        return self.name


class AgentContract(models.Model):
    """What the roster must respect for one agent: days and hours a week, skills, nights, wishes."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contract",
                                verbose_name=_("agent"))
    skills = models.CharField(_("skills (queue codes, comma separated)"), max_length=200, blank=True)
    days_per_week = models.PositiveSmallIntegerField(_("days a week"), default=5)
    max_hours = models.FloatField(_("hours a week at most"), default=40)
    min_hours = models.FloatField(_("hours a week at least"), default=0)
    no_nights = models.BooleanField(_("exempt from night shifts"), default=False)
    prefers = models.CharField(_("preferred shifts (comma separated)"), max_length=200, blank=True)

    objects = PlannerQuerySet.as_manager()

    class Meta:
        verbose_name = _("agent contract")

    def __str__(self):
        return str(self.user_id)


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class ScheduleRun(models.Model):
    """One weekly scheduling run in the worker: its progress, a cancel request and the solver's answer."""

    week = models.DateField(_("week (Monday)"))
    setup = models.ForeignKey(ShiftSetup, on_delete=models.PROTECT, related_name="runs")
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.CharField(_("progress"), max_length=100, blank=True)
    cancel_requested = models.BooleanField(default=False)
    error = models.CharField(_("error"), max_length=300, blank=True)
    summary = models.JSONField(default=dict)  # paid hours, gap, shortfall, check verdict
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = PlannerQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.week} {self.status}"


class BacktestRun(models.Model):
    """A forecast backtest of a queue's stored history run in the worker: progress, cancel and the scores."""

    queue = models.ForeignKey(StaffingQueue, on_delete=models.CASCADE, related_name="backtests")
    weeks = models.PositiveSmallIntegerField(_("test weeks"), default=4)
    method = models.CharField(_("forecast method"), max_length=20, default="robust")
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.CharField(_("progress"), max_length=100, blank=True)
    cancel_requested = models.BooleanField(default=False)
    error = models.CharField(_("error"), max_length=300, blank=True)
    result = models.JSONField(default=dict)  # scores, baselines and the forecast-vs-actual curve
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = PlannerQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.queue_id} {self.status}"


class RosterStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("roster", "Draft")
    PUBLISHED = "published", pgettext_lazy("roster", "Published")


class Roster(models.Model):
    """The week's named roster: a draft the planner adjusts, then published for agents and other apps."""

    week = models.DateField(_("week (Monday)"), unique=True)
    status = models.CharField(_("status"), max_length=10, choices=RosterStatus.choices, default=RosterStatus.DRAFT)
    run = models.ForeignKey(ScheduleRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    interval_minutes = models.PositiveSmallIntegerField(default=30)
    version = models.PositiveIntegerField(default=1)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    objects = PlannerQuerySet.as_manager()

    class Meta:
        ordering = ["-week"]

    def __str__(self):
        return f"{self.week} {self.status}"


class ShiftQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str):
        """Planners see and change every shift; an agent views only their own shifts of published rosters."""
        if is_planner(user):
            return self.all()
        if action != VIEW:
            return self.none()
        return self.filter(agent_id=user.pk, roster__status=RosterStatus.PUBLISHED)


class Shift(models.Model):
    """One agent's shift in a roster: wall-clock start and end (a night shift ends the next day) and breaks."""

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="shifts")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shifts",
                              verbose_name=_("agent"))
    day = models.DateField(_("date"))
    pattern = models.CharField(_("shift"), max_length=80)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    breaks = models.JSONField(_("breaks"), default=list)  # [{"start": iso, "end": iso}]
    unpaid_break_minutes = models.PositiveIntegerField(default=0)
    skills = models.JSONField(default=list)

    objects = ShiftQuerySet.as_manager()

    class Meta:
        ordering = ["start", "agent_id"]
        indexes = [models.Index(fields=["agent", "start"], name="workforce_shift_agent_start")]

    def __str__(self):
        return f"{self.agent_id} {self.pattern} {self.day}"

    @property
    def label(self) -> str:
        """The shift's name without the break variant the scheduler chose (早班/1130 → 早班)."""
        return self.pattern.split("/")[0]


class RosterEventCode(models.TextChoices):
    GENERATED = "generated", _("Roster generated by the scheduler")
    SHIFT_REASSIGNED = "shift_reassigned", _("Shift given to another agent")
    SHIFT_REMOVED = "shift_removed", _("Shift removed")
    PUBLISHED = "published", _("Roster published")


class RosterEvent(models.Model):
    """A roster's typed history: a code and JSON params of ids and codes, labels translated when shown."""

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="events")
    code = models.CharField(max_length=30, choices=RosterEventCode.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField()
    params = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return self.code
