"""Enterprise pack endpoints: grading, green-channel settings, assurance (roster, hours, report), inspections."""

from datetime import date, datetime

from ninja import Query, Router, Schema, Status

from kefu.api.schemas import ERRORS
from kefu.enterprise import PACK, selectors, services
from kefu.packs import require_enabled

router = Router(tags=["enterprise"])


class ProfileIn(Schema):
    category: str
    attribute: str
    scale: str
    annual_revenue_wan: int = 0
    users: int = 0
    green_channel: bool = False
    account_manager_id: int | None = None


class ProfileOut(Schema):
    customer_id: int
    customer: str
    category: str
    attribute: str
    scale: str
    green_channel: bool
    tier: str
    star_level: int
    account_manager_id: int | None
    version: int


class GreenChannelIn(Schema):
    second_line_team_id: int | None = None
    fault_types: list[str] = ["repair", "emergency"]


class AssuranceIn(Schema):
    customer_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    notes: str = ""


class DutyIn(Schema):
    user_id: int
    starts_at: datetime
    ends_at: datetime


class HoursIn(Schema):
    day: date
    minutes: int
    note: str = ""


class IdOut(Schema):
    id: int


class EnterpriseReportQuery(Schema):
    start: datetime
    end: datetime


class ReportRow(Schema):
    id: int
    title: str
    customer: str
    starts_at: datetime
    ends_at: datetime
    hours: float
    on_duty: int


class PersonHours(Schema):
    name: str
    hours: float


class EnterpriseReportOut(Schema):
    periods: int
    hours: float
    rows: list[ReportRow]
    people: list[PersonHours]


class PlanIn(Schema):
    customer_id: int
    title: str
    every_months: int = 3
    first_due_on: date
    checklist: list[str]
    inspector_id: int | None = None


class EnterpriseResultIn(Schema):
    item: str
    ok: bool
    note: str = ""


class InspectionIn(Schema):
    results: list[EnterpriseResultIn]


class InspectionOut(Schema):
    id: int
    due_on: date
    results: list[dict]


def _profile(p) -> dict:
    c = p.customer
    return {"customer_id": c.pk, "customer": c.name, "category": p.category, "attribute": p.attribute,
            "scale": p.scale, "green_channel": p.green_channel, "tier": c.tier, "star_level": c.star_level,
            "account_manager_id": c.account_manager_id, "version": p.version}


@router.get("/customers", response={200: list[ProfileOut], **ERRORS})
def list_profiles(request):
    require_enabled(PACK)
    return [_profile(p) for p in selectors.profiles(request.auth)]


@router.put("/customers/{int:customer_id}", response={200: ProfileOut, **ERRORS})
def set_profile(request, customer_id: int, payload: ProfileIn):
    """Grade a customer (category, business attribute, scale); the tier that drives SLA follows."""
    profile = services.set_profile(actor=request.auth, customer_id=customer_id,
                                   data=services.ProfileInput(**payload.dict()))
    profile.customer.refresh_from_db()
    return _profile(profile)


@router.put("/green-channel", response={200: GreenChannelIn, **ERRORS})
def green_channel(request, payload: GreenChannelIn):
    services.set_green_channel(actor=request.auth, **payload.dict())
    return payload.dict()


@router.post("/assurances", response={201: IdOut, **ERRORS})
def create_assurance(request, payload: AssuranceIn):
    return Status(201, {"id": services.create_assurance(actor=request.auth, **payload.dict()).pk})


@router.post("/assurances/{int:period_id}/duties", response={201: IdOut, **ERRORS})
def add_duty(request, period_id: int, payload: DutyIn):
    return Status(201, {"id": services.add_duty(actor=request.auth, period_id=period_id, **payload.dict()).pk})


@router.post("/assurances/{int:period_id}/hours", response={201: IdOut, **ERRORS})
def log_hours(request, period_id: int, payload: HoursIn):
    return Status(201, {"id": services.log_hours(actor=request.auth, period_id=period_id, **payload.dict()).pk})


@router.get("/assurances/report", response={200: EnterpriseReportOut, **ERRORS})
def report(request, q: Query[EnterpriseReportQuery]):
    """重保 periods started in [start, end) with their hours, and hours per person."""
    services.require_manager(request.auth)
    data = selectors.assurance_report(q.start, q.end)
    return {**data, "rows": [{"id": r["period"].pk, "title": r["period"].title, "customer": r["period"].customer.name,
                              "starts_at": r["period"].starts_at, "ends_at": r["period"].ends_at,
                              "hours": r["hours"], "on_duty": r["on_duty"]} for r in data["rows"]]}


@router.post("/inspection-plans", response={201: IdOut, **ERRORS})
def create_plan(request, payload: PlanIn):
    return Status(201, {"id": services.create_plan(actor=request.auth, **payload.dict()).pk})


@router.post("/inspection-plans/{int:plan_id}/inspections", response={201: InspectionOut, **ERRORS})
def record_inspection(request, plan_id: int, payload: InspectionIn):
    """Each failed item becomes a ticket for the customer (its id is in the result)."""
    inspection = services.record_inspection(actor=request.auth, plan_id=plan_id,
                                            results=[r.dict() for r in payload.results])
    return Status(201, {"id": inspection.pk, "due_on": inspection.due_on, "results": inspection.results})
