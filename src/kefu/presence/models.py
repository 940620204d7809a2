"""Agent presence (在线/空闲, 忙碌, 小休, 培训, 离线), capacity per channel, and the history of states.

The history rows (PresenceSpan) are what workforce attendance and adherence aggregate per month, so they are
kept as plain (user, state, started_at, ended_at, reason) rows with an index for a month's scan."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    AVAILABLE = "available", _("Available")
    BUSY = "busy", _("Busy")
    BREAK = "break", _("On break")
    TRAINING = "training", _("Training")
    OFFLINE = "offline", _("Offline")


class Reason(models.TextChoices):
    """Who or what changed the state: the agent, a lead, the telephony system, the login/logout."""

    MANUAL = "manual", _("Set by the agent")
    LEAD = "lead", _("Set by the team lead")
    TELEPHONY = "telephony", _("Telephony system")
    SESSION = "session", _("Signed in or out")
    MISSED_OFFER = "missed_offer", _("Missed a chat offer")


class AgentPresence(models.Model):
    """One agent's current state and how many chats they hold, claimed with conditional UPDATEs."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="presence", verbose_name=_("agent"))
    # Copied from the user so the router reads one table; kept in step by the services that change a team.
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("team"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OFFLINE)
    state_since = models.DateTimeField(_("in this state since"))
    chat_capacity = models.PositiveSmallIntegerField(_("chats at a time"), default=3)
    call_capacity = models.PositiveSmallIntegerField(_("calls at a time"), default=1)
    active_chats = models.PositiveSmallIntegerField(_("chats held"), default=0)
    active_calls = models.PositiveSmallIntegerField(_("calls held"), default=0)
    # Skills the router matches: "lang:zh", "lang:en", "product:gas", "vip" …
    skills = models.JSONField(_("skills"), default=list, blank=True)
    last_assigned_at = models.DateTimeField(null=True, blank=True)
    # The state to go back to when the telephony system reports that the call has ended.
    resume_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["team", "state"], name="presence_team_state")]
        constraints = [models.CheckConstraint(condition=Q(active_chats__lte=F("chat_capacity")),
                                              name="presence_chats_within_capacity")]
        verbose_name = _("agent presence")
        verbose_name_plural = _("agent presence")

    def __str__(self):
        return f"{self.user_id} {self.state}"

    @property
    def has_room(self) -> bool:
        return self.state == State.AVAILABLE and self.active_chats < self.chat_capacity


class PresenceSpan(models.Model):
    """One stretch of time an agent spent in one state; the open one has no end."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("agent"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, default=Reason.MANUAL)
    end_reason = models.CharField(_("ended by"), max_length=20, choices=Reason.choices, blank=True)

    class Meta:
        ordering = ["user", "started_at"]
        indexes = [
            # A month of one agent (attendance), and a month of the whole center (adherence reports).
            models.Index(fields=["user", "started_at"], name="presence_span_user"),
            models.Index(fields=["started_at"], name="presence_span_started"),
        ]
        constraints = [models.UniqueConstraint(fields=["user"], condition=Q(ended_at__isnull=True),
                                               name="presence_span_one_open")]
        verbose_name = _("presence period")
        verbose_name_plural = _("presence periods")

    def __str__(self):
        return f"{self.user_id} {self.state} {self.started_at:%Y-%m-%d %H:%M}"
