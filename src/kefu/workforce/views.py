"""Workforce screens: the planner's week (requirement curves, schedule run, roster with live coverage) and the
agent's own roster with its calendar feed."""

from datetime import date, datetime, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.errors import ValidationFailed
from kefu.web.htmx import error_context, form_int, page, render, run_action
from kefu.workforce import selectors, services
from kefu.workforce.api import _parse_history
from kefu.workforce.models import (
    EventKind,
    RunStatus,
    ShiftSetup,
    StaffingQueue,
    TargetKind,
    VolumeSource,
)

DAY_LABELS = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


def _week(value) -> date:
    """The Monday of the week asked for (this week when absent or unreadable)."""
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        day = timezone.localdate()
    return day - timedelta(days=day.weekday())


def _curve(req) -> dict:
    """A requirement as an SVG polyline over the week plus its busiest interval."""
    values = [v or 0 for v in req.scheduled]
    top = max(values) or 1
    n = len(values)
    points = " ".join(f"{i * 700 / n:.1f},{120 - v * 110 / top:.1f}" for i, v in enumerate(values))
    return {"req": req, "points": points, "top": top, "hours": round(sum(values) * req.interval_minutes / 60)}


def _cover_rows(cover: list[dict], step: int) -> list[dict]:
    """Coverage per day as rows of cells (under, over or exact) for the strip under the roster."""
    per_day = 1440 // step
    rows = []
    for d in range(7):
        cells = []
        for c in cover[d * per_day:(d + 1) * per_day]:
            state = "under" if c["gap"] < 0 else ("over" if c["gap"] > 0 else "ok")
            cells.append({**c, "state": state, "time": f"{c['minute'] // 60:02d}:{c['minute'] % 60:02d}"})
        rows.append({"label": DAY_LABELS[d], "cells": cells,
                     "short": sum(-c["gap"] for c in cells if c["gap"] < 0)})
    return rows


def _grid(roster) -> list[dict]:
    """The roster as one row per agent and a cell per day."""
    rows: dict[int, dict] = {}
    for s in roster.shift_list:
        row = rows.setdefault(s.agent_id, {"agent": s.agent, "days": [None] * 7, "hours": 0.0})
        row["days"][(s.day - roster.week).days] = s
        row["hours"] += ((s.end - s.start).total_seconds() / 60 - s.unpaid_break_minutes) / 60
    return sorted(rows.values(), key=lambda r: r["agent"].username)


def _plan_context(user, week: date, **extra) -> dict:
    reqs = selectors.requirements(user, week)
    roster = selectors.roster(user, week)
    cover = selectors.coverage(roster, reqs) if roster else []
    edit = extra.pop("edit", None)
    return {
        "week": week, "prev": week - timedelta(days=7), "next": week + timedelta(days=7),
        "days": [(DAY_LABELS[k], week + timedelta(days=k)) for k in range(7)],
        "queues": selectors.queues(user), "setups": ShiftSetup.objects.visible_to(user),
        "curves": [_curve(r) for r in reqs], "roster": roster, "grid": _grid(roster) if roster else [],
        "cover_rows": _cover_rows(cover, roster.interval_minutes) if roster else [],
        "run": selectors.latest_run(user, week), "active": (RunStatus.QUEUED, RunStatus.RUNNING),
        "agents": services.schedulable_agents() if roster else [],
        "edit": next((s for s in roster.shift_list if s.pk == edit), None) if roster and edit else None,
        **extra,
    }


@login_required
@page
def plan(request):
    """The planner's week: requirement per queue, scheduling run, roster with coverage, publish."""
    services.require_planner(request.user)
    week = _week(request.GET.get("week"))
    edit = int(request.GET["edit"]) if request.GET.get("edit", "").isdigit() else None
    return render(request, "workforce/plan.html", _plan_context(request.user, week, edit=edit))


@login_required
@page
def run_status(request):
    """The scheduling run's state (polled by the page while the worker solves)."""
    services.require_planner(request.user)
    week = _week(request.GET.get("week"))
    return render(request, "workforce/partials/run.html", {
        "run": selectors.latest_run(request.user, week), "week": week,
        "active": (RunStatus.QUEUED, RunStatus.RUNNING)})


@login_required
@require_POST
@page
def act(request, action: str):
    """Every planner action of the week page, each one service call; a refusal is shown on the page."""
    user, post = request.user, request.POST
    week = _week(post.get("week"))

    def forecast():
        queue = StaffingQueue.objects.visible_to(user).filter(pk=form_int(post.get("queue"), "queue")).first()
        if queue is not None and post.get("from") == "records":
            services.plan_from_records(actor=user, queue_id=queue.pk, week=week, method=post.get("method") or "robust")
            return
        upload = request.FILES.get("history")
        if queue is None or upload is None:
            raise ValidationFailed(_("Choose a queue and a history file."), code="required", field="history")
        history = _parse_history(upload.read().decode("utf-8-sig", errors="replace"), queue.interval_minutes)
        services.plan_requirement(actor=user, queue_id=queue.pk, week=week, history=history,
                                  method=post.get("method") or "robust")

    def edit():
        day, minute = form_int(post.get("day"), "day") or 0, _minute(post.get("time"))
        req_id = form_int(post.get("requirement"), "requirement")
        req = next((r for r in selectors.requirements(user, week) if r.pk == req_id), None)
        if req is None:
            raise ValidationFailed(_("Choose a queue."), code="required", field="requirement")
        index = day * (1440 // req.interval_minutes) + minute // req.interval_minutes
        services.edit_requirement(actor=user, requirement_id=req.pk, version=form_int(post.get("version"), "version"),
                                  scheduled={index: form_int(post.get("agents"), "agents") or 0})

    calls = {
        "forecast": forecast, "edit": edit,
        "schedule": lambda: services.request_schedule(actor=user, week=week,
                                                      setup_id=form_int(post.get("setup"), "setup") or 0),
        "cancel": lambda: services.cancel_schedule(actor=user, run_id=form_int(post.get("run"), "run") or 0),
        "reassign": lambda: services.reassign_shift(
            actor=user, roster_id=form_int(post.get("roster"), "roster") or 0,
            version=form_int(post.get("version"), "version"), shift_id=form_int(post.get("shift"), "shift") or 0,
            agent_id=form_int(post.get("agent"), "agent")),
        "publish": lambda: services.publish_roster(actor=user, roster_id=form_int(post.get("roster"), "roster") or 0,
                                                   version=form_int(post.get("version"), "version")),
    }
    refused = run_action(calls, action, lambda exc: render(
        request, "workforce/plan.html", _plan_context(user, week, **error_context(exc)), status=exc.status))
    return refused or redirect(f"{reverse('workforce:plan')}?week={week.isoformat()}")


def _minute(value) -> int:
    try:
        hour, minute = str(value or "").split(":")
        return int(hour) * 60 + int(minute)
    except ValueError:
        raise ValidationFailed(_("Enter a time like 09:30."), code="invalid", field="time") from None


@login_required
@page
def mine(request):
    """The agent's own week: published shifts with breaks, and the calendar feed."""
    week = _week(request.GET.get("week"))
    shifts = selectors.my_shifts(request.user, week)
    days = [{"label": DAY_LABELS[k], "date": week + timedelta(days=k),
             "shifts": [s for s in shifts if s.day == week + timedelta(days=k)]} for k in range(7)]
    return render(request, "workforce/mine.html", {"week": week, "days": days, "prev": week - timedelta(days=7),
                                                   "next": week + timedelta(days=7), "today": timezone.localdate()})


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


@login_required
def ics(request):
    """The agent's published shifts for the next eight weeks as an iCalendar (.ics) file (RFC 5545)."""
    from datetime import UTC

    today = timezone.localdate()
    shifts = selectors.upcoming_shifts(request.user, today - timedelta(days=today.weekday()))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    title = _ics_text(_("My shifts"))
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//kefu//workforce//ZH", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{title}"]
    for s in shifts:
        lines += ["BEGIN:VEVENT", f"UID:shift-{s.pk}@kefu", f"DTSTAMP:{stamp}",
                  f"DTSTART:{s.start.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}",
                  f"DTEND:{s.end.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}",
                  f"SUMMARY:{_ics_text(s.pattern)}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    response = HttpResponse("\r\n".join(lines) + "\r\n", content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-shifts.ics"'
    return response



# ------------------------------------------------------------------------------------------ forecast page
def _chart(result: dict) -> dict | None:
    """Forecast vs actual of a backtest as two SVG polylines: daily totals over the test weeks, and the
    intervals of the last test week."""
    curve = result.get("curve") or []
    if not curve:
        return None
    daily_f = [sum(x or 0 for x in d["forecast"]) for d in curve]
    daily_a = [sum(x or 0 for x in d["actual"] if x is not None) for d in curve]
    top = max(daily_f + daily_a) or 1
    n = max(len(curve) - 1, 1)

    def line(values, height=150, top=top, n=n):
        return " ".join(f"{i * 700 / n:.1f},{height - 5 - v * (height - 20) / top:.1f}" for i, v in enumerate(values))

    last = curve[-7:]
    inter_f = [x or 0 for d in last for x in d["forecast"]]
    inter_a = [x or 0 for d in last for x in d["actual"]]
    itop = max(inter_f + inter_a) or 1
    m = max(len(inter_f) - 1, 1)
    return {"daily_forecast": line(daily_f), "daily_actual": line(daily_a), "top": round(top),
            "interval_forecast": line(inter_f, top=itop, n=m), "interval_actual": line(inter_a, top=itop, n=m),
            "itop": round(itop), "first": curve[0]["date"], "last": curve[-1]["date"],
            "last_week": last[0]["date"], "weeks": [{"x": round(k * 7 * 700 / n, 1), "date": curve[k * 7]["date"]}
                                                   for k in range((len(curve) + 6) // 7)]}


def _forecast_context(user, **extra) -> dict:
    queues = selectors.queues(user)
    chosen = extra.pop("queue_id", None)
    queue = next((q for q in queues if q.pk == chosen), queues[0] if queues else None)
    backtest = selectors.latest_backtest(user, queue) if queue else None
    return {"queues": queues, "queue": queue, "backtest": backtest,
            "chart": _chart(backtest.result) if backtest and backtest.status == RunStatus.DONE else None,
            "events": selectors.events(user), "event_kinds": EventKind.choices, "target_kinds": TargetKind.choices,
            "sources": VolumeSource.choices, "active": (RunStatus.QUEUED, RunStatus.RUNNING),
            "today": timezone.localdate(), **extra}


@login_required
@page
def forecast(request):
    """The planner's forecast settings: each queue's target and history source, events, backtests with the
    forecast-vs-actual chart."""
    services.require_planner(request.user)
    chosen = form_int(request.GET.get("queue"), "queue")
    return render(request, "workforce/forecast.html", _forecast_context(request.user, queue_id=chosen))


@login_required
@page
def backtest_status(request):
    """The latest backtest of a queue (polled by the page while the worker scores it)."""
    services.require_planner(request.user)
    context = _forecast_context(request.user, queue_id=form_int(request.GET.get("queue"), "queue"))
    return render(request, "workforce/partials/backtest.html", context)


def _float(value, field: str) -> float | None:
    raw = str(value if value is not None else "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise ValidationFailed(_("Enter a number."), code="invalid", field=field) from None


def _day(value, field: str) -> date | None:
    raw = str(value or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed(_("Enter a date like 2027-03-01."), code="invalid", field=field) from None


@login_required
@require_POST
@page
def forecast_act(request, action: str):
    """Every action of the forecast page, each one service call; a refusal is shown on the page."""
    user, post = request.user, request.POST
    queue_id = form_int(post.get("queue"), "queue")

    def settings():
        changes = {}
        for name in ("target_sl", "max_p_wait", "max_abandon", "shrinkage", "max_occupancy"):  # entered as %
            value = _float(post.get(name), name)
            changes[name] = value / 100 if value is not None else None
        for name in ("answer_within_s", "target_asa_s", "patience_s"):
            changes[name] = form_int(post.get(name), name)
        changes.update(name=post.get("name", ""), target_kind=post.get("target_kind", ""),
                       source=post.get("source", ""), source_filter=post.get("source_filter", ""))
        services.update_queue(actor=user, queue_id=queue_id or 0, version=form_int(post.get("version"), "version"),
                              changes=changes)

    calls = {
        "settings": settings,
        "backtest": lambda: services.request_backtest(actor=user, queue_id=queue_id or 0,
                                                      weeks=form_int(post.get("weeks"), "weeks"),
                                                      method=post.get("method") or "robust"),
        "cancel": lambda: services.cancel_backtest(actor=user, run_id=form_int(post.get("run"), "run") or 0),
        "event": lambda: services.add_event(
            actor=user, name=post.get("name", ""), kind=post.get("kind", ""),
            first_day=_day(post.get("first_day"), "first_day"), last_day=_day(post.get("last_day"), "last_day"),
            queue_id=form_int(post.get("event_queue"), "event_queue"), note=post.get("note", "")),
        "remove_event": lambda: services.remove_event(actor=user, event_id=form_int(post.get("event"), "event") or 0),
    }
    refused = run_action(calls, action, lambda exc: render(
        request, "workforce/forecast.html", _forecast_context(user, queue_id=queue_id, **error_context(exc)),
        status=exc.status))
    suffix = f"?queue={queue_id}" if queue_id else ""
    return refused or redirect(f"{reverse('workforce:forecast')}{suffix}")
