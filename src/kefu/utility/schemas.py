"""Schemas of the utility API and the functions that shape models into answers (amounts per the revenue right)."""

from datetime import date, datetime

from ninja import Schema

from kefu.api.schemas import UserRef, user_ref


class AccountIn(Schema):
    number: str
    customer_id: int
    customer_class: str
    address: str = ""


class MeterIn(Schema):
    number: str
    kind: str = "diaphragm"
    size: str = ""
    manufacturer: str = ""
    installed_on: date
    location: str = "outdoor"
    direction: str = "left"
    seals: list[str] = []
    first_value: int = 0


class ReplaceIn(Schema):
    version: int
    final_value: int
    meter: MeterIn


class MeterOut(Schema):
    id: int
    number: str
    kind: str
    size: str
    manufacturer: str
    installed_on: date
    age_years: float
    replacement_due: bool
    location: str
    direction: str
    seals: list[str]
    status: str
    read_class: str
    route_id: int | None
    route_position: int
    last_value: int | None
    last_read_on: date | None
    version: int


class MeterEventOut(Schema):
    code: str
    params: dict
    at: datetime
    actor: UserRef | None


class AccountOut(Schema):
    id: int
    number: str
    customer_id: int
    customer_class: str
    address: str
    status: str
    owed_fen: int
    meters: list[MeterOut]


class AccountListOut(Schema):
    count: int
    items: list[AccountOut]


class RouteIn(Schema):
    code: str
    name: str = ""
    read_class: str
    reader_id: int | None = None
    first_day: int = 5
    last_day: int = 20
    calendar_id: int | None = None


class RouteOrderIn(Schema):
    meter_ids: list[int]


class RouteOut(Schema):
    id: int
    code: str
    name: str
    read_class: str
    reader: UserRef | None
    first_day: int
    last_day: int


class ReadingIn(Schema):
    meter_id: int
    value: int
    read_at: datetime | None = None
    idempotency_key: str = ""
    confirm: bool = False
    photo_ref: str = ""


class ReadingOut(Schema):
    id: int
    meter_id: int
    period: date
    value: int
    consumption: int | None
    read_at: datetime
    source: str
    estimated: bool
    flag: str
    created: bool = True


class EstimateIn(Schema):
    meter_id: int
    period: date


class UtilityImportIn(Schema):
    source: str = "import"
    rows: list[dict]


class ImportOut(Schema):
    created: int
    skipped: int
    lower_than_last: int
    outside_band: int
    meters: int


class ArrearsImportOut(Schema):
    rows: int
    created: int
    updated: int
    unchanged: int
    accounts: int
    added_fen: int


class RateOut(Schema):
    key: str | int | None
    label: str
    due: int
    read: int
    estimated: int
    rate_permille: int | None
    target_permille: int | None
    met: bool


class MissingOut(Schema):
    meter_id: int
    number: str
    account: str
    route_id: int | None
    route_position: int


class CaseOut(Schema):
    id: int
    meter_id: int
    meter_number: str
    kind: str
    evidence: dict
    ticket_id: int | None
    detected_at: datetime
    is_open: bool
    outcome: str
    outcome_note: str


class DetectIn(Schema):
    period: date
    raise_tickets: bool = False
    limit: int | None = None


class DetectOut(Schema):
    findings: int
    by_kind: dict[str, int]
    raised: int
    already_open: int


class UtilityOutcomeIn(Schema):
    outcome: str
    note: str = ""


class BalanceIn(Schema):
    amount_fen: int
    due_since: date | None = None


class BalanceOut(Schema):
    account_id: int
    account: str
    amount_fen: int
    due_since: date | None
    band: str


class ReminderIn(Schema):
    band: str
    channel: str


class ReminderOut(Schema):
    band: str
    channel: str
    sent: int
    without_mobile: int
    campaign_id: int | None


class PromiseIn(Schema):
    amount_fen: int
    due_on: date


class NoticeIn(Schema):
    notice_days: int = 7


class NoticeOut(Schema):
    id: int
    account_id: int
    amount_fen: int
    issued_at: datetime
    notice_days: int
    effective_on: date
    status: str


class IdOut(Schema):
    id: int


class TariffIn(Schema):
    customer_class: str
    effective_from: date
    tiers: list[list[int | None]]


class BillLineOut(Schema):
    start: date
    end: date
    tier: int
    volume: int
    price_fen: int
    amount_fen: int


class BillOut(Schema):
    volume: int
    total_fen: int
    lines: list[BillLineOut]


class PaymentIn(Schema):
    account_id: int
    kind: str = "bill"
    method: str
    amount_fen: int
    reference: str = ""


class TopUpIn(Schema):
    account_id: int
    method: str
    amount_fen: int
    reference: str = ""


class PaymentOut(Schema):
    id: int
    account_id: int
    kind: str
    method: str
    reference: str
    amount_fen: int
    volume_m3: int
    receipt_no: str
    at: datetime


class CloseIn(Schema):
    version: int
    declared: dict[str, int]
    reason: str = ""
    handed_to_id: int | None = None


class VersionIn(Schema):
    version: int


class UtilityShiftOut(Schema):
    id: int
    cashier: UserRef | None
    opened_at: datetime
    closed_at: datetime | None
    status: str
    payments: int
    declared_fen: dict[str, int] | None
    system_fen: dict[str, int] | None
    difference_fen: int | None
    reason: str
    approved_by: UserRef | None
    version: int


class SalesLineOut(Schema):
    kind: str
    method: str
    count: int
    amount_fen: int | None
    volume_m3: int | None


class SalesOut(Schema):
    day: date
    count: int
    volume_m3: int
    amount_fen: int | None
    amounts_shown: bool
    lines: list[SalesLineOut]


def meter_out(meter, today: date, lifespans: dict) -> dict:
    age = meter.age_years(today)
    return {**{f: getattr(meter, f) for f in ("id", "number", "kind", "size", "manufacturer", "installed_on",
                                                "location", "direction", "seals", "status", "read_class",
                                                "route_id", "route_position", "last_value", "last_read_on",
                                                "version")},
            "age_years": round(age, 1), "replacement_due": age >= lifespans.get(meter.kind, 99)}


def account_out(account, today: date, lifespans: dict) -> dict:
    arrears = getattr(account, "arrears", None)
    return {"id": account.pk, "number": account.number, "customer_id": account.customer_id,
            "customer_class": account.customer_class, "address": account.address, "status": account.status,
            "owed_fen": arrears.amount_fen if arrears else 0,
            "meters": [meter_out(m, today, lifespans) for m in account.meters.all()]}


def reading_out(reading, created: bool = True) -> dict:
    return {**{f: getattr(reading, f) for f in ("id", "meter_id", "period", "value", "consumption", "read_at",
                                                "source", "estimated", "flag")}, "created": created}


def case_out(case) -> dict:
    return {"id": case.pk, "meter_id": case.meter_id, "meter_number": case.meter.number, "kind": case.kind,
            "evidence": case.evidence, "ticket_id": case.ticket_id, "detected_at": case.detected_at,
            "is_open": case.is_open, "outcome": case.outcome, "outcome_note": case.outcome_note}


def shift_out(shift, user, payments: int) -> dict:
    """Amounts only for the revenue right: the cashier counts blind and sees only whether it balanced."""
    amounts = user is None or user.can_see_revenue()
    return {"id": shift.pk, "cashier": user_ref(shift.cashier), "opened_at": shift.opened_at,
            "closed_at": shift.closed_at, "status": shift.status, "payments": payments,
            "declared_fen": shift.declared if amounts else None, "system_fen": shift.system if amounts else None,
            "difference_fen": shift.difference_fen if amounts else None, "reason": shift.reason,
            "approved_by": user_ref(shift.approved_by), "version": shift.version}
