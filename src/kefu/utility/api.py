"""Utility pack endpoints (IN4, IN5): accounts and meters, routes, readings, read rates, abnormal meters,
arrears and the billing desk. Every endpoint answers 404 pack_disabled while the pack is off."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from kefu.api.schemas import ERRORS, user_ref
from kefu.core.errors import NotFound, ValidationFailed
from kefu.packs import require_enabled
from kefu.utility import PACK, selectors, services
from kefu.utility import schemas as s
from kefu.utility.detection import detect
from kefu.utility.models import AbnormalCase, Meter, Payment, ServiceAccount, Shift
from kefu.utility.services.arrears import band_of
from kefu.utility.services.common import load, require_office
from kefu.utility.services.desk import quote_bill

router = Router(tags=["utility"])


def _on():
    require_enabled(PACK)


def _account(request, account_id: int) -> dict:
    account = ServiceAccount.objects.visible_to(request.auth).select_related("arrears").prefetch_related(
        "meters").filter(pk=account_id).first()
    if account is None:
        raise NotFound(_("Not found."), code="not_found", field="account_id")
    return s.account_out(account, timezone.localdate(), selectors.lifespans())


class UtilityAccountQuery(Schema):
    q: str = ""
    page: int = 1


@router.get("/accounts", response={200: s.AccountListOut, **ERRORS})
def list_accounts(request, q: Query[UtilityAccountQuery]):
    """Accounts by number, holder or address. Those in a query string end up in proxy logs: prefer
    `POST /utility/accounts/search`."""
    return _accounts(request, q)


@router.post("/accounts/search", response={200: s.AccountListOut, **ERRORS})
def search_accounts(request, payload: UtilityAccountQuery):
    """The same search with the words in the body, out of every URL log (PIPL)."""
    return _accounts(request, payload)


def _accounts(request, q: UtilityAccountQuery) -> dict:
    _on()
    count, items = selectors.search_accounts(request.auth, q.q, q.page)
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(items, "meters")
    today, years = timezone.localdate(), selectors.lifespans()
    return {"count": count, "items": [s.account_out(a, today, years) for a in items]}


@router.post("/accounts", response={201: s.AccountOut, **ERRORS})
def create_account(request, payload: s.AccountIn):
    account = services.create_account(actor=request.auth, **payload.dict())
    return Status(201, _account(request, account.pk))


@router.get("/accounts/{int:account_id}", response={200: s.AccountOut, **ERRORS})
def get_account(request, account_id: int):
    _on()
    return _account(request, account_id)


@router.post("/accounts/{int:account_id}/meters", response={201: s.MeterOut, **ERRORS})
def install_meter(request, account_id: int, payload: s.MeterIn):
    meter = services.install_meter(actor=request.auth, account_id=account_id,
                                   data=services.MeterInput(**payload.dict()))
    return Status(201, s.meter_out(meter, timezone.localdate(), selectors.lifespans()))


@router.post("/meters/{int:meter_id}/replace", response={201: s.MeterOut, **ERRORS})
def replace_meter(request, meter_id: int, payload: s.ReplaceIn):
    meter = services.replace_meter(actor=request.auth, meter_id=meter_id, version=payload.version,
                                   final_value=payload.final_value, data=services.MeterInput(**payload.meter.dict()))
    return Status(201, s.meter_out(meter, timezone.localdate(), selectors.lifespans()))


@router.get("/meters/{int:meter_id}/history", response={200: list[s.MeterEventOut], **ERRORS})
def meter_history(request, meter_id: int):
    _on()
    meter = load(Meter, request.auth, meter_id, field="meter_id")
    return [{"code": e.code, "params": e.params, "at": e.at, "actor": user_ref(e.actor)}
            for e in meter.events.select_related("actor")]


@router.get("/meters/replacement-due", response={200: list[s.MeterOut], **ERRORS})
def replacement_due(request):
    _on()
    today = timezone.localdate()
    _count, meters = selectors.replacement_due(request.auth, today, limit=200)
    years = selectors.lifespans()
    return [s.meter_out(m, today, years) for m in meters]


@router.post("/routes", response={201: s.RouteOut, **ERRORS})
def create_route(request, payload: s.RouteIn):
    route = services.create_route(actor=request.auth, **payload.dict())
    return Status(201, {**{f: getattr(route, f) for f in ("id", "code", "name", "read_class", "first_day",
                                                          "last_day")}, "reader": user_ref(route.reader)})


@router.put("/routes/{int:route_id}/order", response={200: dict, **ERRORS})
def order_route(request, route_id: int, payload: s.RouteOrderIn):
    services.set_route_order(actor=request.auth, route_id=route_id, meter_ids=payload.meter_ids)
    return {"route_id": route_id, "meters": len(payload.meter_ids)}


@router.post("/readings", response={200: s.ReadingOut, 201: s.ReadingOut, **ERRORS})
def record_reading(request, payload: s.ReadingIn):
    """Store a reading once: re-sending an entry with the same idempotency_key answers 200 with created false."""
    done = services.record_reading(actor=request.auth, **payload.dict())
    return Status(201 if done.created else 200, s.reading_out(done.reading, done.created))


@router.post("/readings/estimate", response={201: s.ReadingOut, **ERRORS})
def estimate(request, payload: s.EstimateIn):
    reading = services.estimate_reading(actor=request.auth, meter_id=payload.meter_id, period=payload.period)
    return Status(201, s.reading_out(reading))


@router.post("/readings/import", response={200: s.ImportOut, **ERRORS})
def import_readings(request, payload: s.UtilityImportIn):
    """Rows {meter, value, read_at, photo_ref}: every row checked first; one bad row stores nothing."""
    rows = [services.ReadingRow(meter=str(r.get("meter", "")), value=r.get("value", ""),
                                read_at=str(r.get("read_at", "")), photo_ref=str(r.get("photo_ref", "")))
            for r in payload.rows]
    result = services.import_readings(actor=request.auth, rows=rows, source=payload.source)
    return {k: getattr(result, k) for k in ("created", "skipped", "lower_than_last", "outside_band", "meters")}


class RateQuery(Schema):
    period: date
    by: str = "route"


@router.get("/read-rates", response={200: list[s.RateOut], **ERRORS})
def read_rates(request, q: Query[RateQuery]):
    """抄见率 of a month per route, reader or class against its target (per mille)."""
    _on()
    return [{**r, "label": str(r["label"])} for r in selectors.read_rates(q.period, by=q.by)]


class MissingQuery(Schema):
    period: date
    route_id: int | None = None


@router.get("/read-rates/missing", response={200: list[s.MissingOut], **ERRORS})
def missing(request, q: Query[MissingQuery]):
    _on()
    return [{"meter_id": m.pk, "number": m.number, "account": m.account.number, "route_id": m.route_id,
             "route_position": m.route_position} for m in selectors.missing_meters(q.period, route_id=q.route_id)]


@router.get("/abnormal", response={200: list[s.CaseOut], **ERRORS})
def abnormal(request):
    _on()
    return [s.case_out(c) for c in selectors.open_cases(request.auth)]


@router.post("/abnormal/detect", response={200: s.DetectOut, **ERRORS})
def run_detection(request, payload: s.DetectIn):
    """Find abnormal meters at the end of a period; raise_tickets opens a case and ticket for each new one."""
    from kefu.utility.services.common import require_supervisor

    require_supervisor(request.auth)
    findings = detect(payload.period)
    by_kind: dict[str, int] = {}
    for f in findings:
        by_kind[f.kind] = by_kind.get(f.kind, 0) + 1
    counts = {"raised": 0, "already_open": 0}
    if payload.raise_tickets:
        counts = services.raise_findings(actor=request.auth, findings=findings, limit=payload.limit)
    return {"findings": len(findings), "by_kind": by_kind, **counts}


@router.post("/abnormal/{int:case_id}/outcome", response={200: s.CaseOut, **ERRORS})
def outcome(request, case_id: int, payload: s.UtilityOutcomeIn):
    case = services.record_outcome(actor=request.auth, case_id=case_id, outcome=payload.outcome, note=payload.note)
    return s.case_out(AbnormalCase.objects.select_related("meter").get(pk=case.pk))


class ArrearsQuery(Schema):
    band: str = ""


@router.get("/arrears", response={200: list[s.BalanceOut], **ERRORS})
def arrears(request, q: Query[ArrearsQuery]):
    _on()
    today = timezone.localdate()
    return [{"account_id": b.account_id, "account": b.account.number, "amount_fen": b.amount_fen,
             "due_since": b.due_since, "band": band_of(b.due_since, today)}
            for b in selectors.arrears_list(request.auth, today, band=q.band)]


MAX_UPLOAD = 20 * 1024 * 1024  # an arrears file of a few hundred thousand rows stays well below this


@router.post("/arrears/import", response={200: s.ArrearsImportOut, **ERRORS})
def import_arrears(request, file: File[UploadedFile]):
    """Multipart upload of the billing system's arrears file (.csv UTF-8/GBK or .xlsx) with columns
    account (户号 or meter number), period (2026-10), amount in yuan, due date. One bad row imports nothing
    (422 import_rejected listing every bad line and field); re-importing the same file changes nothing."""
    require_office(request.auth)
    if file.size > MAX_UPLOAD:
        raise ValidationFailed(_("The file is larger than 20 MB."), code="file_too_large", field="file")
    rows = services.read_arrears_file(file.name or "", file.read())
    return services.import_arrears(actor=request.auth, rows=rows, file_name=file.name or "").as_dict()


@router.put("/arrears/{int:account_id}", response={200: s.BalanceOut, **ERRORS})
def set_balance(request, account_id: int, payload: s.BalanceIn):
    b = services.set_balance(actor=request.auth, account_id=account_id, **payload.dict())
    return {"account_id": b.account_id, "account": b.account.number, "amount_fen": b.amount_fen,
            "due_since": b.due_since, "band": band_of(b.due_since, timezone.localdate())}


@router.post("/arrears/reminders", response={200: s.ReminderOut, **ERRORS})
def reminders(request, payload: s.ReminderIn):
    """Remind an age band by SMS or by a call campaign."""
    return services.send_reminders(actor=request.auth, band=payload.band, channel=payload.channel).__dict__


@router.post("/arrears/{int:account_id}/promises", response={201: s.IdOut, **ERRORS})
def promise(request, account_id: int, payload: s.PromiseIn):
    return Status(201, {"id": services.record_promise(actor=request.auth, account_id=account_id,
                                                      **payload.dict()).pk})


def _notice(n) -> dict:
    return {f: getattr(n, f) for f in ("id", "account_id", "amount_fen", "issued_at", "notice_days", "effective_on",
                                       "status")}


@router.post("/arrears/{int:account_id}/notices", response={201: s.NoticeOut, **ERRORS})
def notice(request, account_id: int, payload: s.NoticeIn):
    return Status(201, _notice(services.issue_notice(actor=request.auth, account_id=account_id,
                                                     notice_days=payload.notice_days)))


@router.post("/notices/{int:notice_id}/execute", response={200: s.NoticeOut, **ERRORS})
def execute(request, notice_id: int):
    return _notice(services.execute_suspension(actor=request.auth, notice_id=notice_id))


@router.put("/tariffs", response={200: s.IdOut, **ERRORS})
def set_tariff(request, payload: s.TariffIn):
    return {"id": services.set_tariff(actor=request.auth, **payload.dict()).pk}


class BillQuery(Schema):
    account_id: int
    start: date
    end: date
    volume: int


@router.get("/desk/bill", response={200: s.BillOut, **ERRORS})
def bill(request, q: Query[BillQuery]):
    """What a period's gas costs at the account's tiered tariffs (a quote; nothing is stored)."""
    _on()
    account = load(ServiceAccount, request.auth, q.account_id, field="account_id")
    result = quote_bill(account=account, start=q.start, end=q.end, volume=q.volume)
    return {"volume": result.volume, "total_fen": result.total_fen,
            "lines": [{**line.__dict__, "amount_fen": line.amount_fen} for line in result.lines]}


def _payment(p: Payment) -> dict:
    return {f: getattr(p, f) for f in ("id", "account_id", "kind", "method", "reference", "amount_fen", "volume_m3",
                                       "receipt_no", "at")}


def _shift(request, shift: Shift) -> dict:
    return s.shift_out(Shift.objects.select_related("cashier", "approved_by").get(pk=shift.pk), request.auth,
                       Payment.objects.filter(shift=shift).count())


@router.post("/desk/shifts", response={201: s.UtilityShiftOut, **ERRORS})
def open_shift(request):
    return Status(201, _shift(request, services.open_shift(actor=request.auth)))


@router.post("/desk/payments", response={201: s.PaymentOut, **ERRORS})
def take_payment(request, payload: s.PaymentIn):
    return Status(201, _payment(services.take_payment(actor=request.auth, **payload.dict())))


@router.post("/desk/topups", response={201: s.PaymentOut, **ERRORS})
def top_up(request, payload: s.TopUpIn):
    return Status(201, _payment(services.top_up_ic_card(actor=request.auth, **payload.dict())))


@router.post("/desk/shifts/{int:shift_id}/close", response={200: s.UtilityShiftOut, **ERRORS})
def close_shift(request, shift_id: int, payload: s.CloseIn):
    """Hand over: declared per method (fen); a difference needs a reason and then a supervisor's approval."""
    return _shift(request, services.close_shift(actor=request.auth, shift_id=shift_id, **payload.dict()))


@router.post("/desk/shifts/{int:shift_id}/approve", response={200: s.UtilityShiftOut, **ERRORS})
def approve(request, shift_id: int, payload: s.VersionIn):
    return _shift(request, services.approve_difference(actor=request.auth, shift_id=shift_id,
                                                       version=payload.version))


class SalesQuery(Schema):
    day: date


@router.get("/desk/sales", response={200: s.SalesOut, **ERRORS})
def sales(request, q: Query[SalesQuery]):
    """The day's sales summary: counts for everyone, amounts only with the revenue right."""
    _on()
    return selectors.daily_sales(request.auth, q.day)
