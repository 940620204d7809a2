"""Callbacks (回访, CB1–CB2): which resolved tickets get one, and the callback tasks agents work through."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kefu.core.permissions import VIEW, check_action
from kefu.customers.models import Customer
from kefu.tickets.lifecycle import Channel


class CallbackRule(models.Model):
    """When a resolved ticket gets a callback: by ticket type, customer tier and channel; the first match wins.

    Complaints and emergency repairs always get one, whatever the rules say (CB1)."""

    ticket_type = models.ForeignKey("tickets.TicketType", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="+", verbose_name=_("ticket type"))
    tier = models.CharField(_("customer tier"), max_length=20, blank=True, choices=Customer.Tier.choices)
    channel = models.CharField(_("channel"), max_length=20, blank=True, choices=Channel.choices)
    enabled = models.BooleanField(_("call back"), default=True)
    due = models.CharField(_("due within"), max_length=10, blank=True,
                           help_text=_("e.g. 1wd, 24h; empty: the callback target of the ticket's SLA policy"))
    max_attempts = models.PositiveSmallIntegerField(_("attempts when unreachable"), default=3)
    retry_minutes = models.PositiveIntegerField(_("minutes between attempts"), default=120)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("callback rule")
        verbose_name_plural = _("callback rules")

    def __str__(self):
        return f"#{self.pk} {self.ticket_type_id or '*'}/{self.tier or '*'}/{self.channel or '*'}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from kefu.sla.calendar import Target

        if self.due:
            try:
                Target.parse(self.due)
            except ValueError:
                raise ValidationError({"due": _("Write a time limit like 30m, 4h or 1wd.")}) from None

    def matches(self, ticket) -> bool:
        tier = ticket.customer.tier if ticket.customer_id and ticket.customer else ""
        return ((self.ticket_type_id is None or self.ticket_type_id == ticket.ticket_type_id)
                and (not self.tier or self.tier == tier) and (not self.channel or self.channel == ticket.channel))


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted the result")
    NOT_ACCEPTED = "not_accepted", _("Did not accept the result")
    NEW_NEED = "new_need", _("Raised a new need")
    UNREACHABLE = "unreachable", _("Not reachable")
    NOT_CONVENIENT = "not_convenient", _("Not convenient now")
    CLOSED_UNREACHABLE = "closed_unreachable", _("Closed as unreachable")
    CANCELLED = "cancelled", _("Cancelled")


REACHED = (Outcome.ACCEPTED, Outcome.NOT_ACCEPTED, Outcome.NEW_NEED)


class Reason(models.TextChoices):
    RESOLVED = "resolved", _("Ticket resolved")
    NOT_ACCEPTED = "not_accepted", _("Call again: result not accepted")
    UNREACHABLE = "unreachable", _("Call again: not reachable")
    NOT_CONVENIENT = "not_convenient", _("Call at the time the customer named")


class CallbackTaskQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = VIEW) -> "CallbackTaskQuerySet":
        """Tasks on tickets the user may see: the permission primitive of the ticket, nothing of its own."""
        check_action(action)
        from kefu.tickets.models import Ticket

        return self.filter(ticket__in=Ticket.objects.visible_to(user))


class CallbackTask(models.Model):
    """One call to make. The tasks of one resolution form a case (回访个案); each task ends with one outcome."""

    class State(models.TextChoices):
        OPEN = "open", _("To call")
        AWAITING_APPROVAL = "awaiting_approval", _("Unreachable: waiting for the team lead")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="callbacks")
    case = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(CallbackRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    attempt = models.PositiveSmallIntegerField(default=1)
    reason = models.CharField(max_length=20, choices=Reason.choices, default=Reason.RESOLVED)
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)
    due_at = models.DateTimeField(_("due"))
    not_before = models.DateTimeField(_("call from"), null=True, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="callback_tasks", verbose_name=_("agent"))
    assigned_at = models.DateTimeField(null=True, blank=True)
    # Agents who may not make this call: the customer did not accept their explanation (换时间换客服代表).
    excluded = models.JSONField(default=list, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    objects = CallbackTaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            # The pull query: open, nobody on it yet, per team, most urgent first.
            models.Index(fields=["team", "due_at"], name="callback_pool",
                         condition=Q(state="open", assignee__isnull=True)),
            models.Index(fields=["assignee", "state", "due_at"], name="callback_mine"),
            models.Index(fields=["ticket", "state"], name="callback_ticket"),
        ]
        verbose_name = _("callback task")
        verbose_name_plural = _("callback tasks")

    def __str__(self):
        return f"{self.ticket_id}#{self.attempt} {self.state}"

    @property
    def case_id_or_own(self) -> int:
        return self.case_id or self.pk
