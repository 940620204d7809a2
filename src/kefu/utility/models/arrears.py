"""Arrears (催缴): overdue balances, reminders sent, promises to pay and suspension notices."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ArrearsBalance(models.Model):
    """What an account owes (fen) and since when; imported from billing or changed at the desk."""

    account = models.OneToOneField("utility.ServiceAccount", on_delete=models.CASCADE, related_name="arrears")
    amount_fen = models.BigIntegerField(_("amount owed (fen)"), default=0)
    due_since = models.DateField(_("overdue since"), null=True, blank=True)
    updated_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["due_since"], name="arrears_age",
                                condition=models.Q(amount_fen__gt=0))]
        verbose_name = _("arrears balance")
        verbose_name_plural = _("arrears balances")

    def __str__(self):
        return f"{self.account_id}: {self.amount_fen}"


class ArrearsAction(models.Model):
    """One step of collection on an account: a reminder (SMS, call), a promise, a notice, a payment."""

    class Kind(models.TextChoices):
        SMS = "sms", _("SMS reminder")
        CALL = "call", _("Reminder call")
        PROMISE = "promise", _("Promise to pay")
        PROMISE_BROKEN = "promise_broken", _("Promise broken")
        NOTICE = "notice", _("Suspension notice")
        SUSPENDED = "suspended", _("Supply suspended")
        PAID = "paid", _("Paid")

    account = models.ForeignKey("utility.ServiceAccount", on_delete=models.CASCADE, related_name="arrears_actions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    band = models.CharField(max_length=10, blank=True)
    params = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["account", "kind", "at"], name="arrears_action_acct")]
        verbose_name = _("collection step")
        verbose_name_plural = _("collection steps")

    def __str__(self):
        return f"{self.account_id} {self.kind}"


class PaymentPromise(models.Model):
    """A customer's promise to pay an amount by a date; followed up when the date passes."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        KEPT = "kept", _("Kept")
        BROKEN = "broken", _("Broken")

    account = models.ForeignKey("utility.ServiceAccount", on_delete=models.CASCADE, related_name="promises")
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    due_on = models.DateField(_("promised by"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="promise_due")]
        verbose_name = _("promise to pay")
        verbose_name_plural = _("promises to pay")

    def __str__(self):
        return f"{self.account_id} {self.due_on}"


class SuspensionNotice(models.Model):
    """Written notice that supply stops on `effective_on` unless paid; supply may stop only after it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Notice period running")
        CANCELLED = "cancelled", _("Cancelled (paid)")
        EXECUTED = "executed", _("Supply suspended")

    account = models.ForeignKey("utility.ServiceAccount", on_delete=models.CASCADE, related_name="notices")
    amount_fen = models.BigIntegerField(_("amount owed (fen)"))
    issued_at = models.DateTimeField()
    notice_days = models.PositiveSmallIntegerField(_("notice period (days)"))
    effective_on = models.DateField(_("supply stops on"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("suspension notice")
        verbose_name_plural = _("suspension notices")

    def __str__(self):
        return f"{self.account_id} {self.effective_on}"


class ArrearsBill(models.Model):
    """One overdue bill (account + billing period) taken from the billing system's arrears file.

    The unique pair is what makes re-importing the same file harmless: a period already on record adds
    nothing to the balance again; a corrected amount moves the balance by the difference only.
    """

    account = models.ForeignKey("utility.ServiceAccount", on_delete=models.CASCADE, related_name="arrears_bills")
    period = models.DateField(_("billing period"))  # the first day of the billed month
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    due_on = models.DateField(_("due date"))
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["account", "period"]
        constraints = [models.UniqueConstraint(fields=["account", "period"], name="arrears_bill_period")]
        verbose_name = _("imported arrears bill")
        verbose_name_plural = _("imported arrears bills")

    def __str__(self):
        return f"{self.account_id} {self.period:%Y-%m}"
