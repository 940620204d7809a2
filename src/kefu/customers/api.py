"""Customer endpoints (客户档案)."""

from datetime import datetime

from ninja import Query, Router, Schema, Status

from kefu.api.schemas import ERRORS, UserRef, one_of
from kefu.customers import selectors, services
from kefu.customers.models import ContactPoint, Customer, CustomerReference
from kefu.customers.services import ContactInput, CustomerInput, ReferenceInput

router = Router(tags=["customers"])


class ContactIn(Schema):
    kind: str = one_of(ContactPoint.Kind)
    value: str
    label: str = ""
    is_primary: bool = False


class ReferenceIn(Schema):
    kind: str = one_of(CustomerReference.Kind)
    value: str
    note: str = ""


class CustomerIn(Schema):
    name: str
    kind: str = one_of(Customer.Kind, "person")
    tier: str = one_of(Customer.Tier, "normal")
    star_level: int = 0
    id_number: str = ""
    account_manager_id: int | None = None
    notes: str = ""
    contacts: list[ContactIn] = []
    references: list[ReferenceIn] = []


class CustomerPatch(Schema):
    version: int
    name: str | None = None
    kind: str | None = one_of(Customer.Kind, None, nullable=True)
    tier: str | None = one_of(Customer.Tier, None, nullable=True)
    star_level: int | None = None
    id_number: str | None = None
    account_manager_id: int | None = None
    notes: str | None = None


class StatusIn(Schema):
    version: int
    status: str = one_of(Customer.Status)
    reason: str = ""


class RevealIn(Schema):
    contact_id: int | None = None
    reason: str = ""


class ContactOut(Schema):
    id: int
    kind: str = one_of(ContactPoint.Kind)
    value: str
    masked: bool
    label: str
    is_primary: bool


class ReferenceOut(Schema):
    kind: str = one_of(CustomerReference.Kind)
    value: str
    note: str


class CustomerOut(Schema):
    id: int
    kind: str = one_of(Customer.Kind)
    name: str
    id_number: str
    tier: str = one_of(Customer.Tier)
    star_level: int
    account_manager: UserRef | None
    status: str = one_of(Customer.Status)
    notes: str
    version: int
    created_at: datetime
    contacts: list[ContactOut]
    references: list[ReferenceOut]


class StatusChangeOut(Schema):
    from_status: str = one_of(Customer.Status)
    to_status: str = one_of(Customer.Status)
    reason: str
    actor: UserRef | None
    at: datetime


class CustomerDetailOut(CustomerOut):
    ticket_count: int
    open_ticket_count: int
    status_history: list[StatusChangeOut]


class CustomerListOut(Schema):
    count: int
    items: list[CustomerOut]


class RevealOut(Schema):
    value: str


class CustomerSearchQuery(Schema):
    q: str = ""
    phone: str = ""
    reference: str = ""
    page: int = 1
    page_size: int = 20


def _detail(request, customer_id: int) -> dict:
    return selectors.customer_detail_out(request.auth, selectors.get_customer(request.auth, customer_id))


@router.get("", response={200: CustomerListOut, **ERRORS})
def list_customers(request, q: Query[CustomerSearchQuery]):
    """Search customers. Names and phones in a query string end up in proxy and server logs: integrations
    should send them to `POST /customers/search` instead."""
    count, items = selectors.search_customers(request.auth, **q.dict())
    return {"count": count, "items": [selectors.customer_out(c) for c in items]}


@router.post("/search", response={200: CustomerListOut, **ERRORS})
def search_customers(request, payload: CustomerSearchQuery):
    """The same search with the name or phone in the body, out of every URL log (PIPL)."""
    count, items = selectors.search_customers(request.auth, **payload.dict())
    return {"count": count, "items": [selectors.customer_out(c) for c in items]}


@router.post("", response={201: CustomerDetailOut, **ERRORS})
def create_customer(request, payload: CustomerIn):
    data = payload.dict()
    customer = services.create_customer(actor=request.auth, data=CustomerInput(
        **{k: v for k, v in data.items() if k not in ("contacts", "references")},
        contacts=[ContactInput(**c) for c in data["contacts"]],
        references=[ReferenceInput(**r) for r in data["references"]],
    ))
    return Status(201, _detail(request, customer.pk))


@router.get("/{int:customer_id}", response={200: CustomerDetailOut, **ERRORS})
def get_customer(request, customer_id: int):
    return _detail(request, customer_id)


@router.patch("/{int:customer_id}", response={200: CustomerDetailOut, **ERRORS})
def update_customer(request, customer_id: int, payload: CustomerPatch):
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    customer = selectors.get_customer(request.auth, customer_id)
    services.update_customer(actor=request.auth, customer=customer, version=version, changes=changes)
    return _detail(request, customer_id)


@router.post("/{int:customer_id}/status", response={200: CustomerDetailOut, **ERRORS})
def change_status(request, customer_id: int, payload: StatusIn):
    customer = selectors.get_customer(request.auth, customer_id)
    services.change_customer_status(actor=request.auth, customer=customer, **payload.dict())
    return _detail(request, customer_id)


@router.post("/{int:customer_id}/contacts", response={201: CustomerDetailOut, **ERRORS})
def add_contact(request, customer_id: int, payload: ContactIn):
    customer = selectors.get_customer(request.auth, customer_id)
    services.add_contact(actor=request.auth, customer=customer, contact=ContactInput(**payload.dict()))
    return Status(201, _detail(request, customer_id))


@router.post("/{int:customer_id}/reveal", response={200: RevealOut, **ERRORS})
def reveal(request, customer_id: int, payload: RevealIn):
    """The full phone (contact_id) or ID number (no contact_id). Audited."""
    customer = selectors.get_customer(request.auth, customer_id)
    return {"value": services.reveal_pii(actor=request.auth, customer=customer, **payload.dict())}
