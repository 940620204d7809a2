"""Reads of the enterprise pack: graded customers, the assurance report, inspections due."""

from datetime import date, datetime

from django.db.models import Count, Sum

from kefu.enterprise.models import AssurancePeriod, EnterpriseProfile, HoursLog, InspectionPlan


def profiles(user, *, scale: str = "", limit: int = 100) -> list[EnterpriseProfile]:
    """Graded customers (an account manager: only their own), with customer and manager joined."""
    qs = EnterpriseProfile.objects.select_related("customer", "customer__account_manager")
    if user is not None and user.role == "account_manager":
        qs = qs.filter(customer__account_manager=user)
    if scale:
        qs = qs.filter(scale=scale)
    return list(qs.order_by("scale", "customer__name")[:limit])


def assurance_report(start: datetime, end: datetime) -> dict:
    """Assurance periods that started in [start, end): hours per period and per person, and the totals."""
    periods = list(AssurancePeriod.objects.filter(starts_at__gte=start, starts_at__lt=end)
                   .select_related("customer").annotate(duty_count=Count("duties", distinct=True))
                   .order_by("starts_at"))
    minutes = dict(HoursLog.objects.filter(period__in=periods).values_list("period_id")
                   .annotate(m=Sum("minutes")).order_by())
    people = list(HoursLog.objects.filter(period__in=periods).values_list("user__display_name", "user__username")
                  .annotate(m=Sum("minutes")).order_by("-m"))
    rows = [{"period": p, "minutes": minutes.get(p.pk, 0), "hours": round(minutes.get(p.pk, 0) / 60, 1),
             "on_duty": p.duty_count} for p in periods]
    return {"rows": rows, "periods": len(rows), "hours": round(sum(minutes.values()) / 60, 1),
            "people": [{"name": n or u, "hours": round(m / 60, 1)} for n, u, m in people]}


def inspections_due(until: date, limit: int = 100) -> list[InspectionPlan]:
    """Active inspection plans due on or before `until`, soonest first."""
    return list(InspectionPlan.objects.filter(active=True, next_due_on__lte=until)
                .select_related("customer", "inspector").order_by("next_due_on", "id")[:limit])
