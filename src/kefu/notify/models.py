"""Notifications (SL4): one message to one recipient over one channel, with its delivery state."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core.permissions import VIEW, check_action
from kefu.core.pii import mask_email, mask_phone


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In-app")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    RETRYING = "retrying", _("Retrying")
    FAILED = "failed", _("Failed")


class Kind(models.TextChoices):
    """Known notification codes. Other apps may pass any other code string; it is stored as given."""

    SLA_WARNING = "sla_warning", _("Deadline approaching")
    SLA_BREACH = "sla_breach", _("Deadline missed")
    ESCALATION = "escalation", _("Escalation")
    EMERGENCY_CREATED = "emergency_created", _("Emergency repair")
    CONFIRM_RECEIPT = "confirm_receipt", _("Confirm receipt")


def kind_label(code: str) -> str:
    """The translated label of a known kind; an app-specific code is shown as it is."""
    return str(Kind(code).label) if code in Kind.values else code


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = VIEW) -> "NotificationQuerySet":
        """Everyone sees their own notifications; supervisors see every delivery, to follow up failures."""
        check_action(action)
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.can_supervise():
            return self.all()
        return self.filter(recipient_id=user.pk)


class Notification(models.Model):
    """One message to one recipient over one channel (in-app, email or SMS) and its delivery state."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="notifications", verbose_name=_("recipient"))
    # "channel" alone means the intake channel of a ticket (受理渠道); this is the delivery channel.
    channel = models.CharField(pgettext_lazy("notification", "channel"), max_length=10, choices=Channel.choices)
    # The email address or mobile number the message went to; empty for in-app messages.
    address = models.CharField(_("address"), max_length=254, blank=True)
    # No choices on purpose: any app may add its own code without a migration here (see Kind).
    kind = models.CharField(_("kind"), max_length=40)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("body"))
    # Codes and ids for templates and clients (ticket number, minutes left …), never translated text.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    ticket = models.ForeignKey("tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("ticket"))
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Moved on every state change, so a sweep can find deliveries that stopped moving.
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The bell: a user's unread in-app messages, newest first, and their count.
            models.Index(fields=["recipient", "-created_at"], name="notification_unread",
                         condition=Q(channel="in_app", read_at__isnull=True)),
            models.Index(fields=["recipient", "channel", "-created_at"], name="notification_inbox"),
            # Failed and stalled deliveries for supervisors and the sweep.
            models.Index(fields=["status", "updated_at"], name="notification_status"),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return f"{self.get_channel_display()} {self.kind} #{self.pk}"

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def masked_address(self) -> str:
        """The address as lists, logs and error texts may show it: 138****1234, z***@example.com."""
        if self.channel == Channel.SMS:
            return mask_phone(self.address)
        return mask_email(self.address) if self.address else ""
