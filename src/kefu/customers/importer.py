"""Customer import from CSV or Excel (xlsx): every row is checked first; one bad row imports nothing."""

from collections.abc import Callable, Iterable
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.core.errors import ValidationFailed
from kefu.core.spreadsheet import read_table
from kefu.customers.models import Customer, CustomerReference
from kefu.customers.services import (
    ContactInput,
    CustomerInput,
    ReferenceInput,
    _insert_customer,
    _require_editor,
    clean_customer_input,
)

# Column headers accepted, in English and Chinese, mapped to one canonical name.
HEADERS = {
    "name": "name", "姓名": "name", "名称": "name", "客户名称": "name",
    "kind": "kind", "类型": "kind",
    "tier": "tier", "等级": "tier", "客户等级": "tier",
    "star_level": "star_level", "星级": "star_level",
    "id_number": "id_number", "证件号": "id_number", "身份证号": "id_number",
    "mobile": "mobile", "手机": "mobile", "手机号": "mobile",
    "phone": "phone", "电话": "phone", "固话": "phone",
    "email": "email", "邮箱": "email",
    "wechat": "wechat", "微信": "wechat",
    "qq": "qq", "QQ": "qq",
    "address": "address", "地址": "address",
    "account": "account", "户号": "account", "账号": "account",
    "meter": "meter", "表号": "meter",
    "order": "order", "订单号": "order",
    "player": "player", "玩家ID": "player",
    "account_manager": "account_manager", "客户经理": "account_manager",
    "notes": "notes", "备注": "notes",
}
CONTACT_COLUMNS = ("mobile", "phone", "email", "wechat", "qq", "address")
REFERENCE_COLUMNS = ("account", "meter", "order", "player")
KIND_WORDS = {"个人": "person", "单位": "organisation", "企业": "organisation"}
TIER_WORDS = {"普通": "normal", "星级": "star", "VIP": "vip", "集团": "group"}
MAX_ERRORS_REPORTED = 50


def read_rows(path: Path) -> list[dict]:
    """Rows of a .csv (UTF-8, with or without BOM, or GBK as Excel on Chinese Windows writes it) or .xlsx."""
    return rows_from_table(read_table(path.read_bytes(), path.name))


def rows_from_table(values: list[list[str]]) -> list[dict]:
    """The rows of a read file (kefu.core.spreadsheet.read_table) as dicts by canonical column name."""
    header = [HEADERS.get(h.strip(), HEADERS.get(h.strip().lower())) for h in values[0]]
    if "name" not in header:
        raise ValidationFailed(_("The first row must name the columns and include a name column."),
                               code="missing_column", field="name")
    return [
        {key: cell for key, cell in zip(header, row, strict=False) if key and cell}
        for row in values[1:] if any(row)
    ]


def _row_to_input(row: dict, managers: dict[str, int]) -> CustomerInput:
    manager_name = row.get("account_manager", "")
    if manager_name and manager_name not in managers:
        raise ValidationFailed(_("No such account manager."), code="invalid_account_manager",
                               field="account_manager")
    try:
        star = int(row.get("star_level", "0") or 0)
    except ValueError as exc:
        raise ValidationFailed(_("Star level is 0 to 5."), code="out_of_range", field="star_level") from exc
    return CustomerInput(
        name=row.get("name", ""),
        kind=KIND_WORDS.get(row.get("kind", ""), row.get("kind") or Customer.Kind.PERSON),
        tier=TIER_WORDS.get(row.get("tier", ""), (row.get("tier") or Customer.Tier.NORMAL).lower()),
        star_level=star,
        id_number=row.get("id_number", ""),
        account_manager_id=managers.get(manager_name) if manager_name else None,
        notes=row.get("notes", ""),
        contacts=[ContactInput(kind=k, value=row[k]) for k in CONTACT_COLUMNS if row.get(k)],
        references=[ReferenceInput(kind=k, value=row[k]) for k in REFERENCE_COLUMNS if row.get(k)],
    )


def import_customers(*, actor: User | None, rows: Iterable[dict],
                     progress: Callable[[int, int], None] | None = None) -> int:
    """Validate every row, then create all customers in one transaction; return how many were created.

    Raises ValidationFailed(code="import_rejected") listing each bad row (line number as in the file,
    the header being line 1) and field; in that case nothing is written.
    """
    _require_editor(actor)
    rows = list(rows)
    managers = dict(User.objects.filter(is_active=True).values_list("username", "pk"))
    errors, cleaned, seen_refs = [], [], {}
    for index, row in enumerate(rows):
        line = index + 2
        try:
            clean = clean_customer_input(_row_to_input(row, managers))
            for ref in clean["references"]:
                key = (ref.kind, ref.value)
                if key in seen_refs:
                    raise ValidationFailed(_("This reference appears twice in the file."), code="duplicate",
                                           field=ref.kind)
                seen_refs[key] = line
            cleaned.append(clean)
        except ValidationFailed as exc:
            errors.append({"line": line, "field": exc.field, "code": exc.code, "message": str(exc.message)})
    if seen_refs:
        kinds = {k for k, _v in seen_refs}
        values = {v for _k, v in seen_refs}
        taken = CustomerReference.objects.filter(kind__in=kinds, value__in=values).values_list("kind", "value")
        for kind, value in taken:
            if (kind, value) in seen_refs:
                errors.append({"line": seen_refs[(kind, value)], "field": kind, "code": "reference_taken",
                               "message": str(_("This reference belongs to another customer."))})
    if errors:
        errors.sort(key=lambda e: e["line"])
        raise ValidationFailed(_("The import was rejected; nothing was imported. Fix the rows listed."),
                               code="import_rejected", field="file",
                               params={"errors": errors[:MAX_ERRORS_REPORTED], "error_count": len(errors)})
    with transaction.atomic():
        for done, clean in enumerate(cleaned, start=1):
            _insert_customer(clean)
            if progress and (done % 500 == 0 or done == len(cleaned)):
                progress(done, len(cleaned))
        record(actor=actor, action=AuditAction.CUSTOMERS_IMPORTED, target_type="customer", target_id="*",
               params={"count": len(cleaned)})
    return len(cleaned)
