"""The billing desk (营业收费): tariffs, counter payments and IC top-ups with receipts, shifts reconciled."""

from datetime import date, datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from kefu.utility import tariffs as pricing
from kefu.utility.models import (
    CustomerClass,
    Meter,
    MeterKind,
    Payment,
    PaymentMethod,
    ServiceAccount,
    Shift,
    ShiftStatus,
    Tariff,
)
from kefu.utility.services.arrears import pay_arrears
from kefu.utility.services.common import bump, load, positive_fen, require_office, require_supervisor


def require_revenue(actor: User | None) -> None:
    """Revenue figures and differences are for roles with the right (000 前台收费 §5)."""
    if actor is not None and not actor.can_see_revenue():
        raise Forbidden(_("Your role may not see revenue figures."), code="no_revenue_right")


@transaction.atomic
def set_tariff(*, actor: User | None, customer_class: str, effective_from: date, tiers: list,
               now: datetime | None = None) -> Tariff:
    """A class's tiered prices from a date (replacing one set for the same day); audited."""
    require_supervisor(actor)
    require_revenue(actor)
    if customer_class not in CustomerClass.values:
        raise ValidationFailed(_("Choose one of the listed values."), code="invalid_choice", field="customer_class")
    tiers = pricing.clean_tiers(tiers)
    tariff, _created = Tariff.objects.update_or_create(
        customer_class=customer_class, effective_from=effective_from,
        defaults={"tiers": tiers, "created_at": now or timezone.now()})
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="tariff", target_id=tariff.pk,
           params={"customer_class": customer_class, "effective_from": effective_from.isoformat(), "tiers": tiers})
    return tariff


def tariffs_for(customer_class: str) -> list[tuple[date, list]]:
    return list(Tariff.objects.filter(customer_class=customer_class).values_list("effective_from", "tiers"))


def annual_volume(account: ServiceAccount, *, before: date) -> int:
    """m³ the account used this calendar year before `before`: readings, or IC card purchases."""
    from kefu.utility.models import Reading

    year_start = before.replace(month=1, day=1)
    read = Reading.objects.filter(meter__account=account, period__gte=year_start, period__lt=before,
                                  consumption__gt=0).aggregate(v=Sum("consumption"))["v"] or 0
    bought = Payment.objects.filter(account=account, kind=Payment.Kind.IC_TOPUP, at__date__gte=year_start,
                                    at__date__lt=before).aggregate(v=Sum("volume_m3"))["v"] or 0
    return read + bought


def quote_bill(*, account: ServiceAccount, start: date, end: date, volume: int) -> pricing.Bill:
    """The bill for `volume` m³ from `start` to `end` at the account's class tariffs and this year's use."""
    return pricing.bill(tariffs_for(account.customer_class), start=start, end=end,
                        annual_before=annual_volume(account, before=start), volume=volume)


def _open_shift(actor: User | None) -> Shift:
    shift = Shift.objects.filter(cashier=actor, status=ShiftStatus.OPEN).first() if actor else None
    if shift is None:
        raise ValidationFailed(_("Open your shift at the counter first."), code="no_open_shift", field="shift")
    return shift


@transaction.atomic
def open_shift(*, actor: User, now: datetime | None = None) -> Shift:
    """Start a cashier's shift (one open shift per cashier)."""
    require_office(actor)
    if Shift.objects.filter(cashier=actor, status=ShiftStatus.OPEN).exists():
        raise Conflict(_("Your shift is already open."), code="shift_open", field="shift")
    return Shift.objects.create(cashier=actor, opened_at=now or timezone.now())


def _receipt_no(shift: Shift, at: datetime) -> str:
    serial = Payment.objects.filter(shift=shift).count() + 1
    return f"{timezone.localdate(at):%Y%m%d}-{shift.pk:05d}-{serial:04d}"


def _clean_method(method: str, reference: str) -> str:
    if method not in PaymentMethod.values:
        raise ValidationFailed(_("Choose one of the listed values."), code="invalid_choice", field="method")
    reference = (reference or "").strip()
    if method != PaymentMethod.CASH and not reference:
        raise ValidationFailed(_("Enter the card slip or the WeChat/Alipay transaction number."),
                               code="reference_required", field="reference")
    return reference


@transaction.atomic
def take_payment(*, actor: User, account_id: int, kind: str, method: str, amount_fen: int, reference: str = "",
                 now: datetime | None = None) -> Payment:
    """Money for a bill or arrears at the counter, in the cashier's open shift, with a receipt number."""
    require_office(actor)
    if kind not in (Payment.Kind.BILL, Payment.Kind.ARREARS):
        raise ValidationFailed(_("Choose one of the listed values."), code="invalid_choice", field="kind")
    reference = _clean_method(method, reference)
    positive_fen(amount_fen, field="amount_fen")
    account = load(ServiceAccount, actor, account_id, field="account_id")
    shift = _open_shift(actor)
    at = now or timezone.now()
    payment = Payment.objects.create(account=account, shift=shift, kind=kind, method=method, reference=reference,
                                     amount_fen=amount_fen, receipt_no=_receipt_no(shift, at), at=at)
    pay_arrears(account, amount_fen, actor=actor, at=at)
    return payment


@transaction.atomic
def top_up_ic_card(*, actor: User, account_id: int, amount_fen: int, method: str, reference: str = "",
                   now: datetime | None = None) -> Payment:
    """Sell gas onto an IC card meter: the whole m³ the amount buys at today's tiers; the receipt shows both."""
    require_office(actor)
    reference = _clean_method(method, reference)
    positive_fen(amount_fen, field="amount_fen")
    account = load(ServiceAccount, actor, account_id, field="account_id")
    if not Meter.objects.filter(account=account, kind=MeterKind.IC_CARD, status=Meter.Status.ACTIVE).exists():
        raise ValidationFailed(_("This account has no IC card meter."), code="no_ic_meter", field="account_id")
    shift = _open_shift(actor)
    at = now or timezone.now()
    today = timezone.localdate(at)
    current = [t for d, t in sorted(tariffs_for(account.customer_class)) if d <= today]
    if not current:
        raise ValidationFailed(_("No tariff applies today."), code="no_tariff", field="account_id")
    volume, cost = pricing.volume_for_amount(current[-1], annual_before=annual_volume(account, before=today),
                                             amount_fen=amount_fen)
    if volume == 0:
        raise ValidationFailed(_("The amount does not buy one cubic metre."), code="amount_too_small",
                               field="amount_fen")
    return Payment.objects.create(account=account, shift=shift, kind=Payment.Kind.IC_TOPUP, method=method,
                                  reference=reference, amount_fen=cost, volume_m3=volume,
                                  receipt_no=_receipt_no(shift, at), at=at)


def system_takings(shift: Shift) -> dict[str, int]:
    """What the payments of a shift add up to, per method (fen)."""
    rows = Payment.objects.filter(shift=shift).values_list("method").annotate(total=Sum("amount_fen")).order_by()
    return {method: total for method, total in rows}


def _clean_declared(declared: dict) -> dict[str, int]:
    clean = {}
    for method, amount in (declared or {}).items():
        if method not in PaymentMethod.values:
            raise ValidationFailed(_("Choose one of the listed values."), code="invalid_choice",
                                   field=f"declared.{method}")
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
            raise ValidationFailed(_("Enter an amount of zero or more, in fen."), code="invalid_amount",
                                   field=f"declared.{method}")
        clean[method] = amount
    return clean


@transaction.atomic
def close_shift(*, actor: User, shift_id: int, version: int, declared: dict, reason: str = "",
                handed_to_id: int | None = None, now: datetime | None = None) -> Shift:
    """Hand over the takings: what was counted per method against the system; a difference needs a reason
    and then a supervisor's approval — it is never balanced silently."""
    require_office(actor)
    shift = Shift.objects.filter(pk=shift_id).first()
    if shift is None or (actor is not None and shift.cashier_id != actor.pk):
        raise NotFound(_("Not found."), code="not_found", field="shift_id")
    if shift.status != ShiftStatus.OPEN:
        raise Conflict(_("This shift has been handed over."), code="shift_closed", field="shift_id")
    declared = _clean_declared(declared)
    system = system_takings(shift)
    methods = set(declared) | set(system)
    difference = sum(declared.values()) - sum(system.values())
    uneven = any(declared.get(m, 0) != system.get(m, 0) for m in methods)
    reason = (reason or "").strip()
    if uneven and not reason:
        raise ValidationFailed(_("The count differs from the system; give the reason."), code="reason_required",
                               field="reason")
    at = now or timezone.now()
    status = ShiftStatus.DIFFERENCE if uneven else ShiftStatus.BALANCED
    bump(shift, version, {"status": status, "closed_at": at, "declared": declared, "system": system,
                          "difference_fen": difference, "reason": reason[:500], "handed_to_id": handed_to_id})
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="shift", target_id=shift.pk,
           params={"status": status, "difference_fen": difference, "methods": sorted(methods)})
    return shift


@transaction.atomic
def approve_difference(*, actor: User | None, shift_id: int, version: int, now: datetime | None = None) -> Shift:
    """A supervisor with the revenue right accepts a shift's explained difference; never the cashier."""
    require_supervisor(actor)
    require_revenue(actor)
    shift = Shift.objects.filter(pk=shift_id).first()
    if shift is None:
        raise NotFound(_("Not found."), code="not_found", field="shift_id")
    if actor is not None and shift.cashier_id == actor.pk:
        raise Forbidden(_("A cashier cannot approve their own difference."), code="own_shift")
    if shift.status != ShiftStatus.DIFFERENCE:
        raise Conflict(_("This shift has no difference waiting for approval."), code="nothing_to_approve",
                       field="shift_id")
    bump(shift, version, {"status": ShiftStatus.APPROVED, "approved_by": actor, "approved_at": now or timezone.now()})
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="shift", target_id=shift.pk,
           params={"status": ShiftStatus.APPROVED, "difference_fen": shift.difference_fen})
    return shift
