"""Report endpoints: callback completion, on-time and acceptance rates, CSAT and NPS, grouped (RP1, CB3)."""

from datetime import date

from django.conf import settings
from django.utils import timezone
from ninja import Query, Router, Schema

from kefu.api.schemas import ERRORS
from kefu.reports import selectors
from kefu.reports.access import require_reader
from kefu.reports.definitions import api_description
from kefu.reports.validation import clean_filters, clean_group

router = Router(tags=["reports"])


class ReportQuery(Schema):
    # Plain strings, checked by kefu.reports.validation, so that the API and the page refuse alike.
    group: str = "agent"
    start: str | None = None
    end: str | None = None
    team: str | None = None
    type: str | None = None


class RatioOut(Schema):
    numerator: int
    denominator: int
    rate: float | None


class CompletionOut(RatioOut):
    pending: int


class CsatOut(RatioOut):
    mean: float | None


class NpsOut(Schema):
    promoters: int
    detractors: int
    answers: int
    score: float | None


class RowOut(Schema):
    key: int | str | None
    label: str
    completion: CompletionOut
    on_time: RatioOut
    acceptance: RatioOut
    csat: CsatOut
    nps: NpsOut


class ReportOut(Schema):
    group: str
    start: date
    end: date
    team: int | None
    type: str | None
    time_zone: str
    rows: list[RowOut]
    total: RowOut


@router.get("/callbacks", response={200: ReportOut, **ERRORS}, description=api_description())
def callback_report(request, q: Query[ReportQuery]):
    """Callback and satisfaction figures grouped by agent, team, ticket type or month."""
    require_reader(request.auth)
    group = clean_group(q.group)
    now = selectors.clock()
    filters = clean_filters(start=q.start, end=q.end, team=q.team, type=q.type, today=timezone.localdate(now))
    report = selectors.callback_report(request.auth, filters, group=group, now=now)
    return {"group": group, "start": filters.start, "end": filters.end, "team": filters.team_id,
            "type": filters.type_code or None, "time_zone": settings.TIME_ZONE,
            "rows": [selectors.row_out(r) for r in report.rows],
            "total": selectors.row_out(selectors.Row(key=None, label="", figures=report.total))}
