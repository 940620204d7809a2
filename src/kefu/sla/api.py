"""SLA endpoints: deadline arithmetic, a ticket's clocks, manual escalation, calendars."""

from datetime import datetime

from ninja import Query, Router, Schema

from kefu.api.schemas import ERRORS
from kefu.sla import selectors, services
from kefu.sla.models import BusinessCalendar
from kefu.tickets.schemas import TicketOut, ticket_out
from kefu.tickets.services.common import load_ticket

router = Router(tags=["sla"])


class DeadlineQuery(Schema):
    start: datetime
    target: str
    calendar: str | None = None
    hours: str | None = None
    holidays: str = "cn"
    time_zone: str = "Asia/Shanghai"


class DeadlineOut(Schema):
    start: str
    target: str
    due: str
    working_minutes: float
    warnings: list[str]


class ClockOut(Schema):
    kind: str
    label: str
    policy: str
    target: str
    state: str
    started_at: datetime
    due_at: datetime
    working_minutes_left: float | None
    paused_minutes: float
    breached: bool
    stopped_at: datetime | None
    escalation_level: int
    warnings: list[str]


class EscalateIn(Schema):
    reason: str


class CalendarOut(Schema):
    id: int
    name: str
    time_zone: str
    always_open: bool
    cn_holidays: bool
    hours: dict
    missing_holiday_years: list[int]


@router.get("/deadline", response={200: DeadlineOut, **ERRORS})
def deadline(request, q: Query[DeadlineQuery]):
    """Due time of a target (30m, 4h, 3wd) from a start, on a stored calendar or given hours."""
    calendar = services.resolve_calendar(name=q.calendar, hours=q.hours, holidays=q.holidays,
                                         time_zone=q.time_zone)
    return services.compute_deadline(start=q.start, target=q.target, calendar=calendar)


@router.get("/calendars", response={200: list[CalendarOut], **ERRORS})
def calendars(request):
    return [{"id": c.pk, "name": c.name, "time_zone": c.time_zone, "always_open": c.always_open,
             "cn_holidays": c.cn_holidays, "hours": c.hours, "missing_holiday_years": c.holiday_gaps()}
            for c in BusinessCalendar.objects.prefetch_related("overrides")]


@router.get("/tickets/{int:ticket_id}/clocks", response={200: list[ClockOut], **ERRORS})
def clocks(request, ticket_id: int):
    return selectors.clocks_for(load_ticket(request.auth, ticket_id))


@router.post("/tickets/{int:ticket_id}/escalate", response={200: TicketOut, **ERRORS})
def escalate(request, ticket_id: int, payload: EscalateIn):
    """Manual escalation: the next step of the ticket's ladder runs now."""
    services.escalate_ticket(actor=request.auth, ticket_id=ticket_id, reason=payload.reason)
    return ticket_out(load_ticket(request.auth, ticket_id))
