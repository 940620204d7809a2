"""Memos (备忘录, KB3): an agent's question to the information desk, tied to a ticket, answered or forwarded."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core.permissions import VIEW, check_action
from kefu.knowledge.access import can_manage_knowledge, is_staff_user


class MemoStatus(models.TextChoices):
    # A context: "Answered" is also a phone call's state (已接听), a memo's is 已答复.
    OPEN = "open", pgettext_lazy("memo", "Open")
    FORWARDED = "forwarded", pgettext_lazy("memo", "Forwarded")
    ANSWERED = "answered", pgettext_lazy("memo", "Answered")
    CLOSED = "closed", pgettext_lazy("memo", "Closed")


OPEN_STATUSES = (MemoStatus.OPEN, MemoStatus.FORWARDED)


class MemoQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = VIEW) -> "MemoQuerySet":
        """The desk and management see every memo; an agent their own; another department those forwarded to it."""
        check_action(action)
        if not is_staff_user(user):
            return self.none()
        if can_manage_knowledge(user):
            return self.all()
        mine = Q(asked_by_id=user.pk)
        if user.team_id:
            mine |= Q(forwarded_to_id=user.team.department_id)
        return self.filter(mine)


class Memo(models.Model):
    """One question from an agent to the information desk and its answer; open ones go to the next briefing."""

    ticket = models.ForeignKey("tickets.Ticket", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="memos", verbose_name=_("ticket"))
    question = models.TextField(_("question"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memos_asked",
                                 verbose_name=_("asked by"))
    asked_at = models.DateTimeField(_("asked"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=MemoStatus.choices, default=MemoStatus.OPEN)
    # The desk member who took it; empty means the whole desk still has it.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("owner"))
    forwarded_to = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("forwarded to"))
    forward_note = models.CharField(_("forward note"), max_length=500, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # The agent has replied to the customer with the answer.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Unanswered at the end of the day: shown as an open question in this day's briefing (KB5).
    briefing_date = models.DateField(_("briefing"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = MemoQuerySet.as_manager()

    class Meta:
        ordering = ["asked_at", "id"]
        indexes = [
            models.Index(fields=["asked_at"], name="memo_open_queue",
                         condition=Q(status__in=["open", "forwarded"])),
            models.Index(fields=["asked_by", "-asked_at"], name="memo_asked_by"),
        ]
        verbose_name = _("memo")
        verbose_name_plural = _("memos")

    def __str__(self):
        return f"#{self.pk} {self.question[:30]}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def age(self, now=None):
        """How long the question has waited (until answered, or until now)."""
        end = self.answered_at or now or timezone.now()
        return end - self.asked_at
