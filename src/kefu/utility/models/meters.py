"""Service accounts (户号), their meters, the meters' history and the abnormal-meter cases (IN4)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.utility.models.access import is_reader, is_staff


class CustomerClass(models.TextChoices):
    RESIDENTIAL = "residential", _("Residential")
    COMMERCIAL = "commercial", _("Commercial")
    INDUSTRIAL = "industrial", _("Industrial")


class ReadClass(models.TextChoices):
    """The reading schedule a meter follows (000 抄表管理制度 §4–5)."""

    COMMERCIAL = "commercial", _("Commercial, monthly")
    RESIDENTIAL = "residential", _("Residential, monthly")
    INDOOR = "indoor", _("Indoor meters, quarterly")


class MeterKind(models.TextChoices):
    DIAPHRAGM = "diaphragm", _("Diaphragm meter")
    IC_CARD = "ic_card", _("IC card meter")
    REMOTE = "remote", _("Remote-read meter")
    INDUSTRIAL = "industrial", _("Industrial meter")


class ServiceAccountQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ServiceAccountQuerySet":
        """Staff see every account; a meter reader the accounts on their routes."""
        if not is_staff(user):
            return self.none()
        if is_reader(user):
            return self.filter(meters__route__reader_id=user.pk).distinct()
        return self.all()


class ServiceAccount(models.Model):
    """A service account (户号) of a customer at one address, with its class for schedules and tariffs."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Supply suspended")
        CLOSED = "closed", _("Closed")

    number = models.CharField(_("account number"), max_length=30, unique=True)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="utility_accounts",
                                 verbose_name=_("customer"))
    customer_class = models.CharField(_("customer class"), max_length=20, choices=CustomerClass.choices,
                                      default=CustomerClass.RESIDENTIAL)
    address = models.CharField(_("address"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()

    objects = ServiceAccountQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("service account")
        verbose_name_plural = _("service accounts")

    def __str__(self):
        return self.number


class MeterQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MeterQuerySet":
        """Staff see every meter; a meter reader the meters of their routes."""
        if not is_staff(user):
            return self.none()
        if is_reader(user):
            return self.filter(route__reader_id=user.pk)
        return self.all()


class Meter(models.Model):
    """A gas meter on an account: what it is, where it hangs, its seals, its route and its last reading."""

    class Location(models.TextChoices):
        INDOOR = "indoor", _("Indoor")
        OUTDOOR = "outdoor", _("Outdoor")

    class Direction(models.TextChoices):
        LEFT = "left", _("Inlet on the left")
        RIGHT = "right", _("Inlet on the right")

    class Status(models.TextChoices):
        ACTIVE = "active", _("In service")
        REPLACED = "replaced", _("Replaced")
        REMOVED = "removed", _("Removed")

    account = models.ForeignKey(ServiceAccount, on_delete=models.PROTECT, related_name="meters",
                                verbose_name=_("account"))
    number = models.CharField(_("meter number"), max_length=40, unique=True)
    kind = models.CharField(_("meter type"), max_length=20, choices=MeterKind.choices, default=MeterKind.DIAPHRAGM)
    size = models.CharField(_("size"), max_length=20, blank=True)
    manufacturer = models.CharField(_("manufacturer"), max_length=100, blank=True)
    installed_on = models.DateField(_("installed"))
    location = models.CharField(_("location"), max_length=10, choices=Location.choices, default=Location.OUTDOOR)
    direction = models.CharField(_("flow direction"), max_length=10, choices=Direction.choices,
                                 default=Direction.LEFT)
    seals = models.JSONField(_("seal numbers"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    read_class = models.CharField(_("reading schedule"), max_length=20, choices=ReadClass.choices,
                                  default=ReadClass.RESIDENTIAL)
    route = models.ForeignKey("utility.Route", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="meters", verbose_name=_("route"))
    route_position = models.PositiveIntegerField(_("walking order"), default=0)
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    last_value = models.PositiveIntegerField(_("last reading"), null=True, blank=True)
    last_read_on = models.DateField(_("last read"), null=True, blank=True)
    # A running mean of the monthly consumption, so a new reading is checked against the meter's own band
    # without reading its history.
    usual_consumption = models.PositiveIntegerField(_("usual consumption"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = MeterQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        indexes = [models.Index(fields=["route", "route_position"], name="meter_walk"),
                   # Covers the read-rate report's count of meters due per route and class (no table lookups).
                   models.Index(fields=["status", "route", "read_class"], name="meter_class")]
        verbose_name = _("meter")
        verbose_name_plural = _("meters")

    def __str__(self):
        return self.number

    def age_years(self, today) -> float:
        return (today - self.installed_on).days / 365.25


class MeterLifespan(models.Model):
    """How many years a meter type serves before it must be replaced (an administrator can change it)."""

    kind = models.CharField(_("meter type"), max_length=20, choices=MeterKind.choices, unique=True)
    years = models.PositiveSmallIntegerField(_("years"))

    class Meta:
        ordering = ["kind"]
        verbose_name = _("meter lifespan")
        verbose_name_plural = _("meter lifespans")

    def __str__(self):
        return f"{self.kind}: {self.years}"


class MeterEventCode(models.TextChoices):
    INSTALLED = "installed", _("Installed")
    REPLACED = "replaced", _("Replaced")
    REMOVED = "removed", _("Removed")
    ROUTE_CHANGED = "route_changed", _("Route changed")
    ABNORMAL_RAISED = "abnormal_raised", _("Abnormal meter raised")
    OUTCOME_RECORDED = "outcome_recorded", _("Check outcome recorded")


class MeterEvent(models.Model):
    """One step in a meter's history: a code and JSON parameters of codes and ids (never translated text)."""

    meter = models.ForeignKey(Meter, on_delete=models.CASCADE, related_name="events")
    code = models.CharField(max_length=30, choices=MeterEventCode.choices)
    params = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("meter event")
        verbose_name_plural = _("meter events")

    def __str__(self):
        return f"{self.meter_id} {self.code}"


class AbnormalKind(models.TextChoices):
    FAST = "fast", _("Running fast")
    SLOW = "slow", _("Running slow")
    STOPPED = "stopped", _("Stopped")
    REVERSED = "reversed", _("Running backwards")
    ZERO_RUN = "zero_run", _("Zero consumption while active")
    JUMP_AFTER_REPLACEMENT = "jump_after_replacement", _("Jump after replacement")


class AbnormalCase(models.Model):
    """A meter found abnormal from its consumption, the ticket raised for it and the outcome of the check."""

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", _("Fault confirmed, meter replaced")
        REPAIRED = "repaired", _("Repaired on site")
        NORMAL = "normal", _("Meter normal")
        TAMPERING = "tampering", _("Tampering found")

    meter = models.ForeignKey(Meter, on_delete=models.PROTECT, related_name="abnormal_cases")
    kind = models.CharField(_("finding"), max_length=30, choices=AbnormalKind.choices)
    evidence = models.JSONField(_("evidence"), default=dict)
    ticket = models.ForeignKey("tickets.Ticket", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    detected_at = models.DateTimeField(_("detected"))
    is_open = models.BooleanField(default=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.CharField(_("outcome note"), max_length=500, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        ordering = ["-detected_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["meter", "kind"], condition=models.Q(is_open=True),
                                               name="abnormal_one_open_per_kind")]
        verbose_name = _("abnormal meter")
        verbose_name_plural = _("abnormal meters")

    def __str__(self):
        return f"{self.meter_id} {self.kind}"
