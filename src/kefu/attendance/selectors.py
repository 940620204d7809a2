"""Attendance read from the published roster: one row per rostered shift, and the monthly sheet per agent.

The first clock-in and last clock-out of each shift are found by the database (one indexed subquery each,
over web punches and over presence states), so a month of 500 agents is a handful of queries however many
state changes the month holds."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from kefu.attendance import rules
from kefu.attendance.models import Correction, CorrectionStatus, Leave, LeaveKind, LeaveStatus, Punch, PunchKind
from kefu.attendance.services import policy

# Clocking in this long before a shift starts, or out this long after it ends, still belongs to the shift.
EARLY_WINDOW = timedelta(hours=2)
LATE_WINDOW = timedelta(hours=6)
# No single presence state is looked for further back than this: it bounds each index range scan to a day of
# one agent's states instead of all of their history.
LONGEST_STATE = timedelta(hours=24)
NIGHT_FROM, NIGHT_TO = 22, 6  # local hours: a shift with duty between them is a night shift (夜班)


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return first, nxt - timedelta(days=1)


def _shifts(users, first: date, last: date):
    """Published shifts of the users between the dates, with first clock-in and last clock-out found."""
    from kefu.presence.models import PresenceSpan, State
    from kefu.workforce.models import RosterStatus, Shift

    span = PresenceSpan.objects.filter(user_id=OuterRef("agent_id")).exclude(state=State.OFFLINE)
    punch = Punch.objects.filter(user_id=OuterRef("agent_id"))
    return (Shift.objects.filter(agent__in=users, roster__status=RosterStatus.PUBLISHED, day__gte=first,
                                 day__lte=last)
            .annotate(
                on_from=Subquery(span.filter(started_at__gte=OuterRef("start") - EARLY_WINDOW,
                                             started_at__lt=OuterRef("end")).order_by("started_at")
                                 .values("started_at")[:1]),
                # Already on when the window opened (signed in the night before): on from the window's start.
                on_before=Subquery(span.filter(started_at__lt=OuterRef("start") - EARLY_WINDOW,
                                               started_at__gte=OuterRef("start") - LONGEST_STATE)
                                   .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=OuterRef("start")))
                                   .order_by("-started_at").values("started_at")[:1]),
                on_until=Subquery(span.filter(started_at__lt=OuterRef("end") + LATE_WINDOW,
                                              started_at__gte=OuterRef("start") - LONGEST_STATE,
                                              ended_at__gt=OuterRef("start")).order_by("-ended_at")
                                  .values("ended_at")[:1]),
                still_on=Subquery(span.filter(started_at__lt=OuterRef("end") + LATE_WINDOW, ended_at__isnull=True)
                                  .values("started_at")[:1]),
                punch_in=Subquery(punch.filter(kind=PunchKind.IN, at__gte=OuterRef("start") - EARLY_WINDOW,
                                               at__lt=OuterRef("end")).order_by("at").values("at")[:1]),
                punch_out=Subquery(punch.filter(kind=PunchKind.OUT, at__gt=OuterRef("start"),
                                                at__lte=OuterRef("end") + LATE_WINDOW).order_by("-at")
                                   .values("at")[:1]))
            .select_related("agent").order_by("agent_id", "start"))


def _is_night(start: datetime, end: datetime) -> bool:
    a, b = timezone.localtime(start), timezone.localtime(end)
    return a.date() != b.date() or a.hour >= NIGHT_FROM or a.hour < NIGHT_TO or (b.hour < NIGHT_TO and b > a)


def _leave_days(users, first: date, last: date) -> dict[tuple[int, date], str]:
    out = {}
    for lv in Leave.objects.filter(user__in=users, status=LeaveStatus.APPROVED, first_day__lte=last,
                                   last_day__gte=first):
        d = max(lv.first_day, first)
        while d <= min(lv.last_day, last):
            out[(lv.user_id, d)] = lv.kind
            d += timedelta(days=1)
    return out


def day_rows(users, first: date, last: date, *, now: datetime | None = None) -> list[dict]:
    """One row per published shift: clock-in, clock-out (punches, presence or an approved correction)
    and the verdict by the center's grace minutes."""
    rule = policy()
    now = now or timezone.now()
    fixes = {(c.user_id, c.day, c.kind): c.at for c in Correction.objects.filter(
        user__in=users, day__gte=first - timedelta(days=1), day__lte=last, status=CorrectionStatus.APPROVED
    ).order_by("decided_at", "pk")}
    leave = _leave_days(users, first, last)
    rows = []
    for s in _shifts(users, first, last):
        ons = [t for t in (s.punch_in, s.on_from) if t is not None]
        if s.on_before is not None:
            ons.append(s.start - EARLY_WINDOW)
        clock_in = fixes.get((s.agent_id, s.day, PunchKind.IN)) or (min(ons) if ons else None)
        outs = [t for t in (s.punch_out, s.on_until) if t is not None]
        running = s.still_on is not None and now < s.end + LATE_WINDOW
        clock_out = fixes.get((s.agent_id, s.day, PunchKind.OUT)) or (
            max(outs) if outs and not (running and s.punch_out is None) else None)
        if clock_out is None and running and now >= s.end:
            clock_out = now  # still signed in after the shift: out at least now
        v = rules.verdict(start=s.start, end=s.end, clock_in=clock_in, clock_out=clock_out,
                          leave=leave.get((s.agent_id, s.day)), late_grace=rule.late_grace_minutes,
                          early_grace=rule.early_grace_minutes, overtime_after=rule.overtime_after_minutes, now=now)
        rows.append({"shift": s, "agent": s.agent, "day": s.day, "clock_in": clock_in, "clock_out": clock_out,
                     "verdict": v, "night": _is_night(s.start, s.end),
                     "corrected": any((s.agent_id, s.day, k) in fixes for k in PunchKind.values)})
    return rows


def monthly_sheet(users, month: date, *, now: datetime | None = None) -> list[dict]:
    """Per agent: days attended, late, early leave, absent, leave days by kind, overtime hours, night shifts."""
    first, last = month_bounds(month)
    rows = day_rows(users, first, last, now=now)
    sheet: dict[int, dict] = {}
    users = list(users)
    for u in users:
        sheet[u.pk] = {"agent": u, "attended": 0, "late": 0, "late_minutes": 0, "early": 0, "early_minutes": 0,
                       "absent": 0, "overtime_hours": 0.0, "nights": 0, "shifts": 0,
                       "leave": dict.fromkeys(LeaveKind.values, 0)}
    for r in rows:
        line, v = sheet[r["agent"].pk], r["verdict"]
        line["shifts"] += 1
        if v.status in ("present", "late", "early", "late_early"):
            line["attended"] += 1
            line["nights"] += r["night"]
        line["late"] += v.late_minutes > 0
        line["late_minutes"] += v.late_minutes
        line["early"] += v.early_minutes > 0
        line["early_minutes"] += v.early_minutes
        line["absent"] += v.status == "absent"
        line["overtime_hours"] += v.overtime_minutes / 60
    leave: dict[tuple[int, str], int] = defaultdict(int)
    for (user_id, _day), kind in _leave_days(users, first, last).items():
        leave[(user_id, kind)] += 1
    for (user_id, kind), n in leave.items():
        sheet[user_id]["leave"][kind] = n
    for line in sheet.values():
        line["overtime_hours"] = round(line["overtime_hours"], 1)
        line["leave_total"] = sum(line["leave"].values())
    return sorted(sheet.values(), key=lambda r: r["agent"].username)


def people(actor):
    """Whose attendance the actor sees: themselves; a team lead their team; supervisors and up everyone."""
    from kefu.accounts.models import User
    from kefu.attendance.models import is_team_scoped

    found = User.objects.filter(is_active=True)
    if is_team_scoped(actor):
        return found.filter(team_id=actor.team_id) if actor.team_id else found.filter(pk=actor.pk)
    if actor.can_supervise():
        from kefu.workforce.services import schedulable_agents

        return found.filter(pk__in=[u.pk for u in schedulable_agents()])
    return found.filter(pk=actor.pk)


def pending_corrections(actor) -> list[Correction]:
    return list(Correction.objects.visible_to(actor).filter(status=CorrectionStatus.PENDING)
                .exclude(user_id=actor.pk).select_related("user").order_by("created_at"))


def teammates(user) -> list:
    """The colleagues an agent can swap with: active people of the same team (everyone rostered, lacking one)."""
    from kefu.accounts.models import User

    found = User.objects.filter(is_active=True).exclude(pk=user.pk)
    found = found.filter(team_id=user.team_id) if user.team_id else found.filter(shifts__isnull=False).distinct()
    return list(found.order_by("username"))
