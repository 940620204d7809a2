"""Enterprise customers: their profile (category, business attribute, scale), major-event assurance and
site inspections (003 篇八)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    INDUSTRY = "industry", _("Industry customer")
    BUSINESS = "business", _("Business customer")


class Attribute(models.TextChoices):
    SINGLE = "single", _("Single service")
    MULTIPLE = "multiple", _("Several services")
    SOLUTION = "solution", _("Industry solution")
    INTEGRATED = "integrated", _("Integrated services")


class Scale(models.TextChoices):
    A = "a", _("A — key account")
    B = "b", _("B — large")
    C = "c", _("C — medium")
    D = "d", _("D — small")


class EnterpriseProfile(models.Model):
    """How the center serves one enterprise customer: its grading, its account manager, the green channel."""

    customer = models.OneToOneField("customers.Customer", on_delete=models.CASCADE, related_name="enterprise",
                                    verbose_name=_("customer"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    attribute = models.CharField(_("business attribute"), max_length=20, choices=Attribute.choices)
    scale = models.CharField(_("scale"), max_length=2, choices=Scale.choices)
    annual_revenue_wan = models.PositiveIntegerField(_("annual revenue (10,000 yuan)"), default=0)
    users = models.PositiveIntegerField(_("users"), default=0)
    green_channel = models.BooleanField(_("fault green channel"), default=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["scale", "customer_id"]
        verbose_name = _("enterprise profile")
        verbose_name_plural = _("enterprise profiles")

    def __str__(self):
        return f"{self.customer_id} {self.scale}"


class EnterpriseSettings(models.Model):
    """The center's choices for enterprise service: where green-channel faults go, which types are faults."""

    second_line_team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+", verbose_name=_("second-line team"))
    fault_types = models.JSONField(_("fault ticket types"), default=list, blank=True)

    class Meta:
        verbose_name = _("enterprise settings")
        verbose_name_plural = _("enterprise settings")

    def __str__(self):
        return "enterprise settings"


class AssurancePeriod(models.Model):
    """A major-event assurance (重保): a customer's event the center guards, with a duty roster and hours."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="assurances",
                                 verbose_name=_("customer"))
    title = models.CharField(_("event"), max_length=200)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    notes = models.TextField(_("assurance plan"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("major-event assurance")
        verbose_name_plural = _("major-event assurances")

    def __str__(self):
        return self.title


class DutyShift(models.Model):
    """One person on duty for an assurance period."""

    period = models.ForeignKey(AssurancePeriod, on_delete=models.CASCADE, related_name="duties")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")

    def __str__(self):
        return f"{self.period_id} {self.user_id}"


class HoursLog(models.Model):
    """Time someone spent on an assurance (the 小时条 of the yearly report), in minutes."""

    period = models.ForeignKey(AssurancePeriod, on_delete=models.CASCADE, related_name="hours")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    minutes = models.PositiveIntegerField(_("minutes"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    logged_at = models.DateTimeField()

    class Meta:
        ordering = ["day", "id"]
        verbose_name = _("assurance hours")
        verbose_name_plural = _("assurance hours")

    def __str__(self):
        return f"{self.period_id} {self.user_id} {self.minutes}"


class InspectionPlan(models.Model):
    """Scheduled site inspections (巡检) of a customer: every N months, with a checklist."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="inspection_plans",
                                 verbose_name=_("customer"))
    title = models.CharField(_("title"), max_length=200)
    every_months = models.PositiveSmallIntegerField(_("every (months)"), default=3)
    next_due_on = models.DateField(_("next due"))
    checklist = models.JSONField(_("checklist"), default=list)
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("inspector"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["next_due_on", "id"]
        indexes = [models.Index(fields=["active", "next_due_on"], name="inspection_due")]
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")

    def __str__(self):
        return self.title


class Inspection(models.Model):
    """One inspection done: each checklist item's result; failed items became tickets."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.PROTECT, related_name="inspections")
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"))
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    # [{"item": "…", "ok": true/false, "note": "…", "ticket_id": 123 or null}]
    results = models.JSONField(default=list)

    class Meta:
        ordering = ["-done_at", "-id"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self):
        return f"{self.plan_id} {self.due_on}"
