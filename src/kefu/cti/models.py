"""Calls reported by the telephony system, one row per call, as far as the agent's screen needs them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CallState(models.TextChoices):
    RINGING = "ringing", _("Ringing")
    ANSWERED = "answered", _("Answered")
    ENDED = "ended", _("Ended")


class Call(models.Model):
    """An inbound call to one agent: who is calling, which customer that is, and what the screen showed."""

    call_id = models.CharField(_("call id"), max_length=64, unique=True)  # the switch's own id, for idempotency
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calls")
    caller = models.CharField(_("caller"), max_length=20)  # normalised number; shown masked
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=CallState.choices, default=CallState.RINGING)
    rang_at = models.DateTimeField(_("rang at"))
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)  # the agent closed the pop
    queue = models.CharField(_("queue"), max_length=50, blank=True)  # the switch's skill group / hotline queue
    recording = models.CharField(_("recording"), max_length=200, blank=True)  # the switch's recording reference

    class Meta:
        ordering = ["-rang_at"]
        indexes = [models.Index(fields=["agent", "-rang_at"], name="call_agent_recent")]
        verbose_name = _("call")
        verbose_name_plural = _("calls")

    def __str__(self):
        return self.call_id

    @property
    def wait_seconds(self) -> int | None:
        """Ringing until answered: the '3 rings' target of CH1."""
        return int((self.answered_at - self.rang_at).total_seconds()) if self.answered_at else None

    @property
    def talk_seconds(self) -> int | None:
        return int((self.ended_at - self.answered_at).total_seconds()) if self.answered_at and self.ended_at else None
