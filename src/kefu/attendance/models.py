"""Attendance (考勤) on the published roster: clock-in and clock-out, corrections approved by the team lead.

A day's verdict (late, early leave, absent, overtime) is computed from the published shift, the punches,
the approved corrections and the presence states — never stored, so a correction or a republished roster
changes the sheet at once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.permissions import RestrictedQuerySet


class OwnOrTeamQuerySet(RestrictedQuerySet):
    """Agents see only their own rows; team leads their team's; supervisors and up the whole center."""

    def restrict(self, user, action: str):
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        if is_team_scoped(user):
            return self.filter(user__team_id=user.team_id) if user.team_id else self.filter(user_id=user.pk)
        if user.can_supervise():
            return self.all()
        return self.filter(user_id=user.pk)


def is_team_scoped(user) -> bool:
    """A team lead: sees and decides for their own team only."""
    from kefu.accounts.roles import TICKET_SCOPE, Scope

    return user.can_supervise() and TICKET_SCOPE.get(user.role) == Scope.TEAM


class PunchKind(models.TextChoices):
    IN = "in", _("Clock in")
    OUT = "out", _("Clock out")


class Punch(models.Model):
    """One clock-in or clock-out made on the web."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("agent"))
    kind = models.CharField(_("kind"), max_length=3, choices=PunchKind.choices)
    at = models.DateTimeField(_("time"))

    objects = OwnOrTeamQuerySet.as_manager()

    class Meta:
        ordering = ["user", "at"]
        indexes = [models.Index(fields=["user", "at"], name="attendance_punch_user")]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.at}"


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the team lead")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Correction(models.Model):
    """An agent's request to set the clock-in or clock-out time of a day (forgot to clock, system down)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("agent"))
    day = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=3, choices=PunchKind.choices)
    at = models.DateTimeField(_("corrected time"))
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=CorrectionStatus.choices,
                              default=CorrectionStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    objects = OwnOrTeamQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "day"], name="attendance_correction_day")]

    def __str__(self):
        return f"{self.user_id} {self.day} {self.kind} {self.status}"


class LeaveKind(models.TextChoices):
    ANNUAL = "annual", _("Annual leave")
    SICK = "sick", _("Sick leave")
    PERSONAL = "personal", _("Personal leave")
    COMPENSATORY = "compensatory", _("Time off in lieu")


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the team lead")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")


class Leave(models.Model):
    """Leave by kind over whole days; approved leave excuses the rostered shifts of those days."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("agent"))
    kind = models.CharField(_("kind"), max_length=15, choices=LeaveKind.choices)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    days = models.PositiveSmallIntegerField(_("days"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=LeaveStatus.choices, default=LeaveStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    objects = OwnOrTeamQuerySet.as_manager()

    class Meta:
        ordering = ["-first_day", "-id"]
        indexes = [models.Index(fields=["user", "first_day"], name="attendance_leave_user")]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.first_day}"


class LeaveBalance(models.Model):
    """Days of a leave kind an agent is entitled to in a year (sick and personal leave have none: unlimited)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=15, choices=LeaveKind.choices)
    year = models.PositiveSmallIntegerField()
    days = models.PositiveSmallIntegerField(default=0)

    objects = OwnOrTeamQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind", "year"], name="attendance_balance_once")]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.year}"


class Policy(models.Model):
    """The center's attendance rules (one row): grace minutes and the swap notice."""

    late_grace_minutes = models.PositiveSmallIntegerField(_("late after (minutes of grace)"), default=5)
    early_grace_minutes = models.PositiveSmallIntegerField(_("early leave before (minutes of grace)"), default=5)
    overtime_after_minutes = models.PositiveSmallIntegerField(_("overtime counted after (minutes)"), default=30)
    swap_notice_working_days = models.PositiveSmallIntegerField(_("swaps asked working days ahead"), default=1)
    version = models.PositiveIntegerField(default=1)

    def __str__(self):
        return "policy"


class SwapStatus(models.TextChoices):
    ASKED = "asked", _("Waiting for the colleague")
    ACCEPTED = "accepted", _("Waiting for the team lead")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused by the team lead")
    DECLINED = "declined", _("Declined by the colleague")
    CANCELLED = "cancelled", _("Cancelled")


class SwapQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str):
        """The two agents see their swap; a team lead their team's; supervisors and up all."""
        from django.db.models import Q

        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        mine = Q(requester_id=user.pk) | Q(colleague_id=user.pk)
        if is_team_scoped(user):
            return self.filter(mine | Q(requester__team_id=user.team_id) | Q(colleague__team_id=user.team_id)) \
                if user.team_id else self.filter(mine)
        if user.can_supervise():
            return self.all()
        return self.filter(mine)


class Swap(models.Model):
    """调班: an agent's shift exchanged with a named colleague's (or taken over when the colleague gives none)."""

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("asked by"))
    colleague = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("colleague"))
    shift = models.ForeignKey("workforce.Shift", on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("shift given"))
    their_shift = models.ForeignKey("workforce.Shift", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="+", verbose_name=_("shift taken"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=SwapStatus.choices, default=SwapStatus.ASKED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    objects = SwapQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.requester_id}↔{self.colleague_id} {self.status}"
