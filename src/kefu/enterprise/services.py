"""Every change of the enterprise pack: grading (which sets the customer's tier for SLA), the center's
green-channel settings, major-event assurance with its roster and hours, site inspections and their findings."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import Team, User
from kefu.accounts.roles import CAN_SUPERVISE, Role
from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.core.errors import Forbidden, NotFound, ValidationFailed
from kefu.customers.models import Customer
from kefu.enterprise import PACK
from kefu.enterprise.models import (
    AssurancePeriod,
    Attribute,
    Category,
    DutyShift,
    EnterpriseProfile,
    EnterpriseSettings,
    HoursLog,
    Inspection,
    InspectionPlan,
    Scale,
)
from kefu.packs import require_enabled

# Grading → the customer's tier and star level (CU2). Tier "group" gets the green-channel SLA policy.
TIER_BY_SCALE = {Scale.A: (Customer.Tier.GROUP, 5), Scale.B: (Customer.Tier.GROUP, 4),
                 Scale.C: (Customer.Tier.STAR, 3), Scale.D: (Customer.Tier.STAR, 2)}


def require_manager(actor: User | None) -> None:
    """Grading, assurance and inspections are kept by team leads and above, and by account managers."""
    require_enabled(PACK)
    if actor is not None and actor.role not in CAN_SUPERVISE and actor.role != Role.ACCOUNT_MANAGER:
        raise Forbidden(_("Only account managers and team leads or above may do this."), code="not_manager")


def _choice(value: str, choices, field: str) -> str:
    if value not in choices.values:
        raise ValidationFailed(_("Choose one of the listed values."), code="invalid_choice", field=field)
    return value


def _customer(actor: User | None, customer_id: int) -> Customer:
    qs = Customer.objects.all() if actor is None else Customer.objects.visible_to(actor)
    customer = qs.filter(pk=customer_id).first()
    if customer is None:
        raise NotFound(_("Not found."), code="not_found", field="customer_id")
    return customer


@dataclass
class ProfileInput:
    """A customer's grading as the account manager records it."""

    category: str
    attribute: str
    scale: str
    annual_revenue_wan: int = 0
    users: int = 0
    green_channel: bool = False
    account_manager_id: int | None = None


@transaction.atomic
def set_profile(*, actor: User | None, customer_id: int, data: ProfileInput,
                now: datetime | None = None) -> EnterpriseProfile:
    """Grade an enterprise customer; its tier, star level and account manager follow (audited by customers)."""
    from kefu.customers.services import update_customer

    require_manager(actor)
    customer = _customer(actor, customer_id)
    values = {"category": _choice(data.category, Category, "category"),
              "attribute": _choice(data.attribute, Attribute, "attribute"),
              "scale": _choice(data.scale, Scale, "scale"), "annual_revenue_wan": max(data.annual_revenue_wan, 0),
              "users": max(data.users, 0), "green_channel": data.green_channel,
              "updated_at": now or timezone.now()}
    profile, created = EnterpriseProfile.objects.get_or_create(customer=customer, defaults=values)
    if not created:
        EnterpriseProfile.objects.filter(pk=profile.pk).update(version=profile.version + 1, **values)
    tier, stars = TIER_BY_SCALE[values["scale"]]
    if data.green_channel:
        tier = Customer.Tier.GROUP
    changes = {"tier": tier, "star_level": stars, "kind": Customer.Kind.ORGANISATION}
    if data.account_manager_id is not None:
        changes["account_manager_id"] = data.account_manager_id
    update_customer(actor=actor, customer=customer, version=customer.version, changes=changes)
    profile.refresh_from_db()
    return profile


def settings_row() -> EnterpriseSettings:
    """The center's one settings row (created with the defaults on first use)."""
    row = EnterpriseSettings.objects.order_by("pk").first()
    return row or EnterpriseSettings.objects.create(fault_types=["repair", "emergency"])


@transaction.atomic
def set_green_channel(*, actor: User | None, second_line_team_id: int | None, fault_types: list[str]) -> None:
    """Where green-channel faults go (the second line) and which ticket types count as faults; audited."""
    require_enabled(PACK)
    if actor is not None and not actor.can_administer():
        raise Forbidden(_("Only an administrator may change this."), code="not_admin")
    if second_line_team_id is not None and not Team.objects.filter(pk=second_line_team_id).exists():
        raise ValidationFailed(_("No such team."), code="unknown_team", field="second_line_team_id")
    row = settings_row()
    EnterpriseSettings.objects.filter(pk=row.pk).update(second_line_team_id=second_line_team_id,
                                                        fault_types=[str(t) for t in fault_types])
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="enterprise_settings", target_id=row.pk,
           params={"second_line_team_id": second_line_team_id, "fault_types": fault_types})


@transaction.atomic
def create_assurance(*, actor: User | None, customer_id: int, title: str, starts_at: datetime, ends_at: datetime,
                     notes: str = "", now: datetime | None = None) -> AssurancePeriod:
    """Open a major-event assurance period (重保) for a customer."""
    require_manager(actor)
    customer = _customer(actor, customer_id)
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(_("This field is required."), code="required", field="title")
    if ends_at <= starts_at:
        raise ValidationFailed(_("The end must be after the start."), code="invalid_period", field="ends_at")
    return AssurancePeriod.objects.create(customer=customer, title=title[:200], starts_at=starts_at,
                                          ends_at=ends_at, notes=notes, created_by=actor,
                                          created_at=now or timezone.now())


def _period(period_id: int) -> AssurancePeriod:
    period = AssurancePeriod.objects.filter(pk=period_id).first()
    if period is None:
        raise NotFound(_("Not found."), code="not_found", field="period_id")
    return period


@transaction.atomic
def add_duty(*, actor: User | None, period_id: int, user_id: int, starts_at: datetime,
             ends_at: datetime) -> DutyShift:
    """Put someone on the assurance roster for a stretch of the period."""
    require_manager(actor)
    period = _period(period_id)
    if not (period.starts_at <= starts_at < ends_at <= period.ends_at):
        raise ValidationFailed(_("The shift must lie inside the assurance period."), code="outside_period",
                               field="starts_at")
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ValidationFailed(_("No such user."), code="unknown_user", field="user_id")
    return DutyShift.objects.create(period=period, user=user, starts_at=starts_at, ends_at=ends_at)


@transaction.atomic
def log_hours(*, actor: User, period_id: int, day: date, minutes: int, note: str = "",
              now: datetime | None = None) -> HoursLog:
    """Someone on the roster (or a manager) logs time spent on the assurance."""
    require_enabled(PACK)
    period = _period(period_id)
    on_roster = DutyShift.objects.filter(period=period, user=actor).exists()
    if not on_roster:
        require_manager(actor)
    if not isinstance(minutes, int) or not 1 <= minutes <= 24 * 60:
        raise ValidationFailed(_("Enter minutes from 1 to 1440."), code="invalid_minutes", field="minutes")
    if not (timezone.localdate(period.starts_at) <= day <= timezone.localdate(period.ends_at)):
        raise ValidationFailed(_("The day must lie inside the assurance period."), code="outside_period",
                               field="day")
    return HoursLog.objects.create(period=period, user=actor, day=day, minutes=minutes, note=note[:300],
                                   logged_at=now or timezone.now())


@transaction.atomic
def create_plan(*, actor: User | None, customer_id: int, title: str, every_months: int, first_due_on: date,
                checklist: list[str], inspector_id: int | None = None) -> InspectionPlan:
    """Schedule site inspections (巡检) of a customer with their checklist."""
    require_manager(actor)
    customer = _customer(actor, customer_id)
    items = [str(i).strip() for i in checklist if str(i).strip()]
    if not items:
        raise ValidationFailed(_("List at least one item to check."), code="required", field="checklist")
    if not 1 <= every_months <= 24:
        raise ValidationFailed(_("Enter a whole number of months from 1 to 24."), code="invalid_interval",
                               field="every_months")
    return InspectionPlan.objects.create(customer=customer, title=(title or "").strip()[:200] or "巡检",
                                         every_months=every_months, next_due_on=first_due_on, checklist=items,
                                         inspector_id=inspector_id)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    return date(year, month, 28)


@transaction.atomic
def record_inspection(*, actor: User | None, plan_id: int, results: list[dict],
                      now: datetime | None = None) -> Inspection:
    """Record an inspection: every checklist item ok or not; each failed item becomes a ticket for the customer."""
    from kefu.tickets.services import TicketInput, create_ticket

    require_enabled(PACK)
    plan = InspectionPlan.objects.select_related("customer").filter(pk=plan_id, active=True).first()
    if plan is None:
        raise NotFound(_("Not found."), code="not_found", field="plan_id")
    if actor is not None and actor.pk != plan.inspector_id:
        require_manager(actor)
    given = {str(r.get("item", "")): r for r in results}
    missing = [item for item in plan.checklist if item not in given]
    if missing:
        raise ValidationFailed(_("Give a result for every item of the checklist."), code="incomplete",
                               field="results", params={"missing": missing})
    at = now or timezone.now()
    rows = []
    for item in plan.checklist:
        ok, note = bool(given[item].get("ok")), str(given[item].get("note", ""))[:300]
        ticket_id = None
        if not ok:
            ticket = create_ticket(actor=actor, data=TicketInput(
                type="repair", title=f"巡检发现：{item}"[:200], description=f"{plan.title}：{item}。{note}",
                customer_id=plan.customer_id, custom={"device_no": "", "fault": "其他"}), now=at)
            ticket_id = ticket.pk
        rows.append({"item": item, "ok": ok, "note": note, "ticket_id": ticket_id})
    inspection = Inspection.objects.create(plan=plan, due_on=plan.next_due_on, done_at=at, inspector=actor,
                                           results=rows)
    InspectionPlan.objects.filter(pk=plan.pk).update(next_due_on=_add_months(plan.next_due_on, plan.every_months))
    return inspection


def due_window(today: date, days: int = 14) -> date:
    return today + timedelta(days=days)
