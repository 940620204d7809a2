"""Readings: one entry from the field (idempotent), imports from files or remote reading, estimates (估抄)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.core.errors import Conflict, Forbidden, ValidationFailed
from kefu.utility.models import Meter, Reading, ReadingFlag, ReadingSource
from kefu.utility.models.access import is_reader
from kefu.utility.services.common import load, require_office, require_pack


def period_of(moment: datetime) -> date:
    """The month a reading belongs to (the center's local date)."""
    return timezone.localdate(moment).replace(day=1)


def band(usual: int | None) -> tuple[int, int] | None:
    """The consumption a meter usually shows in a period: a quarter to three times its running mean."""
    if usual is None:
        return None
    return usual // 4, usual * 3 + 10


def check(value: int, last: int | None, usual: int | None) -> tuple[int | None, str]:
    """(consumption, flag) of a new reading against the last one and the meter's band."""
    if last is None:
        return None, ReadingFlag.OK
    consumption = value - last
    if consumption < 0:
        return consumption, ReadingFlag.LOWER_THAN_LAST
    limits = band(usual)
    if limits and not limits[0] <= consumption <= limits[1]:
        return consumption, ReadingFlag.OUTSIDE_BAND
    return consumption, ReadingFlag.OK


def next_usual(usual: int | None, consumption: int | None, flag: str) -> int | None:
    """The running mean moved a quarter of the way toward a valid consumption."""
    if consumption is None or consumption < 0 or flag == ReadingFlag.OUTSIDE_BAND:
        return usual
    return consumption if usual is None else (3 * usual + consumption) // 4


def _require_reader_or_office(actor: User | None, meter: Meter) -> None:
    if actor is None or not is_reader(actor):
        require_office(actor)
    elif meter.route is None or meter.route.reader_id != actor.pk:
        raise Forbidden(_("This meter is not on your route."), code="not_your_route")


def _replay(key: str, meter_id: int, value: int) -> Reading | None:
    """The reading already stored under this idempotency key (a re-sent entry), or None; 409 if it differs."""
    existing = Reading.objects.filter(idempotency_key=key).first()
    if existing is not None and (existing.meter_id != meter_id or existing.value != value):
        raise Conflict(_("This entry key was used for another reading."), code="key_reused",
                       field="idempotency_key", params={"reading_id": existing.pk})
    return existing


def _clean_value(value) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValidationFailed(_("Enter the whole number on the dial."), code="invalid_reading", field="value")
    return value


@dataclass
class Recorded:
    reading: Reading
    created: bool


@transaction.atomic
def record_reading(*, actor: User | None, meter_id: int, value: int, read_at: datetime | None = None,
                   idempotency_key: str = "", confirm: bool = False, photo_ref: str = "",
                   source: str = ReadingSource.FIELD, now: datetime | None = None) -> Recorded:
    """Store one reading once: a re-sent entry with the same key answers the stored one (created False).

    Lower than the last reading: stored and flagged. Consumption outside the meter's band: 422
    confirm_needed unless `confirm` (then stored as confirmed)."""
    require_pack()
    key = (idempotency_key or "").strip()[:64] or None
    value = _clean_value(value)
    if key and (existing := _replay(key, meter_id, value)):
        return Recorded(existing, False)
    meter = load(Meter, actor, meter_id, field="meter_id")
    meter = Meter.objects.select_related("route").get(pk=meter.pk)
    _require_reader_or_office(actor, meter)
    if meter.status != Meter.Status.ACTIVE:
        raise ValidationFailed(_("This meter is no longer in service."), code="not_in_service", field="meter_id")
    at = now or timezone.now()
    read_at = read_at or at
    period = period_of(read_at)
    if Reading.objects.filter(meter=meter, period=period).exists():
        # The same entry, sent twice at once, may have been committed by the other send since the key check.
        if key and (existing := _replay(key, meter_id, value)):
            return Recorded(existing, False)
        raise Conflict(_("This meter has already been read for the period."), code="already_read",
                       field="meter_id", params={"period": period.isoformat()})
    consumption, flag = check(value, meter.last_value, meter.usual_consumption)
    if flag == ReadingFlag.OUTSIDE_BAND:
        if not confirm:
            low, high = band(meter.usual_consumption)
            raise ValidationFailed(_("This consumption is unusual for the meter; check the dial and confirm."),
                                   code="confirm_needed", field="value",
                                   params={"consumption": consumption, "low": low, "high": high})
        flag = ReadingFlag.CONFIRMED
    try:
        with transaction.atomic():
            reading = Reading.objects.create(
                meter=meter, period=period, value=value, consumption=consumption, read_at=read_at,
                reader=actor, route_id=meter.route_id, read_class=meter.read_class, source=source,
                photo_ref=photo_ref.strip()[:200], flag=flag, idempotency_key=key, created_at=at)
    except IntegrityError:
        # Two sends of the same entry raced: the loser answers the winner's row; else the period is taken.
        if key and (existing := _replay(key, meter_id, value)):
            return Recorded(existing, False)
        raise Conflict(_("This meter has already been read for the period."), code="already_read",
                       field="meter_id", params={"period": period.isoformat()}) from None
    Meter.objects.filter(pk=meter.pk).update(
        last_value=value, last_read_on=timezone.localdate(read_at),
        usual_consumption=next_usual(meter.usual_consumption, consumption, flag))
    return Recorded(reading, True)


@transaction.atomic
def estimate_reading(*, actor: User | None, meter_id: int, period: date, now: datetime | None = None) -> Reading:
    """An estimated reading (估抄) for a meter not read in the period: last reading plus its usual consumption."""
    require_office(actor)
    meter = load(Meter, actor, meter_id, field="meter_id")
    period = period.replace(day=1)
    if Reading.objects.filter(meter=meter, period=period).exists():
        raise Conflict(_("This meter has already been read for the period."), code="already_read",
                       field="meter_id", params={"period": period.isoformat()})
    at = now or timezone.now()
    usual = meter.usual_consumption or 0
    value = (meter.last_value or 0) + usual
    reading = Reading.objects.create(meter=meter, period=period, value=value, consumption=usual, read_at=at,
                                     reader=actor, route_id=meter.route_id, read_class=meter.read_class,
                                     source=ReadingSource.ESTIMATE, estimated=True, created_at=at)
    Meter.objects.filter(pk=meter.pk).update(last_value=value)
    return reading
