"""Read queries of workforce data, each starting from visible_to(user)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from kefu.workforce.models import (
    BacktestRun,
    ForecastEvent,
    Requirement,
    Roster,
    RosterStatus,
    ScheduleRun,
    Shift,
    StaffingQueue,
)


def on_shift(user, at: datetime) -> Shift | None:
    """The published shift `user` is working at `at` (breaks included), or None — for attendance and routing."""
    if user is None or not getattr(user, "pk", None):
        return None
    return (Shift.objects.filter(agent_id=user.pk, roster__status=RosterStatus.PUBLISHED, start__lte=at, end__gt=at)
            .order_by("start").first())


def on_break(shift: Shift, at: datetime) -> bool:
    """Whether `at` falls in one of the shift's breaks."""
    stamp = at.replace(tzinfo=None) if at.tzinfo is None else at
    from django.utils import timezone

    local = timezone.localtime(stamp).replace(tzinfo=None) if stamp.tzinfo else stamp
    return any(b["start"] <= local.isoformat(timespec="minutes") < b["end"] for b in shift.breaks)


def my_shifts(user, week: date) -> list[Shift]:
    """The user's published shifts of the week (Monday to Sunday)."""
    return list(Shift.objects.visible_to(user).filter(agent_id=user.pk, day__gte=week, day__lt=week + timedelta(days=7))
                .select_related("roster").order_by("start"))


def upcoming_shifts(user, since: date, days: int = 56) -> list[Shift]:
    """The user's published shifts from `since` on (for the calendar feed)."""
    return list(Shift.objects.visible_to(user).filter(agent_id=user.pk, day__gte=since,
                                                      day__lt=since + timedelta(days=days)).order_by("start"))


def requirements(user, week: date) -> list[Requirement]:
    """The week's requirement curves, one per queue."""
    return list(Requirement.objects.visible_to(user).filter(week=week).select_related("queue")
                .order_by("queue__code"))


def queues(user) -> list[StaffingQueue]:
    return list(StaffingQueue.objects.visible_to(user))


def roster(user, week: date) -> Roster | None:
    """The week's roster with its shifts and agents (two queries)."""
    found = Roster.objects.visible_to(user).filter(week=week).select_related("run").first()
    if found is not None:
        found.shift_list = list(found.shifts.select_related("agent").order_by("day", "start", "agent__username"))
    return found


def latest_run(user, week: date) -> ScheduleRun | None:
    return ScheduleRun.objects.visible_to(user).filter(week=week).order_by("-created_at", "-id").first()


def coverage(roster: Roster, reqs: list[Requirement]) -> list[dict]:
    """Agents on duty (breaks excluded) against the head count required, per interval of the week."""
    import numpy as np  # imported here: this module loads with every page (see services)
    from django.utils import timezone

    step = roster.interval_minutes
    slots = 7 * 1440 // step
    need = np.zeros(slots)
    for r in reqs:
        values = np.array([v or 0 for v in r.scheduled], dtype=float)
        if r.interval_minutes > step:
            values = np.repeat(values, r.interval_minutes // step)[:slots]
        elif r.interval_minutes < step:  # the busiest of the finer intervals inside each coarser one
            values = values.reshape(-1, step // r.interval_minutes).max(axis=1)
        need[: len(values)] += values
    on = np.zeros(slots)
    begin = timezone.make_aware(datetime.combine(roster.week, datetime.min.time()))
    for s in getattr(roster, "shift_list", roster.shifts.all()):
        pieces, at = [], s.start
        for b in sorted(s.breaks, key=lambda b: b["start"]):
            b0, b1 = (timezone.make_aware(datetime.fromisoformat(b[k])) for k in ("start", "end"))
            pieces.append((at, b0))
            at = b1
        pieces.append((at, s.end))
        for a, b in pieces:
            first = int(-(-(a - begin).total_seconds() // 60 // step))
            last = int((b - begin).total_seconds() // 60 // step)
            on[max(first, 0):max(min(last, slots), 0)] += 1
    return [{"slot": k, "day": k // (1440 // step), "minute": k % (1440 // step) * step,
             "required": int(need[k]), "scheduled": int(on[k]), "gap": int(on[k] - need[k])} for k in range(slots)]


def latest_backtest(user, queue) -> BacktestRun | None:
    return BacktestRun.objects.visible_to(user).filter(queue=queue).order_by("-created_at", "-id").first()


def events(user, limit: int = 200) -> list[ForecastEvent]:
    """The forecast events, newest first (the past ones teach the forecast, the coming ones move it)."""
    return list(ForecastEvent.objects.visible_to(user).select_related("queue").order_by("-first_day", "name")[:limit])
