"""PIPL requests: anonymise a customer (the person goes, the statistics stay) or export their data.

Anonymising keeps every row that reports count (tickets with their type, status, team, times and SLA; calls
with their outcome) and removes what identifies the person: the customer's name, ID number, notes, contact
points and references; on their tickets the contact phone, reporter name, location, description and message
texts and their mail/IM copies; on campaign calls the name, phone, reference and notes; on phone calls the
caller's number and the recording reference; the chats' visitor details and transcripts. A PrivacyRequest row
and an audit entry record the request and the counts, never the data.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.campaigns.models import CampaignCall
from kefu.chat.models import Conversation
from kefu.core.errors import Forbidden, NotFound, ValidationFailed
from kefu.cti.models import Call
from kefu.customers.models import ContactPoint, Customer, CustomerReference
from kefu.ops import retention
from kefu.ops.models import PrivacyRequest
from kefu.tickets.models import Ticket

REMOVED = "[已匿名]"


def _require(actor: User | None) -> None:
    # actor=None is the operator at the command line.
    if actor is not None and not actor.can_administer():
        raise Forbidden(_("Only an administrator handles personal-data requests."), code="not_admin")


def _customer(customer_id: int) -> Customer:
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise NotFound(_("No such customer."), field="customer_id")
    return customer


@transaction.atomic
def anonymise_customer(*, actor: User | None, customer_id: int, reference: str = "",
                       now: datetime | None = None) -> PrivacyRequest:
    """Remove the person from the customer record and their tickets and calls; keep what statistics count."""
    _require(actor)
    customer = _customer(customer_id)
    if PrivacyRequest.objects.filter(customer_id=customer_id, kind=PrivacyRequest.Kind.ANONYMISE).exists():
        raise ValidationFailed(_("This customer was already anonymised."), code="already_done", field="customer_id")
    at = now or timezone.now()
    tickets = Ticket.objects.filter(customer_id=customer_id)
    ticket_ids = list(tickets.values_list("pk", flat=True))
    summary = {
        "contacts": ContactPoint.objects.filter(customer_id=customer_id).delete()[0],
        "references": CustomerReference.objects.filter(customer_id=customer_id).delete()[0],
        # Tickets with their messages and mail/IM copies, as the retention schedule clears them.
        **retention.clear_tickets(ticket_ids, at, marker=REMOVED),
        "calls": CampaignCall.objects.filter(customer_id=customer_id).update(name=REMOVED, phone="", reference="",
                                                                           note="", result_note=""),
        "phone_calls": Call.objects.filter(customer_id=customer_id).update(caller="", recording=""),
        **retention.clear_chats(list(Conversation.objects.filter(customer_id=customer_id)
                                     .values_list("pk", flat=True)), marker=REMOVED),
    }
    Customer.objects.filter(pk=customer.pk).update(name=f"{REMOVED}#{customer.pk}", id_number="", notes="",
                                                    version=customer.version + 1)
    request = PrivacyRequest.objects.create(kind=PrivacyRequest.Kind.ANONYMISE, customer_id=customer_id,
                                            reference=reference[:100], handled_by=actor, handled_at=at,
                                            summary=summary)
    record(actor=actor, action=AuditAction.CUSTOMER_ANONYMISED, target_type="customer", target_id=customer_id,
           params={"request": request.pk, **summary}, now=at)
    return request


@transaction.atomic
def export_customer_data(*, actor: User | None, customer_id: int, reference: str = "",
                         now: datetime | None = None) -> dict:
    """Everything kefu holds about the customer, unmasked (it is their own data), for handing to them."""
    _require(actor)
    customer = _customer(customer_id)
    at = now or timezone.now()
    tickets = Ticket.objects.filter(customer_id=customer_id).select_related("ticket_type").order_by("created_at")
    data = {
        "customer": {"id": customer.pk, "name": customer.name, "kind": customer.kind, "id_number": customer.id_number,
                     "tier": customer.tier, "status": customer.status, "notes": customer.notes,
                     "created_at": customer.created_at.isoformat()},
        "contacts": list(customer.contacts.values("kind", "value", "label")),
        "references": list(customer.references.values("kind", "value", "note")),
        "tickets": [{"number": t.number, "type": t.ticket_type.code, "title": t.title, "status": t.status,
                     "description": t.description, "contact_phone": t.contact_phone,
                     "created_at": t.created_at.isoformat(),
                     "messages": [{"kind": m.kind, "body": m.body, "at": m.created_at.isoformat()}
                                  for m in t.messages.filter(kind__in=["reply", "customer"]).order_by("created_at")]}
                    for t in tickets],
        "calls": list(CampaignCall.objects.filter(customer_id=customer_id).values("name", "phone", "outcome")),
    }
    summary = {"tickets": len(data["tickets"]), "contacts": len(data["contacts"]), "calls": len(data["calls"])}
    request = PrivacyRequest.objects.create(kind=PrivacyRequest.Kind.EXPORT, customer_id=customer_id,
                                            reference=reference[:100], handled_by=actor, handled_at=at,
                                            summary=summary)
    record(actor=actor, action=AuditAction.PERSONAL_DATA_EXPORTED, target_type="customer", target_id=customer_id,
           params={"request": request.pk, **summary}, now=at)
    return data
