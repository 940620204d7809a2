"""Every change to workforce data: requirement curves, schedule runs, hand adjustments, publishing."""

from __future__ import annotations

import math
import time
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from kefu.core.permissions import CHANGE
from kefu.workforce.models import (
    AgentContract,
    BacktestRun,
    EventKind,
    ForecastEvent,
    Requirement,
    Roster,
    RosterEvent,
    RosterEventCode,
    RosterStatus,
    RunStatus,
    ScheduleRun,
    Shift,
    ShiftSetup,
    StaffingQueue,
    TargetKind,
    VolumeSource,
    is_planner,
)

if TYPE_CHECKING:
    from kefu.workforce.forecast import History

# numpy, the maths and the solvers (HiGHS, scipy) are imported where something is computed, not when a page
# loads: every process imports this module with the URLconf.


def require_planner(actor) -> None:
    """Only planners (team leads and up) change workforce data; actor None is the trusted operator."""
    if actor is not None and not is_planner(actor):
        raise Forbidden(_("Only team leads and supervisors plan staffing and rosters."), code="not_a_planner")


def _monday(week: date, field: str = "week") -> date:
    if week.weekday() != 0:
        raise ValidationFailed(_("A planning week starts on a Monday."), code="not_a_monday", field=field)
    return week


def _emit(roster: Roster, code: RosterEventCode, *, actor, at, params: dict) -> None:
    RosterEvent.objects.create(roster=roster, code=code, actor=actor if getattr(actor, "pk", None) else None,
                               at=at, params=params)


# ------------------------------------------------------------------------------------------ requirement
def staffing_curve(queue: StaffingQueue, calls, aht_s) -> tuple[list, list]:
    """Agents on the phones and head count to schedule per interval for the queue's target."""
    import numpy as np

    from kefu.workforce import erlang as E

    calls = np.array([np.nan if c is None else c for c in calls], dtype=float)
    aht = np.array([np.nan if a is None else a for a in aht_s], dtype=float)
    aht = np.where(np.isnan(aht) | (aht <= 0), np.nanmean(aht) if np.isfinite(aht).any() else 240.0, aht)
    open_ = ~np.isnan(calls)
    load = np.where(open_, E.offered_load(np.nan_to_num(calls), queue.interval_minutes * 60, aht), 0.0)
    target = queue_target(queue)
    if queue.patience_s:
        agents = E.staff_erlang_a(load, aht, queue.patience_s, target)
    else:
        agents = E.staff_erlang_c(load, aht, target)
    capped = np.maximum(agents, np.ceil(load / queue.max_occupancy - 1e-9)).astype(int)
    scheduled = E.scheduled_agents(capped, queue.shrinkage)
    return ([int(a) if o else None for a, o in zip(agents, open_, strict=True)],
            [int(s) if o else None for s, o in zip(scheduled, open_, strict=True)])


def queue_target(queue: StaffingQueue):
    """The Erlang target the queue's staffing must meet, by the kind the planner chose."""
    from kefu.workforce import erlang as E

    kind = queue.target_kind
    if kind == TargetKind.ASA:
        return E.Target(asa_s=float(queue.target_asa_s), answer_within_s=queue.answer_within_s)
    if kind == TargetKind.P_WAIT:
        return E.Target(max_p_wait=queue.max_p_wait, answer_within_s=queue.answer_within_s)
    if kind == TargetKind.ABANDON:
        return E.Target(max_abandon=queue.max_abandon, answer_within_s=queue.answer_within_s)
    return E.Target(service_level=queue.target_sl, answer_within_s=queue.answer_within_s)


QUEUE_FIELDS = ("name", "target_kind", "target_sl", "answer_within_s", "target_asa_s", "max_p_wait", "max_abandon",
                "patience_s", "shrinkage", "max_occupancy", "source", "source_filter")


def _queue_errors(values: dict) -> list[str]:
    """Every field of a queue's settings that is out of range or missing for the chosen target."""
    bad = []

    def fraction(name, low_open=True, high_open=True, allow_none=False):
        v = values.get(name)
        if v is None:
            if not allow_none:
                bad.append(name)
            return
        if not ((v > 0 if low_open else v >= 0) and (v < 1 if high_open else v <= 1)):
            bad.append(name)

    if not str(values.get("name") or "").strip():
        bad.append("name")
    kind = values.get("target_kind")
    if kind not in TargetKind.values:
        bad.append("target_kind")
    fraction("target_sl")
    fraction("shrinkage", low_open=False)
    fraction("max_occupancy", high_open=False)
    fraction("max_p_wait", high_open=False, allow_none=kind != TargetKind.P_WAIT)
    fraction("max_abandon", high_open=False, allow_none=kind != TargetKind.ABANDON)
    for name, needed in (("target_asa_s", kind == TargetKind.ASA), ("patience_s", kind == TargetKind.ABANDON)):
        v = values.get(name)
        if (v is None and needed) or (v is not None and not 0 < v <= 86_400):
            bad.append(name)
    if values.get("answer_within_s") is None or not 0 <= values["answer_within_s"] <= 86_400:
        bad.append("answer_within_s")
    if values.get("source") not in VolumeSource.values:
        bad.append("source")
    return bad


@transaction.atomic
def update_queue(*, actor, queue_id: int, version: int | None, changes: dict) -> StaffingQueue:
    """Change a queue's staffing target and history source; refuses every bad field at once, 409 when stale."""
    require_planner(actor)
    queue = StaffingQueue.objects.filter(pk=queue_id).first()
    if queue is None:
        raise NotFound(_("No such queue."), code="not_found")
    unknown = sorted(set(changes) - set(QUEUE_FIELDS))
    if unknown:
        raise ValidationFailed(_("Unknown fields."), code="unknown_field", field=unknown[0],
                               params={"fields": unknown})
    if version is None:
        raise ValidationFailed(_("Send the version you edited."), code="required", field="version")
    values = {f: getattr(queue, f) for f in QUEUE_FIELDS} | changes
    values["source_filter"] = str(values.get("source_filter") or "").strip()[:50]
    bad = _queue_errors(values)
    if bad:
        raise ValidationFailed(_("Some settings are out of range or missing for the chosen target."),
                               code="out_of_range", field=bad[0], params={"fields": bad})
    done = StaffingQueue.objects.filter(pk=queue.pk, version=version).update(version=F("version") + 1, **values)
    if not done:
        raise Conflict(_("Someone changed this queue since you loaded it."), code="stale_version",
                       params={"current_version": queue.version})
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="staffing_queue", target_id=queue.pk,
           params={k: changes[k] for k in sorted(changes)})
    queue.refresh_from_db()
    return queue


# ------------------------------------------------------------------------------------------ events
def events_for(queue: StaffingQueue) -> dict[date, str]:
    """Date → event name of the queue's events and the center-wide ones (the forecast's overlays)."""
    from django.db.models import Q

    out: dict[date, str] = {}
    for e in ForecastEvent.objects.filter(Q(queue=queue) | Q(queue__isnull=True)).order_by("first_day", "pk"):
        day = e.first_day
        while day <= e.last_day:
            out.setdefault(day, e.name)
            day += timedelta(days=1)
    return out


@transaction.atomic
def add_event(*, actor, name: str, kind: str, first_day: date | None, last_day: date | None = None,
              queue_id: int | None = None, note: str = "", now: datetime | None = None) -> ForecastEvent:
    """Enter a day (or days) that moves the volume; past days of the same name teach the forecast its effect."""
    require_planner(actor)
    bad = []
    name = (name or "").strip()
    if not name or len(name) > 60:
        bad.append("name")
    if kind not in EventKind.values:
        bad.append("kind")
    if first_day is None:
        bad.append("first_day")
    last_day = last_day or first_day
    if first_day and last_day and not 0 <= (last_day - first_day).days <= 62:
        bad.append("last_day")
    queue = None
    if queue_id is not None:
        queue = StaffingQueue.objects.filter(pk=queue_id).first()
        if queue is None:
            bad.append("queue")
    if len(note or "") > 200:
        bad.append("note")
    if bad:
        raise ValidationFailed(_("Some fields of the event are missing or out of range."), code="invalid",
                               field=bad[0], params={"fields": bad})
    event = ForecastEvent.objects.create(name=name, kind=kind, first_day=first_day, last_day=last_day, queue=queue,
                                         note=note or "", created_by=actor if getattr(actor, "pk", None) else None,
                                         created_at=now or timezone.now())
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="forecast_event", target_id=event.pk,
           params={"name": name, "first_day": first_day.isoformat(), "last_day": last_day.isoformat()})
    return event


@transaction.atomic
def remove_event(*, actor, event_id: int) -> None:
    require_planner(actor)
    event = ForecastEvent.objects.filter(pk=event_id).first()
    if event is None:
        raise NotFound(_("No such event."), code="not_found")
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="forecast_event", target_id=event.pk,
           params={"name": event.name, "removed": True})
    event.delete()


@transaction.atomic
def plan_from_records(*, actor, queue_id: int, week: date, method: str = "robust",
                      now: datetime | None = None) -> Requirement:
    """Forecast the queue's week from the contacts stored in kefu (its source) and turn it into agents."""
    require_planner(actor)
    queue = StaffingQueue.objects.filter(pk=queue_id).first()
    if queue is None:
        raise NotFound(_("No such queue."), code="not_found", field="queue")
    _monday(week)
    from kefu.workforce.sources import stored_history

    history = stored_history(queue, until=week)
    return plan_requirement(actor=actor, queue_id=queue_id, week=week, history=history, method=method, now=now)


@transaction.atomic
def plan_requirement(*, actor, queue_id: int, week: date, history: History, holidays: str = "cn",
                     method: str = "robust", now: datetime | None = None) -> Requirement:
    """Forecast the queue's week from the history before it and turn it into agents per interval."""
    require_planner(actor)
    queue = StaffingQueue.objects.filter(pk=queue_id).first()
    if queue is None:
        raise NotFound(_("No such queue."), code="not_found", field="queue")
    _monday(week)
    if history.minutes != queue.interval_minutes:
        raise ValidationFailed(_("The history's interval differs from the queue's."), code="interval_mismatch",
                               field="history")
    if history.first >= week:
        raise ValidationFailed(_("The history must start before the week to plan."), code="history_too_late",
                               field="history")
    from kefu.workforce.forecast import Forecaster

    if method not in ("robust", "exp_smoothing"):
        raise ValidationFailed(_("Choose a forecast method."), code="invalid", field="method")
    days = Forecaster(history, holidays=holidays, method=method, events=events_for(queue)).week(week)
    calls = [None if math.isnan(v) else round(float(v), 2) for d in days for v in d.volume]
    aht = [None if math.isnan(v) else round(float(v), 1) for d in days for v in d.aht]
    from kefu.workforce import erlang as E

    try:
        required, scheduled = staffing_curve(queue, calls, aht)
    except E.Unreachable as exc:
        raise ValidationFailed(_("No staffing meets the queue's target."), code="target_unreachable",
                               field=str(exc)) from None
    at = now or timezone.now()
    values = {"interval_minutes": queue.interval_minutes, "calls": calls, "aht_s": aht, "required": required,
              "scheduled": scheduled, "edited": [], "method": method, "updated_at": at,
              "updated_by": actor if getattr(actor, "pk", None) else None}
    req, created = Requirement.objects.get_or_create(queue=queue, week=week, defaults=values)
    if not created:
        Requirement.objects.filter(pk=req.pk).update(version=F("version") + 1, **values)
        req.refresh_from_db()
    return req


@transaction.atomic
def edit_requirement(*, actor, requirement_id: int, version: int | None, scheduled: dict[int, int],
                     now: datetime | None = None) -> Requirement:
    """Set the head count of some intervals by hand; other intervals keep their computed value."""
    require_planner(actor)
    req = Requirement.objects.visible_to(actor, CHANGE).filter(pk=requirement_id).first() if actor else \
        Requirement.objects.filter(pk=requirement_id).first()
    if req is None:
        raise NotFound(_("No such requirement."), code="not_found")
    if version is None:
        raise ValidationFailed(_("Send the version you edited."), code="required", field="version")
    bad = [k for k, v in scheduled.items() if not 0 <= int(k) < len(req.scheduled) or not 0 <= v <= 10_000]
    if bad:
        raise ValidationFailed(_("An interval or head count is out of range."), code="out_of_range",
                               field="scheduled", params={"intervals": sorted(int(k) for k in bad)})
    new = list(req.scheduled)
    for k, v in scheduled.items():
        new[int(k)] = int(v)
    edited = sorted(set(req.edited) | {int(k) for k in scheduled})
    done = Requirement.objects.filter(pk=req.pk, version=version).update(
        scheduled=new, edited=edited, version=F("version") + 1, updated_at=now or timezone.now(),
        updated_by=actor if getattr(actor, "pk", None) else None)
    if not done:
        raise Conflict(_("Someone changed this requirement since you loaded it."), code="stale_version",
                       params={"current_version": Requirement.objects.get(pk=req.pk).version})
    req.refresh_from_db()
    return req


# ------------------------------------------------------------------------------------------ backtests
@transaction.atomic
def request_backtest(*, actor, queue_id: int, weeks: int | None = 4, method: str = "robust",
                     now: datetime | None = None) -> BacktestRun:
    """Queue a backtest of the queue's stored history for the worker (one active backtest per queue)."""
    require_planner(actor)
    queue = StaffingQueue.objects.filter(pk=queue_id).first()
    bad = []
    if queue is None:
        bad.append("queue")
    elif queue.source not in SOURCES_WITH_RECORDS:
        raise ValidationFailed(_("This queue has no stored history source; import a file."), code="no_source",
                               field="source")
    if weeks is None or not 1 <= weeks <= 26:
        bad.append("weeks")
    if method not in ("robust", "exp_smoothing"):
        bad.append("method")
    if bad:
        raise ValidationFailed(_("Some fields are missing or out of range."), code="invalid", field=bad[0],
                               params={"fields": bad})
    if BacktestRun.objects.filter(queue=queue, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).exists():
        raise Conflict(_("A backtest of this queue is already running."), code="run_active")
    run = BacktestRun.objects.create(queue=queue, weeks=weeks, method=method, created_at=now or timezone.now(),
                                     requested_by=actor if getattr(actor, "pk", None) else None)
    from kefu.workforce.tasks import run_backtest

    transaction.on_commit(lambda: run_backtest(run.pk))
    return run


SOURCES_WITH_RECORDS = ("calls", "tickets", "chats")


@transaction.atomic
def cancel_backtest(*, actor, run_id: int, now: datetime | None = None) -> BacktestRun:
    """Stop a backtest: a queued one at once, a running one before its next test week."""
    require_planner(actor)
    return _cancel_run(BacktestRun, run_id, _("No such backtest."), now)


def execute_backtest(*, run_id: int, now: datetime | None = None) -> BacktestRun | None:
    """The worker's side: claim the run, read the stored history up to today, score it week by week."""
    if not BacktestRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(status=RunStatus.RUNNING):
        return None
    run = BacktestRun.objects.select_related("queue").get(pk=run_id)
    from kefu.workforce import backtest as B
    from kefu.workforce.sources import stored_history

    def progress(done, total):
        BacktestRun.objects.filter(pk=run_id).update(progress=f"{done}/{total}")

    def cancelled():
        return BacktestRun.objects.filter(pk=run_id, cancel_requested=True).exists()

    at = now or timezone.now()
    today = timezone.localdate(at)
    try:
        history = stored_history(run.queue, until=today, weeks=26 + run.weeks)
        result = B.backtest(history, weeks=run.weeks, method=run.method, events=events_for(run.queue),
                            progress=progress, cancelled=cancelled)
    except B.Cancelled:
        BacktestRun.objects.filter(pk=run_id).update(status=RunStatus.CANCELLED, finished_at=at)
        return BacktestRun.objects.get(pk=run_id)
    except (ValidationFailed, ValueError) as exc:
        code = getattr(exc, "code", "") or str(exc)
        BacktestRun.objects.filter(pk=run_id).update(status=RunStatus.FAILED, error=str(code)[:300], finished_at=at)
        return BacktestRun.objects.get(pk=run_id)
    BacktestRun.objects.filter(pk=run_id).update(status=RunStatus.DONE, result=result, finished_at=at, progress="")
    return BacktestRun.objects.get(pk=run_id)


# ------------------------------------------------------------------------------------------ schedule runs
@transaction.atomic
def request_schedule(*, actor, week: date, setup_id: int, now: datetime | None = None) -> ScheduleRun:
    """Queue a weekly scheduling run for the worker (one active run per week)."""
    require_planner(actor)
    _monday(week)
    setup = ShiftSetup.objects.filter(pk=setup_id).first()
    if setup is None:
        raise ValidationFailed(_("Choose a shift setup."), code="unknown_setup", field="setup")
    from kefu.workforce.scheduling import setup as S

    try:
        S.load_patterns(setup.patterns_yaml)
    except S.SetupError as exc:
        raise ValidationFailed(str(exc), code="bad_patterns", field="setup") from None
    if not Requirement.objects.filter(week=week).exists():
        raise ValidationFailed(_("Plan the week's requirement first."), code="no_requirement", field="week")
    if ScheduleRun.objects.filter(week=week, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).exists():
        raise Conflict(_("A schedule for this week is already being made."), code="run_active")
    run = ScheduleRun.objects.create(week=week, setup=setup, created_at=now or timezone.now(),
                                     requested_by=actor if getattr(actor, "pk", None) else None)
    from kefu.workforce.tasks import make_schedule

    transaction.on_commit(lambda: make_schedule(run.pk))
    return run


@transaction.atomic
def cancel_schedule(*, actor, run_id: int, now: datetime | None = None) -> ScheduleRun:
    """Ask a run to stop; a queued run is cancelled at once, a running one at the solver's next check."""
    require_planner(actor)
    return _cancel_run(ScheduleRun, run_id, _("No such schedule run."), now)


def _cancel_run(model, run_id: int, missing, now: datetime | None):
    """A queued run is cancelled at once; a running one is asked to stop (its worker checks between steps).
    Two conditional updates, so a run the worker picks up meanwhile is never both started and cancelled."""
    run = model.objects.filter(pk=run_id).first()
    if run is None:
        raise NotFound(missing, code="not_found")
    model.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
        status=RunStatus.CANCELLED, finished_at=now or timezone.now())
    model.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(cancel_requested=True)
    run.refresh_from_db()
    return run


FRONT_LINE = ("agent", "complaint_handler", "info_desk")


def schedulable_agents() -> list:
    """Who the roster is made for: active front-line agents, and anyone else given a contract."""
    from django.db.models import Q

    from kefu.accounts.models import User

    return list(User.objects.filter(Q(role__in=FRONT_LINE) | Q(contract__isnull=False), is_active=True)
                .order_by("username"))


def _inputs(run: ScheduleRun):
    """The scheduling problem of a run: requirement per queue, patterns and rules, agents and contracts."""
    import numpy as np

    from kefu.workforce.scheduling import setup as S

    patterns, rules = S.load_patterns(run.setup.patterns_yaml)
    step = rules.interval_minutes
    reqs = list(Requirement.objects.filter(week=run.week).select_related("queue"))
    need = {}
    for r in reqs:
        grid = np.zeros((7, 1440 // step))
        per_day = 1440 // r.interval_minutes
        for i, v in enumerate(r.scheduled):
            if v:
                d, s = divmod(i, per_day)
                lo, hi = s * r.interval_minutes // step, -(-(s + 1) * r.interval_minutes // step)
                grid[d, lo:hi] = np.maximum(grid[d, lo:hi], v)
        need[r.queue.code if len(reqs) > 1 else ""] = grid
    users = schedulable_agents()
    contracts = {c.user_id: c for c in AgentContract.objects.filter(user__in=users)}
    agents, by_name = [], {}
    codes = frozenset(need)
    for u in users:
        c = contracts.get(u.pk)
        skills = frozenset(x.strip() for x in (c.skills if c else "").split(",") if x.strip()) or codes
        agents.append(S.Agent(name=u.username, skills=skills, days_per_week=c.days_per_week if c else 5,
                              max_hours=c.max_hours if c else 40.0, min_hours=c.min_hours if c else 0.0,
                              no_nights=c.no_nights if c else False,
                              prefers=frozenset(x.strip() for x in (c.prefers if c else "").split(",") if x.strip())))
        by_name[u.username] = u
    previous = previous_shifts(run.week, [u.pk for u in users])
    begin = datetime.combine(run.week, datetime.min.time())
    for agent in agents:
        own = [s for s in previous if s["agent"] == agent.name]
        if own:
            last_end = max(datetime.fromisoformat(s["end"]) for s in own)
            agent.prior_end = int((last_end - begin).total_seconds() // 60)
            worked = {date.fromisoformat(s["date"]) for s in own}
            while run.week - timedelta(days=agent.prior_run + 1) in worked:
                agent.prior_run += 1
    req = S.Requirement(week=run.week, interval_minutes=step, need=need)
    return req, patterns, rules, agents, by_name, previous


def previous_shifts(week: date, agent_ids: list[int]) -> list[dict]:
    """The published shifts of the week before (wall-clock dicts): the rules that cross the boundary read them."""
    found = (Shift.objects.filter(roster__status=RosterStatus.PUBLISHED, agent_id__in=agent_ids,
                                  day__gte=week - timedelta(days=7), day__lt=week).select_related("agent"))
    return [shift_dict(s) for s in found]


def execute_run(*, run_id: int, now: datetime | None = None) -> ScheduleRun | None:
    """The worker's side: claim a queued run, solve it with progress and cancellation, store a draft roster."""
    # Two workers may pick up the same task (a retry): only the one whose UPDATE changes the row runs it.
    if not ScheduleRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(status=RunStatus.RUNNING):
        return None
    run = ScheduleRun.objects.select_related("setup").get(pk=run_id)
    last = {"at": 0.0}

    def progress(stage, gap):
        if time.monotonic() - last["at"] > 1.0:
            last["at"] = time.monotonic()
            text = f"{stage} {gap:.1%}" if gap < 1 else stage
            ScheduleRun.objects.filter(pk=run_id).update(progress=text[:100])

    def cancelled():
        return ScheduleRun.objects.filter(pk=run_id, cancel_requested=True).exists()

    from kefu.workforce.scheduling import setup as S
    from kefu.workforce.scheduling.run import schedule_week

    try:
        req, patterns, rules, agents, by_name, previous = _inputs(run)
        result = schedule_week(req, patterns, agents, rules, cancelled=cancelled, progress=progress,
                               previous=previous)
    except S.Cancelled:
        ScheduleRun.objects.filter(pk=run_id).update(status=RunStatus.CANCELLED, finished_at=now or timezone.now())
        return ScheduleRun.objects.get(pk=run_id)
    except (S.SetupError, RuntimeError, ValueError) as exc:
        ScheduleRun.objects.filter(pk=run_id).update(status=RunStatus.FAILED, error=str(exc)[:300],
                                                     finished_at=now or timezone.now())
        return ScheduleRun.objects.get(pk=run_id)
    _store_roster(run, result, by_name, now=now or timezone.now())
    return ScheduleRun.objects.get(pk=run_id)


def _aware(text: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(text))


@transaction.atomic
def _store_roster(run: ScheduleRun, result: dict, by_name: dict, *, now: datetime) -> None:
    """Replace the week's draft roster with the run's (a published roster is never overwritten)."""
    summary = {k: result[k] for k in ("paid_hours", "planned_paid_hours", "shortfall_agent_intervals")}
    summary.update(gap=result["solver"]["gap"], seconds=result["solver"]["seconds"], check_ok=result["check"]["ok"],
                   violations=len(result["check"]["violations"]), shifts=len(result["shifts"]),
                   unfilled=sum(u["count"] for u in result["unfilled"]))
    roster, _created = Roster.objects.get_or_create(week=run.week, defaults={"interval_minutes":
                                                                             result["interval_minutes"]})
    if roster.status == RosterStatus.PUBLISHED:
        ScheduleRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, summary=summary, finished_at=now,
                                                     error="roster_published")
        return
    roster.shifts.all().delete()
    Shift.objects.bulk_create([
        Shift(roster=roster, agent=by_name[s["agent"]], day=date.fromisoformat(s["date"]), pattern=s["pattern"],
              start=_aware(s["start"]), end=_aware(s["end"]), breaks=s["breaks"],
              unpaid_break_minutes=s["unpaid_break_minutes"], skills=s["skills"]) for s in result["shifts"]])
    Roster.objects.filter(pk=roster.pk).update(run=run, interval_minutes=result["interval_minutes"],
                                               version=F("version") + 1)
    _emit(roster, RosterEventCode.GENERATED, actor=None, at=now, params={"run": run.pk, **summary})
    ScheduleRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, summary=summary, finished_at=now,
                                                 progress="")


# ------------------------------------------------------------------------------------------ roster edits
def _load_roster(actor, roster_id: int, version: int | None) -> Roster:
    roster = Roster.objects.visible_to(actor, CHANGE).filter(pk=roster_id).first() if actor else \
        Roster.objects.filter(pk=roster_id).first()
    if roster is None:
        raise NotFound(_("No such roster."), code="not_found")
    if version is None:
        raise ValidationFailed(_("Send the version you edited."), code="required", field="version")
    if roster.version != version:
        raise Conflict(_("Someone changed this roster since you loaded it."), code="stale_version",
                       params={"current_version": roster.version})
    return roster


def _bump(roster: Roster, version: int) -> None:
    if not Roster.objects.filter(pk=roster.pk, version=version).update(version=F("version") + 1):
        raise Conflict(_("Someone changed this roster since you loaded it."), code="stale_version",
                       params={"current_version": Roster.objects.get(pk=roster.pk).version})


@transaction.atomic
def reassign_shift(*, actor, roster_id: int, version: int | None, shift_id: int, agent_id: int | None,
                   now: datetime | None = None) -> Roster:
    """Give a shift to another agent, or remove it (agent_id None); the roster goes back to draft."""
    require_planner(actor)
    roster = _load_roster(actor, roster_id, version)
    shift = roster.shifts.filter(pk=shift_id).first()
    if shift is None:
        raise NotFound(_("No such shift in this roster."), code="not_found", field="shift")
    if agent_id is not None:
        agent = next((u for u in schedulable_agents() if u.pk == agent_id), None)
        if agent is None:
            raise ValidationFailed(_("Choose an active agent."), code="unknown_agent", field="agent")
        if roster.shifts.filter(agent=agent, day=shift.day).exclude(pk=shift.pk).exists():
            raise ValidationFailed(_("That agent already works a shift that day."), code="already_on_shift",
                                   field="agent")
    _bump(roster, version)
    at = now or timezone.now()
    if agent_id is None:
        shift.delete()
        _emit(roster, RosterEventCode.SHIFT_REMOVED, actor=actor, at=at, params={"shift": shift_id})
    else:
        before = shift.agent_id
        Shift.objects.filter(pk=shift.pk).update(agent_id=agent_id)
        _emit(roster, RosterEventCode.SHIFT_REASSIGNED, actor=actor, at=at,
              params={"shift": shift_id, "from": before, "to": agent_id})
    Roster.objects.filter(pk=roster.pk).update(status=RosterStatus.DRAFT)
    roster.refresh_from_db()
    return roster


def roster_check(roster: Roster) -> dict:
    """The independent check on the roster as it stands now (after any hand adjustments)."""
    from kefu.workforce import check

    run = roster.run
    if run is None:
        return {"ok": True, "violations": [], "shortfall": 0.0, "intervals_short": 0}
    req, patterns, rules, agents, _, previous = _inputs(run)
    shifts = [shift_dict(s) for s in roster.shifts.select_related("agent")]
    return check.verify(req=req, patterns=patterns, agents=agents, rules=replace(rules), shifts=shifts,
                        previous=previous)


def shift_dict(s: Shift) -> dict:
    """A stored shift in the check's wall-clock form."""
    local = timezone.localtime
    return {"agent": s.agent.username, "date": s.day.isoformat(), "pattern": s.pattern,
            "start": local(s.start).replace(tzinfo=None).isoformat(timespec="minutes"),
            "end": local(s.end).replace(tzinfo=None).isoformat(timespec="minutes"),
            "breaks": s.breaks, "unpaid_break_minutes": s.unpaid_break_minutes, "skills": s.skills}


@transaction.atomic
def publish_roster(*, actor, roster_id: int, version: int | None, now: datetime | None = None) -> Roster:
    """Publish the week's roster after the independent check finds no broken rule."""
    require_planner(actor)
    roster = _load_roster(actor, roster_id, version)
    verdict = roster_check(roster)
    if not verdict["ok"]:
        raise ValidationFailed(_("The roster breaks labour rules; fix it before publishing."),
                               code="roster_breaks_rules", field="roster",
                               params={"violations": verdict["violations"][:50]})
    _bump(roster, version)
    at = now or timezone.now()
    Roster.objects.filter(pk=roster.pk).update(status=RosterStatus.PUBLISHED, published_at=at,
                                               published_by=actor if getattr(actor, "pk", None) else None)
    _emit(roster, RosterEventCode.PUBLISHED, actor=actor, at=at,
          params={"shifts": roster.shifts.count(), "shortfall": verdict["shortfall"]})
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="roster", target_id=roster.pk,
           params={"week": roster.week.isoformat(), "status": RosterStatus.PUBLISHED})
    roster.refresh_from_db()
    return roster


def week_days(week: date) -> list[date]:
    return [week + timedelta(days=k) for k in range(7)]
