"""API shapes of workforce planning and the functions that turn models into them."""

from datetime import date, datetime

from django.utils import timezone
from ninja import Schema


class ErlangIn(Schema):
    calls: float | None = None
    interval_s: float | None = None
    aht_s: float
    load: float | None = None
    agents: int | None = None
    answer_within_s: float = 20
    target_sl: float | None = None
    patience_s: float | None = None
    shrinkage: float | None = None
    max_occupancy: float | None = None


class ErlangOut(Schema):
    offered_load_erlangs: float
    agents: int
    scheduled_agents: int | None = None
    p_wait: float
    service_level: float
    asa_s: float | None
    occupancy: float
    p_abandon: float | None = None


class RequirementIn(Schema):
    queue: int
    week: date
    history_csv: str
    holidays: str = "cn"
    method: str = "robust"


class RequirementPatch(Schema):
    version: int | None = None
    scheduled: dict[int, int]


class RequirementOut(Schema):
    id: int
    queue: int
    queue_code: str
    week: date
    interval_minutes: int
    calls: list[float | None]
    aht_s: list[float | None]
    required: list[int | None]
    scheduled: list[int | None]
    edited: list[int]
    version: int


class RunIn(Schema):
    week: date
    setup: int


class RunOut(Schema):
    id: int
    week: date
    status: str
    progress: str
    error: str
    summary: dict
    created_at: datetime
    finished_at: datetime | None


class ShiftOut(Schema):
    id: int
    agent: int
    agent_name: str
    date: date
    pattern: str
    start: datetime
    end: datetime
    breaks: list[dict]


class CoverageOut(Schema):
    slot: int
    day: int
    minute: int
    required: int
    scheduled: int
    gap: int


class RosterOut(Schema):
    id: int
    week: date
    status: str
    version: int
    interval_minutes: int
    published_at: datetime | None
    shifts: list[ShiftOut]
    coverage: list[CoverageOut]


class ReassignIn(Schema):
    version: int | None = None
    agent: int | None = None


class RosterVersionIn(Schema):
    version: int | None = None


def requirement_out(r) -> dict:
    return {"id": r.pk, "queue": r.queue_id, "queue_code": r.queue.code, "week": r.week,
            "interval_minutes": r.interval_minutes, "calls": r.calls, "aht_s": r.aht_s, "required": r.required,
            "scheduled": r.scheduled, "edited": r.edited, "version": r.version}


def run_out(run) -> dict:
    return {"id": run.pk, "week": run.week, "status": run.status, "progress": run.progress, "error": run.error,
            "summary": run.summary, "created_at": run.created_at, "finished_at": run.finished_at}


def shift_out(s) -> dict:
    return {"id": s.pk, "agent": s.agent_id, "agent_name": s.agent.display_name or s.agent.username,
            "date": s.day, "pattern": s.pattern, "start": timezone.localtime(s.start),
            "end": timezone.localtime(s.end), "breaks": s.breaks}


class QueueOut(Schema):
    id: int
    code: str
    name: str
    interval_minutes: int
    target_kind: str
    target_sl: float
    answer_within_s: int
    target_asa_s: int | None
    max_p_wait: float | None
    max_abandon: float | None
    patience_s: int | None
    shrinkage: float
    max_occupancy: float
    source: str
    source_filter: str
    version: int


class QueuePatch(Schema):
    """Only the fields sent change; `version` is the one the client loaded (409 when stale)."""

    version: int
    name: str | None = None
    target_kind: str | None = None
    target_sl: float | None = None
    answer_within_s: int | None = None
    target_asa_s: int | None = None
    max_p_wait: float | None = None
    max_abandon: float | None = None
    patience_s: int | None = None
    shrinkage: float | None = None
    max_occupancy: float | None = None
    source: str | None = None
    source_filter: str | None = None


class FromRecordsIn(Schema):
    queue: int
    week: date
    method: str = "robust"


class EventIn(Schema):
    name: str
    kind: str = "other"
    first_day: date
    last_day: date | None = None
    queue: int | None = None
    note: str = ""


class EventOut(Schema):
    id: int
    name: str
    kind: str
    first_day: date
    last_day: date
    queue: int | None
    note: str


class BacktestIn(Schema):
    queue: int
    weeks: int = 4
    method: str = "robust"


class BacktestOut(Schema):
    id: int
    queue: int
    weeks: int
    method: str
    status: str
    progress: str
    error: str
    result: dict
    created_at: datetime
    finished_at: datetime | None


def queue_out(q) -> dict:
    return {f: getattr(q, f) for f in QueueOut.model_fields if f != "id"} | {"id": q.pk}


def event_out(e) -> dict:
    return {"id": e.pk, "name": e.name, "kind": e.kind, "first_day": e.first_day, "last_day": e.last_day,
            "queue": e.queue_id, "note": e.note}


def backtest_out(b) -> dict:
    return {"id": b.pk, "queue": b.queue_id, "weeks": b.weeks, "method": b.method, "status": b.status,
            "progress": b.progress, "error": b.error, "result": b.result, "created_at": b.created_at,
            "finished_at": b.finished_at}
