"""Outbound campaigns (外呼任务, CB4): a purpose, a script, a call list, agents working it, and each call's history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.campaigns.events import CallEventCode
from kefu.core.permissions import VIEW, check_action
from kefu.core.pii import mask_phone


class Purpose(models.TextChoices):
    NEW_CUSTOMERS = "new_customers", _("Callback of new customers (新客户回访)")
    REGULAR_CUSTOMERS = "regular_customers", _("Periodic callback of existing customers")
    UNPAID_ORDER = "unpaid_order", _("Unpaid order reminder after 12 h (未付款提醒)")
    FAILED_ORDER = "failed_order", _("Second recommendation after a failed order (二次推荐)")
    ORDER_CHASING = "order_chasing", _("Order chasing (追单)")
    INFO_COLLECTION = "info_collection", _("Collecting customer information")
    OTHER = "other", _("Other")


class CampaignStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("campaign", "Open")
    CLOSED = "closed", pgettext_lazy("campaign", "Closed")


class CallStatus(models.TextChoices):
    PENDING = "pending", _("To call")
    DONE = "done", _("Reached")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    UNREACHABLE = "unreachable", _("Not reachable, given up")


class Outcome(models.TextChoices):
    """What came of a call that reached the customer."""

    INTERESTED = "interested", _("Interested")
    NOT_INTERESTED = "not_interested", _("Not interested")
    PAID = "paid", _("Has paid")
    WILL_PAY = "will_pay", _("Will pay")
    ORDERED = "ordered", _("Ordered")
    SATISFIED = "satisfied", _("Satisfied, no further need")
    NEW_NEED = "new_need", _("Has a new need")
    DECLINED = "declined", _("Declined to talk")


def is_campaign_manager(user) -> bool:
    """Who builds and distributes campaigns: team leads, supervisors and administrators."""
    return bool(user and user.is_authenticated and user.is_active and user.can_supervise())


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = VIEW) -> "CampaignQuerySet":
        """Managers see every campaign; an agent the campaigns with calls of theirs or still free to pull."""
        check_action(action)
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if is_campaign_manager(user):
            return self.all()
        if not user.can_handle_tickets():
            return self.none()
        mine = CampaignCall.objects.filter(campaign=models.OuterRef("pk"), agent_id=user.pk)
        return self.filter(Q(models.Exists(mine)) | Q(status=CampaignStatus.OPEN, pull_allowed=True))


class Campaign(models.Model):
    """An outbound campaign: its purpose, the script agents read, an optional survey and the retry rule."""

    name = models.CharField(_("name"), max_length=100)
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    script = models.TextField(_("script"), blank=True)
    questionnaire = models.ForeignKey("surveys.Questionnaire", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("questionnaire"))
    # Unreachable calls are tried again after retry_minutes, at most max_attempts times in all.
    max_attempts = models.PositiveSmallIntegerField(_("attempts at most"), default=3)
    retry_minutes = models.PositiveIntegerField(_("retry after (minutes)"), default=120)
    # Agents may take the next free call themselves (besides the calls a supervisor gave them).
    pull_allowed = models.BooleanField(_("agents may pull calls"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.OPEN)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self):
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == CampaignStatus.OPEN


class CampaignCall(models.Model):
    """One person to call in a campaign: who, which number (normalised), whose call it is and what came of it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="calls")
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=20)
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("customer"))
    reference = models.CharField(_("customer reference"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # Claimed with a conditional UPDATE … WHERE agent IS NULL, so two agents never get the same call.
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("agent"))
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=CallStatus.choices, default=CallStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # When a pending call is due (empty: at once); set to the retry time after an unanswered attempt.
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    result_note = models.CharField(_("result note"), max_length=500, blank=True)
    response = models.ForeignKey("surveys.Response", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("survey answers"))
    done_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The ticket the call opened (a new need, a complaint): from then on the ticket's own history tells the rest.
    ticket = models.ForeignKey("tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("ticket"))
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "phone"], name="campaign_call_unique_phone")]
        indexes = [
            # The next free call to pull, and an agent's calls due now.
            models.Index(fields=["campaign", "due_at", "id"], name="campaign_call_free",
                         condition=Q(status="pending", agent__isnull=True)),
            models.Index(fields=["agent", "status", "due_at"], name="campaign_call_agent"),
        ]
        verbose_name = _("campaign call")
        verbose_name_plural = _("campaign calls")

    def __str__(self):
        return f"#{self.pk}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def is_pending(self) -> bool:
        return self.status == CallStatus.PENDING


class CallEvent(models.Model):
    """One typed step in a call's history (campaigns/events.py): a code plus ids and codes, never personal data."""

    call = models.ForeignKey(CampaignCall, on_delete=models.CASCADE, related_name="events")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("event"), max_length=20, choices=CallEventCode.choices)
    params = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["campaign", "code", "created_at"], name="campaign_event")]
        verbose_name = _("call event")
        verbose_name_plural = _("call events")

    def __str__(self):
        return self.code
