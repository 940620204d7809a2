"""Arrears imported from the billing system's file (000 收费管理制度: overdue bills are handed to the service center).

Each row is one overdue bill: the account (户号, or a meter number on it), the billing period, the amount in
yuan and the due date. Every row is checked first; one bad row imports nothing and the refusal lists every
bad line and field, so the corrected file can simply be imported again. A bill is kept once per account and
period: importing the same file again changes nothing, and a corrected amount moves the balance by the
difference only.
"""

import re
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.core.errors import ValidationFailed
from kefu.core.spreadsheet import read_table
from kefu.utility.models import ArrearsBalance, ArrearsBill, Meter, ServiceAccount
from kefu.utility.services.arrears import _settled
from kefu.utility.services.common import require_office

MAX_LISTED = 50
BATCH = 2000
# Headers as the billing system or a clerk writes them, in Chinese or English.
HEADERS = {
    "account": ("account", "户号", "用户编号", "账户", "meter", "表号"),
    "period": ("period", "账期", "计费月份", "月份", "欠费月份"),
    "amount": ("amount", "金额", "欠费金额", "欠费金额(元)", "欠费金额（元）", "amount (yuan)"),
    "due_on": ("due_on", "due date", "缴费截止日", "应缴日期", "到期日", "截止日期"),
}
MESSAGES = {
    "required": _("This field is required."),
    "invalid_period": _("Write the period as a month, e.g. 2026-10."),
    "invalid_amount": _("Write the amount in yuan, more than zero with at most two decimals, e.g. 123.45."),
    "invalid_date": _("Write the due date as a date, e.g. 2026-11-15."),
    "unknown_account": _("No account or meter has this number."),
    "duplicate": _("This account and period appear twice in the file."),
}
_PERIOD = re.compile(r"^(\d{4})\s*[-/.年]?\s*(\d{1,2})\s*月?(?:[-/.]0?1)?(?:\s+00:00(?::00)?)?$")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+00:00(?::00)?)?$")


@dataclass
class ArrearsImportResult:
    rows: int = 0
    created: int = 0  # bills new to the center
    updated: int = 0  # bills already on record whose amount or due date the file corrects
    unchanged: int = 0  # bills already on record as the file has them (a re-import)
    accounts: int = 0
    added_fen: int = 0  # what the import added to the balances (negative when corrections lowered them)

    def as_dict(self) -> dict:
        return asdict(self)


def _period(text: str) -> date | None:
    match = _PERIOD.match(text)
    if match is None and re.fullmatch(r"\d{6}", text):
        match = re.match(r"(\d{4})(\d{2})", text)
    if match is None:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    return date(year, month, 1) if 1 <= month <= 12 else None


def _date(text: str) -> date | None:
    match = _DATE.match(text) or (re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text) if text.isdigit() else None)
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _fen(text: str) -> int | None:
    """Yuan to integer fen, exactly: Decimal arithmetic, at most two decimals, more than zero."""
    cleaned = text.replace(",", "").replace("¥", "").replace("￥", "").replace("元", "").strip()
    try:
        yuan = Decimal(cleaned)
    except InvalidOperation:
        return None
    fen = yuan * 100
    if not yuan.is_finite() or fen != fen.to_integral_value() or fen <= 0:
        return None
    return int(fen)


def read_arrears_file(name: str, data: bytes) -> list[dict]:
    """Rows of the billing system's arrears file (.csv in UTF-8 or GBK, or .xlsx) keyed by canonical column."""
    values = read_table(data, name)
    header = [next((key for key, names in HEADERS.items() if cell.strip().lower() in names), None)
              for cell in values[0]]
    missing = [key for key in HEADERS if key not in header]
    if missing:
        raise ValidationFailed(_("The first row must name the columns: account, period, amount, due date."),
                               code="missing_column", field="file", params={"missing": missing})
    return [{key: cell for key, cell in zip(header, row, strict=False) if key}
            for row in values[1:] if any(c.strip() for c in row)]


def _accounts(refs: set[str]) -> dict[str, int]:
    """Reference → account id: an account number, or else the number of a meter on the account."""
    found, refs_list = {}, sorted(refs)
    for start in range(0, len(refs_list), BATCH):
        chunk = refs_list[start:start + BATCH]
        found.update(ServiceAccount.objects.filter(number__in=chunk).values_list("number", "pk"))
        rest = [r for r in chunk if r not in found]
        if rest:
            # A meter number is unique per meter; a removed meter still names the account it was on.
            for number, account_id in Meter.objects.filter(number__in=rest).values_list("number", "account_id"):
                found.setdefault(number, account_id)
    return found


def _checked(rows: list[dict]) -> list[tuple[int, int, date, int, date]]:
    """(line, account id, period, fen, due) per row, or 422 import_rejected listing every bad line and field."""
    errors, parsed = [], []
    for line, row in enumerate(rows, start=2):
        ref = (row.get("account") or "").strip()
        period, fen, due = _period((row.get("period") or "").strip()), _fen(row.get("amount") or ""), \
            _date((row.get("due_on") or "").strip())
        bad = []
        if not ref:
            bad.append(("account", "required"))
        for field, value, code in (("period", period, "invalid_period"), ("amount", fen, "invalid_amount"),
                                   ("due_on", due, "invalid_date")):
            if value is None:
                bad.append((field, "required" if not (row.get(field) or "").strip() else code))
        errors += [{"line": line, "field": field, "code": code} for field, code in bad]
        parsed.append((line, ref, period, fen, due, not bad))
    accounts = _accounts({p[1] for p in parsed if p[1]})
    seen, good = {}, []
    for line, ref, period, fen, due, ok in parsed:
        if ref and ref not in accounts:
            errors.append({"line": line, "field": "account", "code": "unknown_account"})
            continue
        if not ok:
            continue
        key = (accounts[ref], period)
        if key in seen:
            errors.append({"line": line, "field": "period", "code": "duplicate", "params": {"first_line": seen[key]}})
            continue
        seen[key] = line
        good.append((line, accounts[ref], period, fen, due))
    if errors:
        errors.sort(key=lambda e: (e["line"], e["field"]))
        for error in errors:
            error["message"] = str(MESSAGES[error["code"]])
        raise ValidationFailed(_("The import was rejected; nothing was imported. Fix the rows listed."),
                               code="import_rejected", field="file",
                               params={"errors": errors[:MAX_LISTED], "error_count": len(errors)})
    return good


def import_arrears(*, actor: User | None, rows: list[dict], file_name: str = "",
                   now: datetime | None = None) -> ArrearsImportResult:
    """Check every row, then record the bills and move each account's balance, all in one transaction."""
    require_office(actor)
    if not rows:
        raise ValidationFailed(_("The file has no rows below its header."), code="empty_file", field="file")
    good = _checked(rows)
    at = now or timezone.now()
    result = ArrearsImportResult(rows=len(good))
    with transaction.atomic():
        account_ids = sorted({g[1] for g in good})
        known = {}
        for start in range(0, len(account_ids), BATCH):
            for bill in ArrearsBill.objects.select_for_update().filter(account_id__in=account_ids[start:start + BATCH]):
                known[(bill.account_id, bill.period)] = bill
        delta, earliest, new = {}, {}, []
        for _line, account_id, period, fen, due in good:
            bill = known.get((account_id, period))
            if bill is None:
                new.append(ArrearsBill(account_id=account_id, period=period, amount_fen=fen, due_on=due,
                                       imported_at=at, imported_by=actor))
                result.created += 1
                change = fen
            elif bill.amount_fen == fen and bill.due_on == due:
                result.unchanged += 1
                continue
            else:
                change = fen - bill.amount_fen
                ArrearsBill.objects.filter(pk=bill.pk).update(amount_fen=fen, due_on=due, imported_at=at,
                                                              imported_by=actor)
                result.updated += 1
            delta[account_id] = delta.get(account_id, 0) + change
            earliest[account_id] = min(earliest.get(account_id, due), due)
        ArrearsBill.objects.bulk_create(new, batch_size=BATCH)
        _move_balances(delta, earliest, actor=actor, at=at)
        result.accounts = len(delta)
        result.added_fen = sum(delta.values())
        record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="arrears_import", target_id="*",
               params={"file": file_name[:200], **result.as_dict()})
    return result


def _move_balances(delta: dict[int, int], earliest: dict[int, date], *, actor, at: datetime) -> None:
    """Add each account's change to what it owes (never below zero); overdue since the earliest due date."""
    ids = sorted(delta)
    balances = {}
    for start in range(0, len(ids), BATCH):
        balances.update({b.account_id: b for b in ArrearsBalance.objects.select_for_update()
                         .filter(account_id__in=ids[start:start + BATCH])})
    missing = [ArrearsBalance(account_id=i, amount_fen=0, updated_at=at) for i in ids if i not in balances]
    for balance in ArrearsBalance.objects.bulk_create(missing, batch_size=BATCH):
        balances[balance.account_id] = balance
    for account_id in ids:
        balance = balances[account_id]
        owed = max(balance.amount_fen + delta[account_id], 0)
        if owed == balance.amount_fen:
            continue
        since = None
        if owed:
            since = earliest[account_id] if balance.due_since is None else min(balance.due_since,
                                                                                 earliest[account_id])
        ArrearsBalance.objects.filter(pk=balance.pk).update(amount_fen=owed, due_since=since, updated_at=at,
                                                            version=F("version") + 1)
        if owed == 0:
            _settled(ServiceAccount(pk=account_id), actor=actor, at=at)
