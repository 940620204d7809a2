"""Replies to the customer and internal notes."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.core.errors import ValidationFailed
from kefu.tickets import store
from kefu.tickets import validation as v
from kefu.tickets.events import emit
from kefu.tickets.models import EventCode, TicketMessage
from kefu.tickets.services.common import require_handler
from kefu.tickets.services.referrals import refuse_while_referred
from kefu.tickets.store import bump, check_version

_EVENT_FOR_KIND = {
    TicketMessage.Kind.REPLY: EventCode.REPLIED,
    TicketMessage.Kind.NOTE: EventCode.NOTE_ADDED,
    TicketMessage.Kind.CUSTOMER: EventCode.CUSTOMER_MESSAGE,
}


@transaction.atomic
def add_message(*, actor: User | None, ticket_id: int, kind: str, body: str, version: int | None = None,
                now: datetime | None = None) -> TicketMessage:
    """Append a reply, note or customer message. Appending overwrites nothing, so `version` is optional;
    when given (the UI sends it), a ticket changed meanwhile is refused so the agent reads the change first."""
    require_handler(actor)
    if kind not in _EVENT_FOR_KIND:
        raise ValidationFailed(_("Unknown message kind."), code="invalid_choice", field="kind")
    ticket = store.load(actor, ticket_id)
    if version is not None:
        check_version(ticket, version)
    if kind == TicketMessage.Kind.REPLY:
        refuse_while_referred(ticket, field="body")
    body = v.clean_text(body, field="body")
    if not body:
        raise ValidationFailed(_("The message is empty."), code="required", field="body")
    at = now or timezone.now()
    message = TicketMessage.objects.create(ticket=ticket, kind=kind, body=body, author=actor, created_at=at)
    bump(ticket, {"updated_at": at})
    emit(ticket, _EVENT_FOR_KIND[kind], actor=actor, at=at, params={"message": message.pk})
    return message
