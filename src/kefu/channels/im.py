"""A message from an IM or shop system (signed webhook, WeChat, WeCom, QQ): the same message twice is one
entry; it continues the sender's open conversation on that endpoint, or opens a ticket."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.channels import files, threads
from kefu.channels.email.receive import Received
from kefu.channels.identity import find_customer, match_or_lead
from kefu.channels.models import Attachment, Endpoint, InboundMessage, InboundState, ThreadedBy
from kefu.channels.services import ticket_channel
from kefu.core.errors import ValidationFailed
from kefu.tickets.models import TicketMessage
from kefu.tickets.services import TicketInput, add_message, create_ticket

MAX_TEXT = 20000
MAX_ATTACHMENT = 5 * 1024 * 1024


@dataclass
class ImMessage:
    """One message as the platform delivered it, already verified and parsed."""

    key: str  # MsgId or Idempotency-Key: the platform's retries carry the same one
    sender: str  # openid, external user id, QQ number, shop buyer id
    text: str
    sender_name: str = ""
    phone: str = ""  # when the platform knows it: matches the sender to a customer by phone (CH6)
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)  # (filename, content type, bytes)


def check_message(message: ImMessage) -> None:
    """Refuse a message that cannot be stored, naming every bad field's first problem; nothing is written."""
    if not message.key or len(message.key) > 200:
        raise ValidationFailed(_("An idempotency key of 1 to 200 characters is required."), code="required",
                               field="idempotency_key")
    if not message.sender or len(message.sender) > 200:
        raise ValidationFailed(_("The sender id is required (at most 200 characters)."), code="required",
                               field="sender.id")
    if not message.text.strip() and not message.attachments:
        raise ValidationFailed(_("The message is empty."), code="required", field="text")
    if len(message.text) > MAX_TEXT:
        raise ValidationFailed(_("The message is too long."), code="too_long", field="text")
    for i, (name, ctype, data) in enumerate(message.attachments):
        refused = files.check(name, ctype, data, limit=MAX_ATTACHMENT)
        if refused:
            raise ValidationFailed(_("This attachment is too large or of a type that is not accepted."),
                                   code=refused, field=f"attachments[{i}]")


def receive_im(*, endpoint: Endpoint, message: ImMessage, now: datetime | None = None) -> Received:
    """Store one verified message; a redelivery (same key on the same endpoint) returns the first entry."""
    check_message(message)
    at = now or timezone.now()
    external_id = f"{endpoint.pk}:{message.key}"
    stored = [(name, ctype, data, *files.store(data)) for name, ctype, data in message.attachments]
    try:
        with transaction.atomic():
            existing = InboundMessage.objects.filter(medium=endpoint.medium, external_id=external_id).first()
            if existing is not None:
                return Received(existing, False)
            inbound = InboundMessage.objects.create(
                medium=endpoint.medium, external_id=external_id, endpoint=endpoint, state=InboundState.REFUSED,
                sender=message.sender, sender_name=message.sender_name[:200], size=len(message.text),
                received_at=at)
            _file(inbound, endpoint, message, at)
            Attachment.objects.bulk_create([
                Attachment(inbound=inbound, ticket_id=inbound.ticket_id, filename=name[:255],
                           content_type=ctype[:100], size=len(data), path=path, sha256=digest)
                for name, ctype, data, path, digest in stored])
            return Received(inbound, True)
    except IntegrityError:
        existing = InboundMessage.objects.filter(medium=endpoint.medium, external_id=external_id).first()
        if existing is None:
            raise
        return Received(existing, False)


def _open_conversation(endpoint: Endpoint, sender: str) -> dict | None:
    last = (InboundMessage.objects.filter(endpoint=endpoint, sender=sender, ticket__isnull=False)
            .order_by("-received_at", "-id").values_list("ticket_id", flat=True).first())
    row = threads._live(last) if last else None
    return row if row and row["is_open"] else None


def _file(inbound: InboundMessage, endpoint: Endpoint, message: ImMessage, at: datetime) -> None:
    text = message.text.strip() or _("(No text; see the attachments.)")
    row = _open_conversation(endpoint, message.sender)
    if row is not None:
        added = add_message(actor=None, ticket_id=row["id"], kind=TicketMessage.Kind.CUSTOMER, body=text, now=at)
        fields = {"state": InboundState.THREADED, "ticket_id": row["id"], "message_id": added.pk,
                  "threaded_by": ThreadedBy.CONVERSATION}
    else:
        customer_id = find_customer(medium="phone", value=message.phone) if message.phone else None
        if customer_id is None:
            customer_id = match_or_lead(medium=endpoint.medium, value=message.sender, name=message.sender_name,
                                        now=at)
        ticket = create_ticket(actor=None, now=at, data=TicketInput(
            type=endpoint.ticket_type, title=" ".join(text.split())[:60], description=text,
            channel=ticket_channel(endpoint.medium), channel_ref=inbound.external_id[:100],
            customer_id=customer_id, team_id=endpoint.team_id, reporter_name=message.sender_name[:100]))
        fields = {"state": InboundState.NEW_TICKET, "ticket_id": ticket.pk, "threaded_by": ThreadedBy.NONE}
    for name, value in fields.items():
        setattr(inbound, name, value)
    InboundMessage.objects.filter(pk=inbound.pk).update(**fields)
