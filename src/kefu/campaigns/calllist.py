"""A campaign's call list: imported from CSV/Excel (every row checked first) or selected from the customer archive."""

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.campaigns.events import CallEventCode, emit_many
from kefu.campaigns.models import CampaignCall
from kefu.campaigns.services import load_campaign, require_manager
from kefu.core.errors import ValidationFailed
from kefu.core.pii import normalize_phone
from kefu.customers.models import ContactPoint, Customer, CustomerReference

MAX_ERRORS_REPORTED = 50
MAX_SELECTION = 5000
REFERENCE_COLUMNS = ("order", "account", "meter", "player")
PHONE_KINDS = (ContactPoint.Kind.MOBILE, ContactPoint.Kind.PHONE)


@dataclass
class CallInput:
    """One person to call: name, phone, a customer reference (order, account …) and a note."""

    name: str
    phone: str
    reference: str = ""
    note: str = ""


def rows_from_file(path: Path) -> list[CallInput]:
    """Rows of a .csv or .xlsx file, read as `kefu customers import` reads them (姓名, 手机, 订单号, 备注 …)."""
    return rows_from_upload(path.read_bytes(), path.name)


def rows_from_upload(data: bytes, filename: str) -> list[CallInput]:
    """Rows of an uploaded file's bytes (refused with a stable code when broken: kefu.core.spreadsheet)."""
    from kefu.core.spreadsheet import read_table
    from kefu.customers.importer import rows_from_table

    rows = []
    for row in rows_from_table(read_table(data, filename)):
        reference = next((row[k] for k in REFERENCE_COLUMNS if row.get(k)), "")
        rows.append(CallInput(name=row.get("name", ""), phone=row.get("mobile") or row.get("phone", ""),
                              reference=reference, note=row.get("notes", "")))
    return rows


def _clean_row(row: CallInput, seen: set[str]) -> dict:
    name = (row.name or "").strip()
    if not name:
        raise ValidationFailed(_("This field is required."), code="required", field="name")
    if len(name) > 100:
        raise ValidationFailed(_("At most %(limit)s characters.") % {"limit": 100}, code="too_long", field="name")
    phone = normalize_phone(row.phone, field="phone")
    if phone in seen:
        raise ValidationFailed(_("This number is already on the call list."), code="duplicate", field="phone")
    seen.add(phone)
    reference, note = (row.reference or "").strip(), (row.note or "").strip()
    if len(reference) > 100:
        raise ValidationFailed(_("At most %(limit)s characters.") % {"limit": 100}, code="too_long",
                               field="reference")
    if len(note) > 300:
        raise ValidationFailed(_("At most %(limit)s characters.") % {"limit": 300}, code="too_long", field="note")
    return {"name": name, "phone": phone, "reference": reference, "note": note}


def _customers_for(cleaned: list[dict]) -> tuple[dict[str, int], dict[str, int]]:
    """Customers of the archive the rows belong to, by reference value and by phone: two queries in all."""
    refs = {c["reference"] for c in cleaned if c["reference"]}
    by_ref = dict(CustomerReference.objects.filter(value__in=refs).values_list("value", "customer_id")) if refs else {}
    phones = {c["phone"] for c in cleaned}
    by_phone = dict(ContactPoint.objects.filter(kind__in=PHONE_KINDS, value__in=phones)
                    .values_list("value", "customer_id"))
    return by_ref, by_phone


def _insert(campaign, cleaned: list[dict], actor, at: datetime) -> list[CampaignCall]:
    calls = CampaignCall.objects.bulk_create([CampaignCall(campaign=campaign, created_at=at, **c) for c in cleaned])
    if not all(call.pk for call in calls):  # backends that do not return ids from a bulk insert
        calls = list(CampaignCall.objects.filter(campaign=campaign, phone__in=[c["phone"] for c in cleaned]))
    emit_many(calls, CallEventCode.ADDED, actor=actor, at=at)
    return calls


@transaction.atomic
def import_calls(*, actor: User | None, campaign_id: int, rows: list[CallInput], first_line: int = 2,
                 now: datetime | None = None) -> int:
    """Check every row, then add them all; one bad row adds nothing.

    Refuses with ValidationFailed(code="import_rejected", field="file") listing each bad row by its line in
    the file (the header being line 1; `first_line` is where the first row sits) and field."""
    require_manager(actor)
    campaign = load_campaign(actor, campaign_id)
    if not rows:
        raise ValidationFailed(_("The file is empty."), code="empty_file", field="file")
    seen = set(CampaignCall.objects.filter(campaign=campaign).values_list("phone", flat=True))
    errors, cleaned = [], []
    for index, row in enumerate(rows):
        try:
            cleaned.append(_clean_row(row, seen))
        except ValidationFailed as exc:
            errors.append({"line": index + first_line, "field": exc.field, "code": exc.code,
                           "message": str(exc.message)})
    if errors:
        raise ValidationFailed(_("The import was rejected; nothing was imported. Fix the rows listed."),
                               code="import_rejected", field="file",
                               params={"errors": errors[:MAX_ERRORS_REPORTED], "error_count": len(errors)})
    by_ref, by_phone = _customers_for(cleaned)
    for c in cleaned:
        c["customer_id"] = by_ref.get(c["reference"]) or by_phone.get(c["phone"])
    _insert(campaign, cleaned, actor, now or timezone.now())
    return len(cleaned)


@dataclass
class CustomerFilter:
    """Which customers of the archive to call: created in a period, of a tier, in a status."""

    created_from: date | None = None
    created_until: date | None = None
    tier: str = ""
    status: str = Customer.Status.ACTIVE


def _selected(actor: User | None, f: CustomerFilter):
    qs = Customer.objects.all() if actor is None else Customer.objects.visible_to(actor)
    if f.tier:
        if f.tier not in Customer.Tier.values:
            raise ValidationFailed(_("Not one of the allowed values."), code="invalid_choice", field="tier")
        qs = qs.filter(tier=f.tier)
    if f.status:
        if f.status not in Customer.Status.values:
            raise ValidationFailed(_("Not one of the allowed values."), code="invalid_choice", field="status")
        qs = qs.filter(status=f.status)
    if f.created_from and f.created_until and f.created_from > f.created_until:
        raise ValidationFailed(_("The start is after the end."), code="invalid_range", field="created_until")
    if f.created_from:
        qs = qs.filter(created_at__date__gte=f.created_from)
    if f.created_until:
        qs = qs.filter(created_at__date__lte=f.created_until)
    return qs.order_by("id")


@transaction.atomic
def add_customers(*, actor: User | None, campaign_id: int, filters: CustomerFilter,
                  now: datetime | None = None) -> dict[str, int]:
    """Add the customers matching the filters who have a phone and are not on the list yet.

    Returns {"added", "no_phone", "already"}; refuses a selection of more than MAX_SELECTION customers."""
    require_manager(actor)
    campaign = load_campaign(actor, campaign_id)
    ids = list(_selected(actor, filters).values_list("pk", flat=True)[:MAX_SELECTION + 1])
    if len(ids) > MAX_SELECTION:
        raise ValidationFailed(_("More than %(limit)s customers match; narrow the selection.") % {
            "limit": MAX_SELECTION}, code="too_many", field="created_from")
    phones: dict[int, str] = {}
    for customer_id, value in (ContactPoint.objects.filter(customer_id__in=ids, kind__in=PHONE_KINDS)
                               .order_by("customer_id", "kind", "-is_primary", "id")
                               .values_list("customer_id", "value")):
        phones.setdefault(customer_id, value)  # a mobile before a landline, the primary one first
    refs = dict(CustomerReference.objects.filter(customer_id__in=ids).order_by("customer_id", "-id")
                .values_list("customer_id", "value"))
    names = dict(Customer.objects.filter(pk__in=ids).values_list("pk", "name"))
    taken = set(CampaignCall.objects.filter(campaign=campaign).values_list("phone", flat=True))
    cleaned, already = [], 0
    for customer_id in ids:
        phone = phones.get(customer_id)
        if phone is None:
            continue
        if phone in taken:
            already += 1
            continue
        taken.add(phone)
        cleaned.append({"name": names[customer_id][:100], "phone": phone, "customer_id": customer_id,
                        "reference": refs.get(customer_id, "")[:100], "note": ""})
    if cleaned:
        _insert(campaign, cleaned, actor, now or timezone.now())
    return {"added": len(cleaned), "no_phone": len(ids) - len(phones), "already": already}
