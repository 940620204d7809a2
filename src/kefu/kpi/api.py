"""KPI endpoints: the definitions, the figures per agent/team/center and period, the appraisal, the stars."""

from datetime import date

from django.utils import timezone
from ninja import Router, Schema

from kefu.api.schemas import ERRORS
from kefu.core.errors import Forbidden, ValidationFailed
from kefu.kpi import appraisal, stars
from kefu.kpi.access import can_see_bonus
from kefu.kpi.definitions import MEASURES
from kefu.kpi.models import AppraisalResult, StarBoard
from kefu.kpi.periods import KINDS, Period
from kefu.kpi.selectors import allowed_groups, kpi_table

router = Router(tags=["kpi"])


class MeasureOut(Schema):
    code: str
    label: str
    definition: str
    unit: str
    higher_is_better: bool
    per_agent: bool


class FigureOut(Schema):
    numerator: int
    denominator: int
    value: float | None
    parts: dict[str, int]


class KpiRowOut(Schema):
    key: int | None
    label: str
    figures: dict[str, FigureOut]


class TableOut(Schema):
    period: str
    start: date
    end: date
    group: str
    rows: list[KpiRowOut]


class ResultOut(Schema):
    agent_id: int
    month: str
    rule: str
    score: float
    breakdown: list[dict]
    bonus_fen: int | None


class MonthIn(Schema):
    month: str


class OkOut(Schema):
    ok: bool


class StarOut(Schema):
    category: str
    agent: int
    value: float
    numerator: float
    denominator: float


class BoardOut(Schema):
    month: str
    published: bool
    stars: list[StarOut]


def _month(value: str) -> date:
    try:
        return date.fromisoformat(f"{value.strip()[:7]}-01")
    except ValueError:
        raise ValidationFailed("Enter a month as YYYY-MM.", code="invalid", field="month") from None


@router.get("/measures", response={200: list[MeasureOut], **ERRORS})
def measures(request):
    """Every KPI's definition, as shown beside the figure."""
    return [{"code": m.code, "label": str(m.label), "definition": str(m.definition), "unit": m.unit,
             "higher_is_better": m.higher_is_better, "per_agent": m.per_agent} for m in MEASURES.values()]


@router.get("/figures", response={200: TableOut, **ERRORS})
def figures(request, group: str = "agent", period: str = "month", day: date | None = None):
    """Every KPI for the agents, teams or the center the caller may see, in a day, week or month."""
    if period not in KINDS:
        raise ValidationFailed("Not one of the allowed values.", code="invalid_choice", field="period")
    if group not in ("agent", "team", "center"):
        raise ValidationFailed("Not one of the allowed values.", code="invalid_choice", field="group")
    if group not in allowed_groups(request.auth):
        raise Forbidden("Your role does not read these figures.", code="cannot_read_reports")
    p = Period.of(period, day or timezone.localdate())
    rows = kpi_table(request.auth, p, group)
    return {"period": period, "start": p.first, "end": p.last, "group": group, "rows": [
        {"key": r.key, "label": r.label, "figures": {c: {"numerator": f.numerator, "denominator": f.denominator,
                                                          "value": f.value, "parts": f.parts}
                                                      for c, f in r.figures.items()}} for r in rows]}


@router.get("/appraisal", response={200: list[ResultOut], **ERRORS})
def appraisal_results(request, month: str):
    """The month's appraisal results the caller may see; bonus only for roles with the right."""
    money = can_see_bonus(request.auth)
    rows = AppraisalResult.objects.visible_to(request.auth).filter(month=_month(month)).select_related("rule")
    return [{"agent_id": r.agent_id, "month": f"{r.month:%Y-%m}", "rule": r.rule.name, "score": float(r.score),
             "breakdown": r.breakdown, "bonus_fen": r.bonus_fen if money else None} for r in rows]


@router.post("/appraisal", response={200: list[ResultOut], **ERRORS})
def compute(request, payload: MonthIn):
    """(Re)compute the month's appraisal and bonus split (supervisors and above)."""
    appraisal.compute_appraisal(actor=request.auth, month=_month(payload.month))
    return appraisal_results(request, payload.month)


@router.get("/stars", response={200: BoardOut, **ERRORS})
def star_board(request, month: str):
    """The month's published star board."""
    board = StarBoard.objects.filter(month=_month(month)).first()
    return {"month": month[:7], "published": board is not None, "stars": board.entries if board else []}


@router.post("/stars", response={200: BoardOut, **ERRORS})
def publish(request, payload: MonthIn):
    """Publish the month's star board (information desk and management)."""
    board = stars.publish_stars(actor=request.auth, month=_month(payload.month))
    return {"month": f"{board.month:%Y-%m}", "published": True, "stars": board.entries}


class RuleItemIn(Schema):
    measure: str
    weight: int
    floor: float
    target: float


class RuleIn(Schema):
    name: str
    items: list[RuleItemIn]
    min_score: int = 60
    cap_fen: int | None = None


class RuleOut(Schema):
    id: int
    role: str
    name: str
    items: list[dict]
    min_score: int
    cap_fen: int | None


class PoolIn(Schema):
    month: str
    amount_fen: int


@router.put("/rules/{role}", response={200: RuleOut, **ERRORS})
def put_rule(request, role: str, payload: RuleIn):
    """The appraisal rule of a role: weighted KPIs between a floor and a target, the bonus threshold and cap."""
    rule = appraisal.save_rule(actor=request.auth, role=role, name=payload.name, min_score=payload.min_score,
                               cap_fen=payload.cap_fen,
                               items=[appraisal.ItemInput(**i.dict()) for i in payload.items])
    return {"id": rule.pk, "role": rule.role, "name": rule.name, "items": rule.items, "min_score": rule.min_score,
            "cap_fen": rule.cap_fen}


@router.put("/rules/{rule_id}/pool", response={200: OkOut, **ERRORS})
def put_pool(request, rule_id: int, payload: PoolIn):
    """The month's bonus pool of a rule, in whole fen (roles that see money only)."""
    appraisal.set_pool(actor=request.auth, rule_id=rule_id, month=_month(payload.month), amount_fen=payload.amount_fen)
    return {"ok": True}
