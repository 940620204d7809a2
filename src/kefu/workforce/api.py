"""Workforce endpoints (/api/v1/workforce): Erlang figures, requirement curves, schedule runs, rosters."""

import io
import math
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status

from kefu.api.schemas import ERRORS
from kefu.core.errors import NotFound, ValidationFailed
from kefu.workforce import selectors, services
from kefu.workforce.models import BacktestRun, ScheduleRun
from kefu.workforce.schemas import (
    BacktestIn,
    BacktestOut,
    CoverageOut,
    ErlangIn,
    ErlangOut,
    EventIn,
    EventOut,
    FromRecordsIn,
    QueueOut,
    QueuePatch,
    ReassignIn,
    RequirementIn,
    RequirementOut,
    RequirementPatch,
    RosterOut,
    RosterVersionIn,
    RunIn,
    RunOut,
    ShiftOut,
    backtest_out,
    event_out,
    queue_out,
    requirement_out,
    run_out,
    shift_out,
)

router = Router(tags=["workforce"])
# numpy and the maths modules are imported inside the endpoints that compute: every page of the site loads the
# URLconf, and with it this module, so what it imports at the top delays the first request of every process.


def _check_erlang(p: ErlangIn) -> float:
    """Validate the calculator's input, naming every bad field at once; returns the offered load."""
    from kefu.workforce import erlang as E

    bad = []
    for name in ("calls", "load", "agents", "answer_within_s"):
        value = getattr(p, name)
        if value is not None and (value < 0 or not math.isfinite(value)):
            bad.append(name)
    for name in ("aht_s", "interval_s", "patience_s"):
        value = getattr(p, name)
        if value is not None and not value > 0:
            bad.append(name)
    for name, low_open, high_open in (("target_sl", True, True), ("shrinkage", False, True),
                                      ("max_occupancy", True, False)):
        value = getattr(p, name)
        if value is not None and not ((value > 0 if low_open else value >= 0)
                                      and (value < 1 if high_open else value <= 1)):
            bad.append(name)
    if p.load is None and (p.calls is None or p.interval_s is None):
        bad.append("calls")
    if p.agents is None and p.target_sl is None:
        bad.append("agents")
    if bad:
        raise ValidationFailed(_("Some figures are out of range."), code="out_of_range", field=bad[0],
                               params={"fields": bad})
    return p.load if p.load is not None else float(E.offered_load(p.calls, p.interval_s, p.aht_s))


@router.post("/erlang", response={200: ErlangOut, **ERRORS})
def erlang(request, payload: ErlangIn):
    """Erlang C (or A with patience_s) figures for a staffing level, or the fewest agents for target_sl."""
    from kefu.workforce import erlang as E

    load = _check_erlang(payload)
    agents = payload.agents
    if agents is None:
        target = E.Target(service_level=payload.target_sl, answer_within_s=payload.answer_within_s)
        fn = (lambda: E.staff_erlang_a([load], payload.aht_s, payload.patience_s, target)) if payload.patience_s \
            else (lambda: E.staff_erlang_c([load], payload.aht_s, target))
        try:
            agents = int(fn()[0])
        except E.Unreachable:
            raise ValidationFailed(_("This target cannot be reached."), code="unreachable", field="target_sl") from None
    if payload.patience_s:
        f = E.scalar(E.erlang_a(agents, load, payload.aht_s, payload.patience_s, payload.answer_within_s))
    else:
        f = E.scalar(E.erlang_c(agents, load, payload.aht_s, payload.answer_within_s))
    out = {"offered_load_erlangs": load, "agents": agents, **f}
    if payload.shrinkage is not None or payload.max_occupancy is not None:
        on = agents if payload.max_occupancy is None else max(agents, math.ceil(load / payload.max_occupancy - 1e-9))
        out["scheduled_agents"] = int(E.scheduled_agents(on, payload.shrinkage or 0.0))
    return out


def _parse_history(text: str, minutes: int):
    import csv

    from kefu.workforce.forecast import HistoryError, history_from_rows

    rows = []
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            start = datetime.fromisoformat(row["start"].strip().replace("/", "-")).replace(tzinfo=None)
            volume = float(row["volume"])
            aht = float(row["aht_s"]) if (row.get("aht_s") or "").strip() else None
        except (KeyError, ValueError, AttributeError):
            raise ValidationFailed(_("Line %(line)s of the history cannot be read.") % {"line": line},
                                   code="bad_history", field="history_csv", params={"line": line}) from None
        rows.append((start, volume, aht))
    try:
        return history_from_rows(rows, minutes)
    except HistoryError:
        raise ValidationFailed(_("The history has no rows."), code="bad_history", field="history_csv") from None


@router.get("/requirements", response={200: list[RequirementOut], **ERRORS})
def list_requirements(request, week: date):
    """The week's requirement curves, one per queue (planners only)."""
    services.require_planner(request.auth)
    return [requirement_out(r) for r in selectors.requirements(request.auth, week)]


@router.post("/requirements", response={201: RequirementOut, **ERRORS})
def plan_requirement(request, payload: RequirementIn):
    """Forecast a queue's week from the history sent and compute the agents required per interval."""
    services.require_planner(request.auth)
    queue = next((q for q in selectors.queues(request.auth) if q.pk == payload.queue), None)
    if queue is None:
        raise NotFound(_("No such queue."), code="not_found", field="queue")
    history = _parse_history(payload.history_csv, queue.interval_minutes)
    req = services.plan_requirement(actor=request.auth, queue_id=queue.pk, week=payload.week, history=history,
                                    holidays=payload.holidays, method=payload.method)
    return Status(201, requirement_out(req))


@router.patch("/requirements/{int:requirement_id}", response={200: RequirementOut, **ERRORS})
def edit_requirement(request, requirement_id: int, payload: RequirementPatch):
    """Set the head count of some intervals by hand (only the intervals sent change)."""
    req = services.edit_requirement(actor=request.auth, requirement_id=requirement_id, version=payload.version,
                                    scheduled=payload.scheduled)
    return requirement_out(req)


@router.post("/schedule-runs", response={202: RunOut, **ERRORS})
def request_schedule(request, payload: RunIn):
    """Start a weekly scheduling run in the worker; poll it for progress."""
    return Status(202, run_out(services.request_schedule(actor=request.auth, week=payload.week,
                                                         setup_id=payload.setup)))


@router.get("/schedule-runs/{int:run_id}", response={200: RunOut, **ERRORS})
def get_run(request, run_id: int):
    run = ScheduleRun.objects.visible_to(request.auth).filter(pk=run_id).first()
    if run is None:
        raise NotFound(_("No such schedule run."), code="not_found")
    return run_out(run)


@router.post("/schedule-runs/{int:run_id}/cancel", response={200: RunOut, **ERRORS})
def cancel_run(request, run_id: int):
    return run_out(services.cancel_schedule(actor=request.auth, run_id=run_id))


@router.get("/rosters/{week}", response={200: RosterOut, **ERRORS})
def get_roster(request, week: date):
    """The week's roster with every shift and the coverage against the requirement per interval."""
    roster = selectors.roster(request.auth, week)
    if roster is None:
        raise NotFound(_("No roster for this week."), code="not_found")
    cover = selectors.coverage(roster, selectors.requirements(request.auth, week))
    return {"id": roster.pk, "week": roster.week, "status": roster.status, "version": roster.version,
            "interval_minutes": roster.interval_minutes, "published_at": roster.published_at,
            "shifts": [shift_out(s) for s in roster.shift_list], "coverage": cover}


@router.post("/rosters/{int:roster_id}/shifts/{int:shift_id}", response={200: list[CoverageOut], **ERRORS})
def reassign_shift(request, roster_id: int, shift_id: int, payload: ReassignIn):
    """Give a shift to another agent (or remove it with agent null); answers the new coverage."""
    roster = services.reassign_shift(actor=request.auth, roster_id=roster_id, version=payload.version,
                                     shift_id=shift_id, agent_id=payload.agent)
    full = selectors.roster(request.auth, roster.week)
    return selectors.coverage(full, selectors.requirements(request.auth, roster.week))


@router.post("/rosters/{int:roster_id}/publish", response={200: RosterVersionIn, **ERRORS})
def publish(request, roster_id: int, payload: RosterVersionIn):
    roster = services.publish_roster(actor=request.auth, roster_id=roster_id, version=payload.version)
    return {"version": roster.version}


@router.get("/my-shifts", response={200: list[ShiftOut], **ERRORS})
def my_shifts(request, week: date | None = None):
    """The caller's published shifts of a week (this week by default)."""
    today = timezone.localdate()
    monday = week or date.fromordinal(today.toordinal() - today.weekday())
    return [shift_out(s) for s in selectors.my_shifts(request.auth, monday)]


@router.get("/queues", response={200: list[QueueOut], **ERRORS})
def list_queues(request):
    """The staffing queues with their targets and history sources (planners only)."""
    services.require_planner(request.auth)
    return [queue_out(q) for q in selectors.queues(request.auth)]


@router.patch("/queues/{int:queue_id}", response={200: QueueOut, **ERRORS})
def update_queue(request, queue_id: int, payload: QueuePatch):
    """Change a queue's target or source: only the fields sent change; every bad field is named at once."""
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version", None)
    return queue_out(services.update_queue(actor=request.auth, queue_id=queue_id, version=version, changes=changes))


@router.post("/requirements/from-records", response={201: RequirementOut, **ERRORS})
def plan_from_records(request, payload: FromRecordsIn):
    """Forecast a queue's week from the calls, tickets or chats stored in kefu (the queue's source)."""
    req = services.plan_from_records(actor=request.auth, queue_id=payload.queue, week=payload.week,
                                     method=payload.method)
    return Status(201, requirement_out(req))


@router.get("/events", response={200: list[EventOut], **ERRORS})
def list_events(request):
    services.require_planner(request.auth)
    return [event_out(e) for e in selectors.events(request.auth)]


@router.post("/events", response={201: EventOut, **ERRORS})
def add_event(request, payload: EventIn):
    """Enter days that move the volume; past days of the same name teach the forecast the effect."""
    event = services.add_event(actor=request.auth, name=payload.name, kind=payload.kind, first_day=payload.first_day,
                               last_day=payload.last_day, queue_id=payload.queue, note=payload.note)
    return Status(201, event_out(event))


@router.delete("/events/{int:event_id}", response={204: None, **ERRORS})
def remove_event(request, event_id: int):
    services.remove_event(actor=request.auth, event_id=event_id)
    return Status(204, None)


@router.post("/backtests", response={202: BacktestOut, **ERRORS})
def request_backtest(request, payload: BacktestIn):
    """Backtest the queue's stored history in the worker; poll it for progress and the scores."""
    run = services.request_backtest(actor=request.auth, queue_id=payload.queue, weeks=payload.weeks,
                                    method=payload.method)
    return Status(202, backtest_out(run))


@router.get("/backtests/{int:run_id}", response={200: BacktestOut, **ERRORS})
def get_backtest(request, run_id: int):
    run = BacktestRun.objects.visible_to(request.auth).filter(pk=run_id).first()
    if run is None:
        raise NotFound(_("No such backtest."), code="not_found")
    return backtest_out(run)


@router.post("/backtests/{int:run_id}/cancel", response={200: BacktestOut, **ERRORS})
def cancel_backtest(request, run_id: int):
    return backtest_out(services.cancel_backtest(actor=request.auth, run_id=run_id))
