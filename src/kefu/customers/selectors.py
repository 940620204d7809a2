"""Read queries for customers, all through visible_to(user), and their masked API shape."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kefu.api.schemas import user_ref
from kefu.core.errors import NotFound, ValidationFailed
from kefu.core.pii import mask_id_number, mask_phone, normalize_phone
from kefu.customers.models import ContactPoint, Customer
from kefu.customers.panels import details_for


def search_customers(user, *, q: str = "", phone: str = "", reference: str = "", page: int = 1,
                     page_size: int = 20) -> tuple[int, list[Customer]]:
    """Customers by name fragment, exact phone (screen pop) or exact reference (meter, order, account)."""
    if not 1 <= page_size <= 100 or page < 1:
        raise ValidationFailed(_("Page size is 1 to 100."), code="out_of_range", field="page_size")
    qs = Customer.objects.visible_to(user)
    if phone:
        number = normalize_phone(phone, field="phone")
        qs = qs.filter(pk__in=ContactPoint.objects.filter(
            kind__in=[ContactPoint.Kind.MOBILE, ContactPoint.Kind.PHONE], value=number).values("customer_id"))
    if reference:
        qs = qs.filter(references__value=reference.strip())
    if q:
        qs = qs.filter(Q(name__icontains=q.strip()))
    count = qs.count()
    start = (page - 1) * page_size
    items = list(qs.select_related("account_manager").prefetch_related("contacts", "references")
                 .order_by("-id")[start:start + page_size])
    return count, items


def get_customer(user, customer_id: int) -> Customer:
    customer = (Customer.objects.visible_to(user).select_related("account_manager")
                .prefetch_related("contacts", "references").filter(pk=customer_id).first())
    if customer is None:
        raise NotFound(_("No such customer."), field="customer")
    return customer


def contact_out(point: ContactPoint) -> dict:
    value = mask_phone(point.value) if point.is_sensitive else point.value
    return {"id": point.pk, "kind": point.kind, "value": value, "masked": point.is_sensitive,
            "label": point.label, "is_primary": point.is_primary}


def customer_out(customer: Customer) -> dict:
    """The customer as every role sees it: phones and ID number masked (a reveal is a separate, logged act)."""
    return {
        "id": customer.pk, "kind": customer.kind, "name": customer.name,
        "id_number": mask_id_number(customer.id_number), "tier": customer.tier,
        "star_level": customer.star_level, "account_manager": user_ref(customer.account_manager),
        "status": customer.status, "notes": customer.notes, "version": customer.version,
        "created_at": customer.created_at,
        "contacts": [contact_out(c) for c in customer.contacts.all()],
        "references": [{"kind": r.kind, "value": r.value, "note": r.note} for r in customer.references.all()],
    }


def customer_detail_out(user, customer: Customer) -> dict:
    history = [
        {"from_status": s.from_status, "to_status": s.to_status, "reason": s.reason,
         "actor": user_ref(s.actor), "at": s.at}
        for s in customer.status_changes.select_related("actor")
    ]
    return {**customer_out(customer), **details_for(user, customer), "status_history": history}
