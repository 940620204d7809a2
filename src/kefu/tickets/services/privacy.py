"""Revealing a ticket's contact phone to a role that may see it (CU6)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.audit.models import AuditAction
from kefu.audit.services import audits_refused_reveals, record
from kefu.core.errors import Forbidden, NotFound
from kefu.tickets import store
from kefu.tickets.events import emit
from kefu.tickets.models import EventCode


@audits_refused_reveals("ticket", "ticket_id")
@transaction.atomic(durable=True)
def reveal_contact_phone(*, actor: User, ticket_id: int, reason: str = "") -> str:
    """Return the full contact phone; the reveal goes to the audit log and the ticket's timeline."""
    ticket = store.load_to_read(actor, ticket_id)
    if not actor.can_reveal_pii():
        raise Forbidden(_("Your role cannot see full personal data."), code="cannot_reveal")
    if not ticket.contact_phone:
        raise NotFound(_("This ticket has no contact phone."), field="contact_phone")
    record(actor=actor, action=AuditAction.PII_REVEALED, target_type="ticket", target_id=ticket.pk,
           params={"what": "contact_phone", "reason": (reason or "")[:200]})
    # Not a change of the ticket, so no new version: the event sits at the current one.
    emit(ticket, EventCode.PHONE_REVEALED, actor=actor, at=timezone.now())
    return ticket.contact_phone
