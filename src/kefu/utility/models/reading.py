"""Reading routes (抄表册) in walking order, the readings themselves and the read-rate targets (IN4)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.utility.models.access import is_reader, is_staff
from kefu.utility.models.meters import ReadClass


class RouteQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RouteQuerySet":
        """Staff see every route; a meter reader their own."""
        if not is_staff(user):
            return self.none()
        return self.filter(reader_id=user.pk) if is_reader(user) else self.all()


class Route(models.Model):
    """A reading route (抄表册): meters in walking order, one reader, a schedule window moved by a calendar."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    read_class = models.CharField(_("reading schedule"), max_length=20, choices=ReadClass.choices,
                                  default=ReadClass.RESIDENTIAL)
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="reading_routes", verbose_name=_("meter reader"))
    # The days of the month the route is read (commercial customers: the 22nd–23rd); a closed day of the
    # calendar moves to the next working day.
    first_day = models.PositiveSmallIntegerField(_("from day"), default=5)
    last_day = models.PositiveSmallIntegerField(_("to day"), default=20)
    calendar = models.ForeignKey("sla.BusinessCalendar", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("business calendar"))
    version = models.PositiveIntegerField(default=1)

    objects = RouteQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("reading route")
        verbose_name_plural = _("reading routes")

    def __str__(self):
        return f"{self.code} {self.name}"


class ReadingSource(models.TextChoices):
    FIELD = "field", _("Read on site")
    IMPORT = "import", _("Imported file")
    REMOTE = "remote", _("Remote-reading system")
    ESTIMATE = "estimate", _("Estimated")


class ReadingFlag(models.TextChoices):
    OK = "ok", _("Valid")
    LOWER_THAN_LAST = "lower_than_last", _("Lower than the last reading")
    OUTSIDE_BAND = "outside_band", _("Consumption outside the usual band")
    CONFIRMED = "confirmed", _("Outside the usual band, confirmed by the reader")


class Reading(models.Model):
    """One meter reading of one period, once: the idempotency key makes a re-sent offline entry a no-op."""

    meter = models.ForeignKey("utility.Meter", on_delete=models.PROTECT, related_name="readings", db_index=False)
    period = models.DateField(_("period"))  # the first day of the month the reading belongs to
    value = models.PositiveIntegerField(_("reading"))
    consumption = models.IntegerField(_("consumption"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"))
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", db_index=False)
    # Where the meter stood when it was read, so the month's read rate needs no join with 500,000 meters.
    route = models.ForeignKey(Route, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              db_index=False)
    read_class = models.CharField(max_length=20, choices=ReadClass.choices)
    source = models.CharField(_("source"), max_length=20, choices=ReadingSource.choices,
                              default=ReadingSource.FIELD)
    photo_ref = models.CharField(_("photo reference"), max_length=200, blank=True)
    estimated = models.BooleanField(_("estimated"), default=False)
    flag = models.CharField(_("check"), max_length=20, choices=ReadingFlag.choices, default=ReadingFlag.OK)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["meter_id", "period"]
        constraints = [models.UniqueConstraint(fields=["meter", "period"], name="reading_once_per_period")]
        # Covers the read-rate report: one month's readings grouped by route and class, read or estimated.
        indexes = [models.Index(fields=["period", "route", "read_class", "estimated"], name="reading_rate")]
        verbose_name = _("meter reading")
        verbose_name_plural = _("meter readings")

    def __str__(self):
        return f"{self.meter_id} {self.period:%Y-%m} {self.value}"


class ReadTarget(models.Model):
    """The read rate a schedule class must reach, in per mille (commercial 100%, residential 98%, indoor 70%)."""

    read_class = models.CharField(_("reading schedule"), max_length=20, choices=ReadClass.choices, unique=True)
    target_permille = models.PositiveSmallIntegerField(_("target (‰)"))

    class Meta:
        ordering = ["read_class"]
        verbose_name = _("read-rate target")
        verbose_name_plural = _("read-rate targets")

    def __str__(self):
        return f"{self.read_class}: {self.target_permille}‰"
