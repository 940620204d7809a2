"""Links, merges and parent/child between tickets (TK6)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.core.errors import ValidationFailed
from kefu.tickets import store
from kefu.tickets.events import emit
from kefu.tickets.lifecycle import Status
from kefu.tickets.models import EventCode, Ticket, TicketLink
from kefu.tickets.services.common import require_handler
from kefu.tickets.store import bump, check_version, save


@transaction.atomic
def link_tickets(*, actor: User | None, ticket_id: int, other_id: int, kind: str = TicketLink.Kind.RELATED,
                 now: datetime | None = None) -> TicketLink:
    """Link two tickets both of which the actor can see."""
    require_handler(actor)
    if kind not in TicketLink.Kind.values:
        raise ValidationFailed(_("Unknown link kind."), code="invalid_choice", field="kind")
    ticket = store.load(actor, ticket_id)
    other = store.load(actor, other_id, field="other_id")
    if ticket.pk == other.pk:
        raise ValidationFailed(_("A ticket cannot be linked to itself."), code="self_link", field="other_id")
    if TicketLink.objects.filter(source__in=[ticket, other], target__in=[ticket, other]).exists():
        raise ValidationFailed(_("These tickets are already linked."), code="duplicate", field="other_id")
    at = now or timezone.now()
    link = TicketLink.objects.create(source=ticket, target=other, kind=kind, created_by=actor, created_at=at)
    for one, two in ((ticket, other), (other, ticket)):
        bump(one, {"updated_at": at})
        emit(one, EventCode.LINKED, actor=actor, at=at, params={"other": two.pk, "kind": kind})
    return link


@transaction.atomic
def merge_ticket(*, actor: User | None, ticket_id: int, version: int, into_id: int,
                 now: datetime | None = None) -> Ticket:
    """Merge a duplicate into another ticket: the duplicate closes and points to the surviving one."""
    require_handler(actor)
    ticket = store.load(actor, ticket_id)
    check_version(ticket, version)
    target = store.load(actor, into_id, field="into_id")
    if target.pk == ticket.pk:
        raise ValidationFailed(_("A ticket cannot be merged into itself."), code="self_merge", field="into_id")
    if ticket.merged_into_id:
        raise ValidationFailed(_("This ticket is already merged."), code="already_merged", field="ticket")
    if target.merged_into_id:
        raise ValidationFailed(_("The target ticket is itself merged; merge into the surviving ticket."),
                               code="target_merged", field="into_id")
    if ticket.children.filter(is_open=True).exists():
        raise ValidationFailed(_("This ticket has open child tickets; move them first."), code="open_children",
                               field="ticket")
    at = now or timezone.now()
    previous = ticket.status
    save(ticket, version, {"merged_into": target, "status": Status.CLOSED, "is_open": False,
                           "closed_at": at, "updated_at": at})
    emit(ticket, EventCode.MERGED_INTO, actor=actor, at=at, params={"into": target.pk, "from": previous})
    bump(target, {"updated_at": at})
    emit(target, EventCode.MERGED_FROM, actor=actor, at=at, params={"source": ticket.pk})
    return ticket


@transaction.atomic
def set_parent(*, actor: User | None, ticket_id: int, version: int, parent_id: int,
               now: datetime | None = None) -> Ticket:
    """Make a ticket the child of another (one outage, many customer tickets); cycles are refused."""
    require_handler(actor)
    ticket = store.load(actor, ticket_id)
    check_version(ticket, version)
    parent = store.load(actor, parent_id, field="parent_id")
    cursor, hops = parent, 0
    while cursor is not None:
        if cursor.pk == ticket.pk:
            raise ValidationFailed(_("A ticket cannot be its own ancestor."), code="parent_cycle",
                                   field="parent_id")
        cursor, hops = cursor.parent, hops + 1
        if hops > 100:  # corrupt data must not hang a request
            raise ValidationFailed(_("The parent chain is too deep."), code="parent_cycle", field="parent_id")
    if ticket.is_open and not parent.is_open:
        raise ValidationFailed(_("An open ticket cannot be put under a resolved or closed parent."),
                               code="parent_done", field="parent_id")
    at = now or timezone.now()
    save(ticket, version, {"parent": parent, "updated_at": at})
    emit(ticket, EventCode.PARENT_SET, actor=actor, at=at, params={"parent": parent.pk})
    bump(parent, {"updated_at": at})
    emit(parent, EventCode.CHILD_ADDED, actor=actor, at=at, params={"child": ticket.pk})
    return ticket
