"""One customer, every channel (CH6): an inbound identity is matched to the customer who owns it; an unknown
one opens a lead customer that an agent can later merge into the right record."""

from datetime import datetime

from kefu.channels.models import Lead, Medium
from kefu.core.errors import ValidationFailed
from kefu.core.pii import mask_email
from kefu.customers.models import ContactPoint
from kefu.customers.services import ContactInput, CustomerInput, create_customer

# The contact kinds an identity of each medium is stored as.
_KINDS = {
    Medium.EMAIL: (ContactPoint.Kind.EMAIL,), Medium.FAX: (ContactPoint.Kind.EMAIL,),
    Medium.WECHAT: (ContactPoint.Kind.WECHAT,), Medium.WECOM: (ContactPoint.Kind.WECHAT,),
    Medium.QQ: (ContactPoint.Kind.QQ,), "phone": (ContactPoint.Kind.MOBILE, ContactPoint.Kind.PHONE),
}


def find_customer(*, medium: str, value: str) -> int | None:
    """The id of the customer whose contact is `value` (the oldest, if two share it), or None."""
    kinds = _KINDS.get(medium)
    if not kinds or not value:
        return None
    return (ContactPoint.objects.filter(kind__in=kinds, value=value).order_by("customer_id")
            .values_list("customer_id", flat=True).first())


def match_or_lead(*, medium: str, value: str, name: str = "", now: datetime) -> int | None:
    """The customer owning `value`; else a new lead customer holding it (None when it is not a valid contact)."""
    found = find_customer(medium=medium, value=value)
    if found is not None:
        return found
    kinds = _KINDS.get(medium)
    if not kinds or not value:
        return None
    display = name.strip()[:200] or (mask_email(value) if "@" in value else value[:4] + "…")
    try:
        customer = create_customer(actor=None, data=CustomerInput(
            name=display, contacts=[ContactInput(kind=kinds[0], value=value, label="channel")]))
    except ValidationFailed:
        return None  # an address the customer record would refuse: the ticket simply has no customer
    Lead.objects.create(customer=customer, medium=medium, created_at=now)
    return customer.pk
