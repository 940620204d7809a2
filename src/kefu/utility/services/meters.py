"""Accounts (户号), meters and routes: created, replaced, put in walking order — each change in the meter's history."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.core.errors import ValidationFailed
from kefu.customers.models import Customer
from kefu.utility.models import (
    CustomerClass,
    Meter,
    MeterEvent,
    MeterEventCode,
    MeterKind,
    ReadClass,
    Route,
    ServiceAccount,
)
from kefu.utility.services.common import bump, load, require_office, require_supervisor


def read_class_for(customer_class: str, location: str) -> str:
    """Commercial and industrial meters monthly on their days; residential monthly outdoors, quarterly indoors."""
    if customer_class != CustomerClass.RESIDENTIAL:
        return ReadClass.COMMERCIAL
    return ReadClass.INDOOR if location == Meter.Location.INDOOR else ReadClass.RESIDENTIAL


def meter_event(meter: Meter, code: str, *, actor: User | None, at: datetime, params: dict | None = None) -> None:
    """Append one step to a meter's history (codes and ids only)."""
    MeterEvent.objects.create(meter=meter, code=code, params=params or {}, actor=actor, at=at)


def _choice(value: str, choices, field_name: str) -> str:
    if value not in choices.values:
        raise ValidationFailed(_("Choose one of the listed values."), code="invalid_choice", field=field_name)
    return value


@transaction.atomic
def create_account(*, actor: User | None, number: str, customer_id: int, customer_class: str,
                   address: str = "", now: datetime | None = None) -> ServiceAccount:
    """Open a service account (户号) for a customer of the archive."""
    require_office(actor)
    number = (number or "").strip()
    errors = []
    if not number:
        errors.append(ValidationFailed(_("This field is required."), code="required", field="number"))
    elif ServiceAccount.objects.filter(number=number).exists():
        errors.append(ValidationFailed(_("This account number is taken."), code="duplicate", field="number"))
    if customer_class not in CustomerClass.values:
        errors.append(ValidationFailed(_("Choose one of the listed values."), code="invalid_choice",
                                       field="customer_class"))
    if errors:
        raise errors[0] if len(errors) == 1 else ValidationFailed(
            _("Some fields need attention."), code="invalid", field=errors[0].field,
            params={"errors": [e.as_dict() for e in errors]})
    customer = load(Customer, actor, customer_id, field="customer_id")
    return ServiceAccount.objects.create(number=number, customer=customer, customer_class=customer_class,
                                         address=address.strip(), created_at=now or timezone.now())


@dataclass
class MeterInput:
    """A meter as the installer records it."""

    number: str
    kind: str = MeterKind.DIAPHRAGM
    size: str = ""
    manufacturer: str = ""
    installed_on: date | None = None
    location: str = Meter.Location.OUTDOOR
    direction: str = Meter.Direction.LEFT
    seals: list[str] = field(default_factory=list)
    first_value: int = 0


def _clean_meter(data: MeterInput) -> dict:
    number = (data.number or "").strip()
    if not number:
        raise ValidationFailed(_("This field is required."), code="required", field="number")
    if data.installed_on is None:
        raise ValidationFailed(_("This field is required."), code="required", field="installed_on")
    return {"number": number, "kind": _choice(data.kind, MeterKind, "kind"), "size": data.size.strip(),
            "manufacturer": data.manufacturer.strip(), "installed_on": data.installed_on,
            "location": _choice(data.location, Meter.Location, "location"),
            "direction": _choice(data.direction, Meter.Direction, "direction"),
            "seals": [s.strip() for s in data.seals if s.strip()], "last_value": data.first_value}


def _insert_meter(account: ServiceAccount, values: dict, **extra) -> Meter:
    try:
        with transaction.atomic():
            return Meter.objects.create(account=account, read_class=read_class_for(
                account.customer_class, values["location"]), **values, **extra)
    except IntegrityError:
        raise ValidationFailed(_("This meter number is taken."), code="duplicate", field="number") from None


@transaction.atomic
def install_meter(*, actor: User | None, account_id: int, data: MeterInput, now: datetime | None = None) -> Meter:
    """Put a meter on an account; its history starts with the installation."""
    require_office(actor)
    account = load(ServiceAccount, actor, account_id, field="account_id")
    meter = _insert_meter(account, _clean_meter(data))
    meter_event(meter, MeterEventCode.INSTALLED, actor=actor, at=now or timezone.now(),
                params={"kind": meter.kind, "first_value": data.first_value})
    return meter


@transaction.atomic
def replace_meter(*, actor: User | None, meter_id: int, version: int, final_value: int, data: MeterInput,
                  now: datetime | None = None) -> Meter:
    """Take a meter out with its final reading and put the new one in its place on the same route."""
    require_office(actor)
    old = load(Meter, actor, meter_id, field="meter_id")
    if old.status != Meter.Status.ACTIVE:
        raise ValidationFailed(_("This meter is no longer in service."), code="not_in_service", field="meter_id")
    if old.last_value is not None and final_value < old.last_value:
        raise ValidationFailed(_("The final reading is lower than the last one."), code="lower_than_last",
                               field="final_value", params={"last_value": old.last_value})
    at = now or timezone.now()
    bump(old, version, {"status": Meter.Status.REPLACED, "last_value": final_value})
    new = _insert_meter(old.account, _clean_meter(data), replaces=old, route_id=old.route_id,
                        route_position=old.route_position)
    meter_event(old, MeterEventCode.REPLACED, actor=actor, at=at, params={"final_value": final_value,
                                                                          "new_meter_id": new.pk})
    meter_event(new, MeterEventCode.INSTALLED, actor=actor, at=at, params={"kind": new.kind, "replaces": old.pk,
                                                                           "first_value": data.first_value})
    return new


@transaction.atomic
def create_route(*, actor: User | None, code: str, name: str, read_class: str, reader_id: int | None = None,
                 first_day: int = 5, last_day: int = 20, calendar_id: int | None = None) -> Route:
    """A reading route (抄表册) with its reader and its days of the month."""
    require_supervisor(actor)
    code = (code or "").strip()
    if not code:
        raise ValidationFailed(_("This field is required."), code="required", field="code")
    if Route.objects.filter(code=code).exists():
        raise ValidationFailed(_("This route code is taken."), code="duplicate", field="code")
    _choice(read_class, ReadClass, "read_class")
    if not (1 <= first_day <= last_day <= 28):
        raise ValidationFailed(_("Reading days run from 1 to 28, the first not after the last."),
                               code="invalid_days", field="first_day")
    if reader_id is not None and not User.objects.filter(pk=reader_id, is_active=True).exists():
        raise ValidationFailed(_("No such user."), code="unknown_user", field="reader_id")
    return Route.objects.create(code=code, name=name.strip() or code, read_class=read_class, reader_id=reader_id,
                                first_day=first_day, last_day=last_day, calendar_id=calendar_id)


@transaction.atomic
def set_route_order(*, actor: User | None, route_id: int, meter_ids: list[int],
                    now: datetime | None = None) -> Route:
    """Put meters on a route in walking order (the list's order); meters moved from another route are logged."""
    require_supervisor(actor)
    route = load(Route, actor, route_id, field="route_id")
    meters = {m.pk: m for m in Meter.objects.filter(pk__in=meter_ids, status=Meter.Status.ACTIVE)}
    missing = [pk for pk in meter_ids if pk not in meters]
    if missing or len(set(meter_ids)) != len(meter_ids):
        raise ValidationFailed(_("Every meter must be in service and listed once."), code="invalid_meters",
                               field="meter_ids", params={"missing": missing})
    at = now or timezone.now()
    for position, pk in enumerate(meter_ids, start=1):
        meter = meters[pk]
        if meter.route_id != route.pk:
            meter_event(meter, MeterEventCode.ROUTE_CHANGED, actor=actor, at=at,
                        params={"from": meter.route_id, "to": route.pk})
        Meter.objects.filter(pk=pk).update(route=route, route_position=position)
    return route
