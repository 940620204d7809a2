"""Every change to the customer archive. Validate and authorise, then write, then audit."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.accounts.roles import Role
from kefu.audit.models import AuditAction
from kefu.audit.services import audits_refused_reveals, record
from kefu.core.errors import Forbidden, NotFound, ValidationFailed
from kefu.core.store import save_versioned, stale
from kefu.customers import validation as v
from kefu.customers.models import ContactPoint, Customer, CustomerReference, CustomerStatusChange


@dataclass
class ContactInput:
    kind: str
    value: str
    label: str = ""
    is_primary: bool = False


@dataclass
class ReferenceInput:
    kind: str
    value: str
    note: str = ""


@dataclass
class CustomerInput:
    name: str
    kind: str = Customer.Kind.PERSON
    tier: str = Customer.Tier.NORMAL
    star_level: int = 0
    id_number: str = ""
    account_manager_id: int | None = None
    notes: str = ""
    contacts: list[ContactInput] = field(default_factory=list)
    references: list[ReferenceInput] = field(default_factory=list)


# Other apps (the search index) hear of every change with listen(fn); fn(customer_id) runs inside the
# changing transaction, like kefu.tickets.events listeners.
_listeners: list = []


def listen(fn) -> None:
    """Call `fn(customer_id)` after every change of a customer; registering twice is a no-op."""
    if fn not in _listeners:
        _listeners.append(fn)


def _changed(customer_id: int) -> None:
    for listener in _listeners:
        listener(customer_id)


def _require_editor(actor: User | None) -> None:
    if actor is not None and not actor.can_edit_customers():
        raise Forbidden(_("Your role cannot change customer records."), code="cannot_edit_customers")


def _clean_account_manager(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    manager = User.objects.filter(pk=user_id, is_active=True).first()
    if manager is None or manager.role not in (Role.ACCOUNT_MANAGER, Role.MANAGER, Role.SUPERVISOR):
        raise ValidationFailed(_("The account manager must be an active account manager."),
                               code="invalid_account_manager", field="account_manager_id")
    return manager


def clean_customer_input(data: CustomerInput, *, prefix: str = "") -> dict:
    """Validate a whole customer (without touching the database for uniqueness); return clean values."""
    try:
        contacts = [
            ContactInput(c.kind, v.clean_contact(c.kind, c.value, field=f"contacts[{i}]"), c.label[:50],
                         c.is_primary)
            for i, c in enumerate(data.contacts)
        ]
        references = [
            ReferenceInput(r.kind, v.clean_reference(r.kind, r.value, field=f"references[{i}]"), r.note[:200])
            for i, r in enumerate(data.references)
        ]
        seen = set()
        for i, r in enumerate(references):
            if (r.kind, r.value) in seen:
                raise ValidationFailed(_("This reference is listed twice."), code="duplicate",
                                       field=f"references[{i}].value")
            seen.add((r.kind, r.value))
        return {
            "name": v.clean_name(data.name),
            "kind": v.clean_choice(data.kind, Customer.Kind, field="kind"),
            "tier": v.clean_tier(data.tier),
            "star_level": v.clean_star_level(data.star_level),
            "id_number": v.clean_id_number(data.id_number),
            "notes": v.clean_notes(data.notes),
            "contacts": contacts,
            "references": references,
            "account_manager_id": data.account_manager_id,
        }
    except ValidationFailed as exc:
        if prefix and exc.field:
            exc.field = f"{prefix}{exc.field}"
        raise


def _check_references_free(references: list[ReferenceInput], *, exclude_customer: int | None = None) -> None:
    for i, r in enumerate(references):
        taken = CustomerReference.objects.filter(kind=r.kind, value=r.value)
        if exclude_customer:
            taken = taken.exclude(customer_id=exclude_customer)
        if taken.exists():
            raise ValidationFailed(_("This reference belongs to another customer."), code="reference_taken",
                                   field=f"references[{i}].value")


def _insert_customer(clean: dict) -> Customer:
    manager = _clean_account_manager(clean["account_manager_id"])
    customer = Customer.objects.create(
        name=clean["name"], kind=clean["kind"], tier=clean["tier"], star_level=clean["star_level"],
        id_number=clean["id_number"], notes=clean["notes"], account_manager=manager,
    )
    contacts = clean["contacts"]
    if contacts and not any(c.is_primary for c in contacts):
        contacts[0].is_primary = True
    ContactPoint.objects.bulk_create([
        ContactPoint(customer=customer, kind=c.kind, value=c.value, label=c.label, is_primary=c.is_primary)
        for c in contacts
    ])
    CustomerReference.objects.bulk_create([
        CustomerReference(customer=customer, kind=r.kind, value=r.value, note=r.note)
        for r in clean["references"]
    ])
    _changed(customer.pk)  # here, so that the bulk importer's customers are heard of too
    return customer


@transaction.atomic
def create_customer(*, actor: User | None, data: CustomerInput) -> Customer:
    """Create a customer with contacts and references."""
    _require_editor(actor)
    clean = clean_customer_input(data)
    _check_references_free(clean["references"])
    customer = _insert_customer(clean)
    record(actor=actor, action=AuditAction.CUSTOMER_CREATED, target_type="customer", target_id=customer.pk,
           params={"contacts": len(clean["contacts"]), "references": len(clean["references"])})
    return customer


_EDITABLE = ("name", "kind", "tier", "star_level", "id_number", "notes", "account_manager_id")


# A stale edit of a customer (kefu.core.store.save_versioned writes only from the version the caller read).
_STALE = stale(_("Someone else changed this customer since you opened it. Reload and try again."))


# Not durable: merging two customers (kefu.channels) changes both inside its one transaction.
@transaction.atomic
def update_customer(*, actor: User | None, customer: Customer, version: int, changes: dict) -> Customer:
    """Change a customer's fields; `version` must be the one the caller read (optimistic concurrency)."""
    _require_editor(actor)
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise ValidationFailed(_("This field cannot be changed here."), code="not_editable",
                               field=sorted(unknown)[0])
    clean = {}
    for key, value in changes.items():
        if key == "name":
            clean[key] = v.clean_name(value)
        elif key == "kind":
            clean[key] = v.clean_choice(value, Customer.Kind, field="kind")
        elif key == "tier":
            clean[key] = v.clean_tier(value)
        elif key == "star_level":
            clean[key] = v.clean_star_level(value)
        elif key == "id_number":
            clean[key] = v.clean_id_number(value)
        elif key == "notes":
            clean[key] = v.clean_notes(value)
        elif key == "account_manager_id":
            manager = _clean_account_manager(value)
            clean[key] = manager.pk if manager else None
    changed = sorted(k for k, val in clean.items() if getattr(customer, k) != val)
    save_versioned(customer, version, clean, conflict=_STALE)
    # Field names only: the audit log never copies personal data such as the ID number.
    record(actor=actor, action=AuditAction.CUSTOMER_CHANGED, target_type="customer", target_id=customer.pk,
           params={"fields": changed, "version": version + 1})
    customer.refresh_from_db()
    _changed(customer.pk)
    return customer


@transaction.atomic
def change_customer_status(*, actor: User | None, customer: Customer, version: int, status: str,
                           reason: str = "") -> Customer:
    """Move a customer to another status; the change is kept in the status history."""
    _require_editor(actor)
    v.clean_choice(status, Customer.Status, field="status")
    if status == customer.status:
        raise ValidationFailed(_("The customer already has this status."), code="unchanged", field="status")
    previous = customer.status
    save_versioned(customer, version, {"status": status}, conflict=_STALE)
    CustomerStatusChange.objects.create(customer=customer, from_status=previous, to_status=status,
                                        reason=(reason or "").strip()[:300], actor=actor)
    record(actor=actor, action=AuditAction.CUSTOMER_CHANGED, target_type="customer", target_id=customer.pk,
           params={"fields": ["status"], "from": previous, "to": status})
    customer.refresh_from_db()
    _changed(customer.pk)
    return customer


@transaction.atomic  # not durable: a customer merge copies contacts inside its own transaction
def add_contact(*, actor: User | None, customer: Customer, contact: ContactInput) -> ContactPoint:
    """Add a phone, email, IM id or address to a customer."""
    _require_editor(actor)
    value = v.clean_contact(contact.kind, contact.value, field="contact")
    if contact.is_primary:
        customer.contacts.filter(is_primary=True).update(is_primary=False)
    point = ContactPoint.objects.create(customer=customer, kind=contact.kind, value=value,
                                        label=contact.label[:50], is_primary=contact.is_primary)
    Customer.objects.filter(pk=customer.pk).update(version=F("version") + 1)
    record(actor=actor, action=AuditAction.CUSTOMER_CHANGED, target_type="customer", target_id=customer.pk,
           params={"fields": ["contacts"], "added": point.pk, "kind": contact.kind})
    _changed(customer.pk)
    return point


@audits_refused_reveals("customer", "customer")
@transaction.atomic(durable=True)
def reveal_pii(*, actor: User, customer: Customer, contact_id: int | None = None, reason: str = "") -> str:
    """Return one full phone or ID number to a role allowed to see it; the reveal is audited (CU6)."""
    if not actor.can_reveal_pii():
        raise Forbidden(_("Your role cannot see full personal data."), code="cannot_reveal")
    if contact_id is None:
        if not customer.id_number:
            raise NotFound(_("This customer has no ID number."), field="id_number")
        value, what = customer.id_number, "id_number"
    else:
        point = customer.contacts.filter(pk=contact_id).first()
        if point is None:
            raise NotFound(_("No such contact."), field="contact_id")
        value, what = point.value, f"contact:{point.pk}"
    record(actor=actor, action=AuditAction.PII_REVEALED, target_type="customer", target_id=customer.pk,
           params={"what": what, "reason": (reason or "")[:200]})
    return value
