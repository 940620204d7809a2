"""The billing desk (营业收费, IN5): tariffs, payments at the counter, cashiers' shifts and their reconciliation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.utility.models.meters import CustomerClass


class Tariff(models.Model):
    """Tiered gas prices (阶梯气价) of one customer class from a date: [[annual m³ up to, fen per m³], …]."""

    customer_class = models.CharField(_("customer class"), max_length=20, choices=CustomerClass.choices)
    effective_from = models.DateField(_("effective from"))
    # Tiers by the account's volume this calendar year; the last tier's limit is null (no limit).
    tiers = models.JSONField(_("tiers"))
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["customer_class", "effective_from"]
        constraints = [models.UniqueConstraint(fields=["customer_class", "effective_from"],
                                               name="tariff_one_per_day")]
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")

    def __str__(self):
        return f"{self.customer_class} {self.effective_from}"


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    CARD = "card", _("Bank card")
    WECHAT = "wechat", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")


class ShiftStatus(models.TextChoices):
    OPEN = "open", _("Open")
    BALANCED = "balanced", _("Handed over, balanced")
    DIFFERENCE = "difference", _("Difference awaiting approval")
    APPROVED = "approved", _("Difference approved")


class Shift(models.Model):
    """A cashier's shift at the counter: declared takings per method against the system's, and any difference."""

    cashier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ShiftStatus.choices, default=ShiftStatus.OPEN)
    declared = models.JSONField(default=dict, blank=True)  # {"cash": fen, …} counted by the cashier
    system = models.JSONField(default=dict, blank=True)  # {"cash": fen, …} from the payments recorded
    difference_fen = models.BigIntegerField(default=0)
    reason = models.CharField(_("reason for the difference"), max_length=500, blank=True)
    handed_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["cashier"], condition=models.Q(status="open"),
                                               name="shift_one_open_per_cashier")]
        verbose_name = _("cashier shift")
        verbose_name_plural = _("cashier shifts")

    def __str__(self):
        return f"{self.cashier_id} {self.opened_at:%Y-%m-%d %H:%M}"


class Payment(models.Model):
    """Money taken at the counter for an account: a bill, arrears or an IC card top-up, with its receipt."""

    class Kind(models.TextChoices):
        BILL = "bill", _("Gas bill")
        ARREARS = "arrears", _("Arrears")
        IC_TOPUP = "ic_topup", _("IC card top-up")

    account = models.ForeignKey("utility.ServiceAccount", on_delete=models.PROTECT, related_name="payments")
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    method = models.CharField(_("method"), max_length=10, choices=PaymentMethod.choices)
    reference = models.CharField(_("transaction reference"), max_length=64, blank=True)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    volume_m3 = models.PositiveIntegerField(_("gas volume (m³)"), default=0)
    receipt_no = models.CharField(_("receipt number"), max_length=30, unique=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["at"], name="payment_day")]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self):
        return self.receipt_no
