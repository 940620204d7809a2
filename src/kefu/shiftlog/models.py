"""The shift's paperwork kept in kefu: the handover sheet (交接班) passed item by item to named people."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kefu.core.permissions import RestrictedQuerySet


class HandoverQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str):
        """The author and the people items are passed to; a team lead their team's; supervisors and up all."""
        from kefu.attendance.models import is_team_scoped

        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        mine = Q(author_id=user.pk) | Q(items__to_user_id=user.pk)
        if is_team_scoped(user):
            return self.filter(mine | Q(author__team_id=user.team_id)).distinct() if user.team_id else \
                self.filter(mine).distinct()
        if user.can_supervise():
            return self.all()
        return self.filter(mine).distinct()


class HandoverStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    PASSED = "passed", _("Passed on")


class Handover(models.Model):
    """One agent's handover sheet at the end of a shift."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("handed over by"))
    shift = models.ForeignKey("workforce.Shift", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=HandoverStatus.choices,
                              default=HandoverStatus.DRAFT)
    created_at = models.DateTimeField()
    passed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = HandoverQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.author_id} {self.created_at:%Y-%m-%d %H:%M}"


class ItemKind(models.TextChoices):
    TICKET = "ticket", _("Open ticket to follow up")
    CALLBACK = "callback", _("Callback due next shift")
    PROMISE = "promise", _("Promise made to a customer")
    PARTNER = "partner", _("Partner deadline")
    EQUIPMENT = "equipment", _("Equipment or system problem")
    CASH = "cash", _("Cash handover")
    NOTE = "note", _("Other")


class HandoverItem(models.Model):
    """One thing handed over, to a named person of the next shift, who acknowledges it."""

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    ticket = models.ForeignKey("tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.CharField(_("what"), max_length=300)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("passed to"))
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["handover", "id"]
        indexes = [models.Index(fields=["to_user", "acknowledged_at"], name="shiftlog_item_inbox")]

    def __str__(self):
        return f"{self.kind} {self.text[:20]}"
