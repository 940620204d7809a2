"""Reads of the utility pack: accounts with meters, replacement due, read rates, the reader's day, sales."""

from datetime import date, timedelta

from django.db.models import Count, Q, Sum

from kefu.utility.models import (
    AbnormalCase,
    ArrearsBalance,
    Meter,
    MeterLifespan,
    Payment,
    ReadClass,
    Reading,
    ReadTarget,
    Route,
    ServiceAccount,
)
from kefu.utility.pack import DEFAULT_LIFESPANS, DEFAULT_TARGETS
from kefu.utility.schedule import calendar_of, due_in, reading_days

PAGE = 50


def accounts_of_customer(user, customer_id: int) -> list[ServiceAccount]:
    """A customer's accounts with their meters in service, balances and open abnormal cases (4 queries)."""
    return list(ServiceAccount.objects.visible_to(user).filter(customer_id=customer_id)
                .select_related("arrears").prefetch_related("meters", "meters__abnormal_cases"))


def search_accounts(user, q: str = "", page: int = 1) -> tuple[int, list[ServiceAccount]]:
    """Accounts by number, meter number or customer name (page of 50, customers and balances joined)."""
    qs = ServiceAccount.objects.visible_to(user).select_related("customer", "arrears")
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(number__startswith=q) | Q(meters__number__startswith=q) | Q(customer__name__contains=q))
        qs = qs.distinct()
    start = (max(page, 1) - 1) * PAGE
    return qs.count(), list(qs.order_by("number")[start:start + PAGE])


def lifespans() -> dict[str, int]:
    stored = dict(MeterLifespan.objects.values_list("kind", "years"))
    return {**DEFAULT_LIFESPANS, **stored}


def replacement_due(user, today: date, limit: int = PAGE) -> tuple[int, list[Meter]]:
    """Meters in service at or past their type's lifespan, oldest first."""
    due = Q()
    for kind, years in lifespans().items():
        due |= Q(kind=kind, installed_on__lte=today.replace(year=today.year - years))
    qs = Meter.objects.visible_to(user).filter(due, status=Meter.Status.ACTIVE).select_related("account")
    return qs.count(), list(qs.order_by("installed_on", "id")[:limit])


def targets() -> dict[str, int]:
    return {**DEFAULT_TARGETS, **dict(ReadTarget.objects.values_list("read_class", "target_permille"))}


def _rate(due: int, read: int) -> int | None:
    return read * 1000 // due if due else None


def read_rates(period: date, *, by: str = "route") -> list[dict]:
    """抄见率 for a month: meters due, read (not estimated), estimated, rate and target per route/reader/class.

    Two grouped queries: meters due by route and class, readings of the month by route and class (the
    reading carries both, so no join with the meters)."""
    period = period.replace(day=1)
    goal = targets()
    due_rows = (Meter.objects.filter(status=Meter.Status.ACTIVE).values_list("route_id", "read_class")
                .annotate(n=Count("id")).order_by())
    read_rows = (Reading.objects.filter(period=period).values_list("route_id", "read_class")
                 .annotate(read=Count("id", filter=Q(estimated=False)), estimated=Count("id", filter=Q(estimated=True)))
                 .order_by())
    routes = {r.pk: r for r in Route.objects.select_related("reader")}

    def key(route_id, read_class):
        if by == "class":
            return read_class
        if by == "reader":
            route = routes.get(route_id)
            return route.reader_id if route else None
        return route_id

    table: dict = {}
    for route_id, read_class, n in due_rows:
        if due_in(read_class, period):
            row = table.setdefault(key(route_id, read_class), {"due": 0, "read": 0, "estimated": 0, "classes": set()})
            row["due"] += n
            row["classes"].add(read_class)
    for route_id, read_class, read, estimated in read_rows:
        row = table.setdefault(key(route_id, read_class), {"due": 0, "read": 0, "estimated": 0, "classes": set()})
        row["read"] += read
        row["estimated"] += estimated
        row["classes"].add(read_class)
    return [_row(k, v, by, routes, goal) for k, v in sorted(table.items(), key=lambda kv: str(kv[0]))]


def _row(k, v: dict, by: str, routes: dict, goal: dict) -> dict:
    target = max((goal[c] for c in v["classes"]), default=None)
    rate = _rate(v["due"], v["read"])
    label = k
    if by == "route" and k in routes:
        label = str(routes[k])
    elif by == "reader":
        reader = next((r.reader for r in routes.values() if r.reader_id == k), None)
        label = (reader.display_name or reader.username) if reader else "—"
    elif by == "class":
        label = str(ReadClass(k).label) if k in ReadClass.values else k
    return {"key": k, "label": label, "due": v["due"], "read": v["read"], "estimated": v["estimated"],
            "rate_permille": rate, "target_permille": target,
            "met": rate is not None and target is not None and rate >= target}


def missing_meters(period: date, *, route_id: int | None = None, limit: int = 200) -> list[Meter]:
    """Meters due in the month without a reading (not even an estimate), in walking order."""
    period = period.replace(day=1)
    classes = [c for c in ReadClass.values if due_in(c, period)]
    qs = (Meter.objects.filter(status=Meter.Status.ACTIVE, read_class__in=classes)
          .exclude(readings__period=period).select_related("account", "route"))
    if route_id:
        qs = qs.filter(route_id=route_id)
    return list(qs.order_by("route_id", "route_position", "id")[:limit])


def day_list(reader, day: date) -> list[dict]:
    """The reader's routes to walk on `day` (or still open this month), each with its meters in walking order."""
    month = day.replace(day=1)
    result = []
    for route in Route.objects.filter(reader=reader).order_by("code"):
        days = reading_days(route, month, calendar_of(route))
        if not days or day < days[0]:
            continue
        meters = list(Meter.objects.filter(route=route, status=Meter.Status.ACTIVE).select_related("account")
                      .order_by("route_position", "id"))
        read = dict(Reading.objects.filter(meter__in=meters, period=month).values_list("meter_id", "value"))
        result.append({"route": route, "days": days, "today": day in days,
                       "meters": [{"meter": m, "read": read.get(m.pk)} for m in meters],
                       "left": sum(1 for m in meters if m.pk not in read)})
    return result


def open_cases(user, *, limit: int = PAGE) -> list[AbnormalCase]:
    """Open abnormal-meter cases, newest first, with meter, account and ticket."""
    return list(AbnormalCase.objects.filter(is_open=True, meter__in=Meter.objects.visible_to(user))
                .select_related("meter__account", "ticket").order_by("-detected_at", "-id")[:limit])


def arrears_list(user, today: date, *, band: str = "", limit: int = PAGE) -> list[ArrearsBalance]:
    """Overdue balances, oldest first (optionally one age band)."""
    from kefu.utility.services.arrears import overdue_in_band

    qs = (overdue_in_band(band, today) if band else
          ArrearsBalance.objects.filter(amount_fen__gt=0).select_related("account__customer"))
    qs = qs.filter(account__in=ServiceAccount.objects.visible_to(user))
    return list(qs.order_by("due_since", "id")[:limit])


def daily_sales(user, day: date) -> dict:
    """气量销售汇总: payments of a day by kind and method — counts for all, amounts only with the revenue right."""
    rows = (Payment.objects.filter(at__date=day).values_list("kind", "method")
            .annotate(n=Count("id"), fen=Sum("amount_fen"), m3=Sum("volume_m3")).order_by("kind", "method"))
    amounts = user is None or user.can_see_revenue()
    lines = [{"kind": k, "method": m, "count": n, "amount_fen": fen if amounts else None,
              "volume_m3": m3} for k, m, n, fen, m3 in rows]
    return {"day": day, "lines": lines, "count": sum(line["count"] for line in lines),
            "volume_m3": sum(line["volume_m3"] or 0 for line in lines),
            "amount_fen": sum(fen for *_x, fen, _m in rows) if amounts else None, "amounts_shown": amounts}


def previous_day(day: date) -> date:
    return day - timedelta(days=1)
