"""Agents' decisions on channel traffic: split a new matter off a thread."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.channels import threads
from kefu.channels.models import InboundMessage, Medium
from kefu.core.errors import NotFound, ValidationFailed
from kefu.tickets.lifecycle import Channel
from kefu.tickets.models import Ticket, TicketMessage
from kefu.tickets.services import TicketInput, create_ticket
from kefu.tickets.services.common import load_ticket, require_handler

_CHANNEL = {Medium.EMAIL: Channel.EMAIL, Medium.FAX: Channel.FAX, Medium.WECHAT: Channel.WECHAT,
            Medium.WECOM: Channel.WECHAT, Medium.QQ: Channel.QQ, Medium.WEBHOOK: Channel.WEB_FORM}


def ticket_channel(medium: str) -> str:
    """The ticket channel a message medium opens tickets as."""
    return _CHANNEL.get(medium, Channel.WEB_FORM)


@transaction.atomic
def decide_split(*, actor: User | None, inbound_id: int, split: bool, now: datetime | None = None) -> Ticket | None:
    """Answer "a new subject on an old thread": split it into a ticket of its own, or keep it where it is.

    Decided once (a conditional UPDATE on split_pending): two agents clicking at once open one ticket."""
    require_handler(actor)
    inbound = InboundMessage.objects.filter(pk=inbound_id).first()
    if inbound is None or inbound.ticket_id is None:
        raise NotFound(_("No such message."), field="inbound")
    ticket = load_ticket(actor, inbound.ticket_id)
    if not InboundMessage.objects.filter(pk=inbound.pk, split_pending=True).update(split_pending=False):
        raise ValidationFailed(_("This has been decided already."), code="already_decided", field="inbound")
    if not split:
        return None
    body = (TicketMessage.objects.filter(pk=inbound.message_id).values_list("body", flat=True).first()
            or inbound.subject)
    new = create_ticket(actor=actor, now=now or timezone.now(), data=TicketInput(
        type=ticket.ticket_type_id, title=(inbound.subject or ticket.title)[:200], description=body,
        channel=ticket_channel(inbound.medium), channel_ref=inbound.external_id[:100],
        customer_id=ticket.customer_id, team_id=ticket.team_id))
    InboundMessage.objects.filter(pk=inbound.pk).update(split_ticket=new)
    # Later replies to this message follow it to the new ticket.
    from kefu.channels.models import ThreadKey

    ThreadKey.objects.filter(key=f"mid:{inbound.external_id}").update(ticket=new)
    threads.record_keys(new.pk, message_id=inbound.external_id)
    return new
