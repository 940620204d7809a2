"""Merging a duplicate customer into the right one (CH6), through the customers' and tickets' own services:
every ticket moves (each with its own history event), every contact is copied, the duplicate is closed with
a note saying where it went, and the merge is audited and recorded once."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.channels.models import CustomerMerge, Lead
from kefu.core.errors import NotFound, ValidationFailed
from kefu.customers.models import Customer
from kefu.customers.services import ContactInput, add_contact, change_customer_status, update_customer
from kefu.tickets.models import Ticket
from kefu.tickets.services import update_ticket

MAX_TICKETS = 500  # a "duplicate" with more tickets than this is not a duplicate to merge by hand


def _load(actor: User | None, customer_id: int, field: str) -> Customer:
    customers = Customer.objects.all() if actor is None else Customer.objects.visible_to(actor)
    customer = customers.filter(pk=customer_id).first()
    if customer is None:
        raise NotFound(_("No such customer."), field=field)
    return customer


@transaction.atomic
def merge_customers(*, actor: User | None, source_id: int, target_id: int,
                    now: datetime | None = None) -> CustomerMerge:
    """Merge customer `source_id` into `target_id`; refused as a whole if any step is refused."""
    source, target = _load(actor, source_id, "source_id"), _load(actor, target_id, "target_id")
    if source.pk == target.pk:
        raise ValidationFailed(_("A customer cannot be merged into itself."), code="same_customer",
                               field="target_id")
    if CustomerMerge.objects.filter(source=target).exists():
        raise ValidationFailed(_("The target was itself merged away; merge into the customer it went to."),
                               code="target_merged", field="target_id")
    at = now or timezone.now()
    try:
        with transaction.atomic():
            merge = CustomerMerge.objects.create(source=source, target=target, actor=actor, at=at)
    except IntegrityError:
        raise ValidationFailed(_("This customer has been merged already."), code="already_merged",
                               field="source_id") from None
    tickets = list(Ticket.objects.filter(customer=source).values_list("pk", "version")[:MAX_TICKETS + 1])
    if len(tickets) > MAX_TICKETS:
        raise ValidationFailed(_("Too many tickets to merge by hand."), code="too_many", field="source_id")
    for ticket_id, version in tickets:
        update_ticket(actor=actor, ticket_id=ticket_id, version=version, changes={"customer_id": target.pk}, now=at)
    known = set(target.contacts.values_list("kind", "value"))
    copied = 0
    for contact in source.contacts.all():
        if (contact.kind, contact.value) not in known:
            add_contact(actor=actor, customer=target, contact=ContactInput(
                kind=contact.kind, value=contact.value, label=(contact.label or "merged")[:50]))
            copied += 1
    note = f"{source.notes}\n[merged into customer #{target.pk}]".strip()
    source = update_customer(actor=actor, customer=source, version=source.version, changes={"notes": note})
    if source.status != Customer.Status.CLOSED:
        change_customer_status(actor=actor, customer=source, version=source.version, status=Customer.Status.CLOSED,
                               reason=f"merged into #{target.pk}")
    Lead.objects.filter(customer=source, merged_at__isnull=True).update(merged_into=target, merged_at=at)
    CustomerMerge.objects.filter(pk=merge.pk).update(tickets=[t for t, _v in tickets], contacts=copied)
    record(actor=actor, action=AuditAction.CUSTOMER_CHANGED, target_type="customer", target_id=target.pk,
           params={"merged_from": source.pk, "tickets": len(tickets), "contacts": copied})
    merge.refresh_from_db()
    return merge
