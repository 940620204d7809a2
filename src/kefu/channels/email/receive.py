"""An email (or a fax through a fax-to-mail gateway) arriving: one service, whether the IMAP poller fetched it
or the MTA piped it in. A redelivered or concurrently delivered message is the same row (Message-ID)."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.channels import files, threads
from kefu.channels.email.parse import ParsedMail, parse
from kefu.channels.identity import match_or_lead
from kefu.channels.models import (
    Attachment,
    InboundMessage,
    InboundState,
    Mailbox,
    Medium,
    OutboundMessage,
    OutboundState,
    ThreadedBy,
)
from kefu.channels.outbound import is_our_message_id
from kefu.customers.models import ContactPoint
from kefu.tickets.lifecycle import Channel
from kefu.tickets.models import TicketMessage
from kefu.tickets.services import TicketInput, add_message, create_ticket

DEFAULT_LIMIT = 20 * 1024 * 1024


@dataclass
class Received:
    """What became of one delivery: the row, and whether this delivery created it."""

    inbound: InboundMessage
    created: bool


def receive_mail(*, raw: bytes, mailbox: Mailbox | None = None, now: datetime | None = None) -> Received:
    """Store one raw message: open or continue its ticket, or record it as auto-reply, bounce or loop.

    Attachments are written to disk first (content-addressed, so a retry rewrites the same file); the rows
    are written in one transaction that claims the Message-ID first, so a second delivery — even one running
    at the same moment in another worker — finds the first and changes nothing."""
    parsed = parse(raw)
    at = now or timezone.now()
    medium = mailbox.medium if mailbox else Medium.EMAIL
    external_id = parsed.message_id or "sha256:" + hashlib.sha256(raw).hexdigest()
    limit = mailbox.max_attachment_kb * 1024 if mailbox else DEFAULT_LIMIT
    stored = _store_attachments(parsed, limit)
    try:
        with transaction.atomic():
            existing = InboundMessage.objects.filter(medium=medium, external_id=external_id).first()
            if existing is not None:
                return Received(existing, False)
            inbound = InboundMessage.objects.create(
                medium=medium, external_id=external_id, mailbox=mailbox, state=InboundState.REFUSED,
                sender=parsed.sender, sender_name=parsed.sender_name, subject=parsed.subject, html=parsed.html,
                size=parsed.size, received_at=at)
            _file(inbound, parsed, mailbox, at)
            Attachment.objects.bulk_create([Attachment(inbound=inbound, ticket_id=inbound.ticket_id, **row)
                                            for row in stored])
            return Received(inbound, True)
    except IntegrityError:
        # Another delivery of the same Message-ID committed between our look and our insert (PostgreSQL).
        existing = InboundMessage.objects.filter(medium=medium, external_id=external_id).first()
        if existing is None:
            raise
        return Received(existing, False)


def _store_attachments(parsed: ParsedMail, limit: int) -> list[dict]:
    rows = []
    for part in parsed.attachments:
        refused = files.check(part.filename, part.content_type, part.data, limit=limit)
        path = digest = ""
        if not refused:
            path, digest = files.store(part.data)
        rows.append({"filename": part.filename[:255], "content_type": part.content_type[:100],
                     "size": len(part.data), "sha256": digest, "path": path, "refused": refused})
    return rows


def _file(inbound: InboundMessage, parsed: ParsedMail, mailbox: Mailbox | None, at: datetime) -> None:
    """Decide what the message is and where it goes; write the ticket side through the ticket services."""
    if is_our_message_id(parsed.message_id):
        _save(inbound, state=InboundState.LOOP)
        return
    if parsed.auto == "bounce":
        _bounce(inbound, parsed, at)
        return
    row, how = threads.find_ticket(message_id=parsed.message_id, in_reply_to=parsed.in_reply_to,
                                   references=parsed.references, subject=parsed.subject,
                                   thread_index=parsed.thread_index)
    if parsed.auto:  # an out-of-office or a list: kept with its ticket, never answered, never a ticket
        _save(inbound, state=InboundState.AUTO_REPLY, ticket_id=row["id"] if row else None, threaded_by=how)
        return
    if row is not None and row["is_open"]:
        _continue(inbound, parsed, row, how, at)
    else:
        _open(inbound, parsed, mailbox, at)
    threads.record_keys(inbound.ticket_id, message_id=parsed.message_id, thread_index=parsed.thread_index)


def _body(parsed: ParsedMail) -> str:
    text = parsed.text.strip()
    if not text and parsed.attachments:
        text = _("(No text; see the attachments.)")
    return text or _("(Empty message.)")


def _open(inbound: InboundMessage, parsed: ParsedMail, mailbox: Mailbox | None, at: datetime) -> None:
    customer_id = match_or_lead(medium=inbound.medium, value=parsed.sender, name=parsed.sender_name, now=at)
    ticket = create_ticket(actor=None, now=at, data=TicketInput(
        type=mailbox.ticket_type if mailbox else "inquiry",
        title=(threads.normalise_subject(parsed.subject) and parsed.subject.strip()[:200]) or _("(No subject)"),
        description=_body(parsed), channel=Channel.FAX if inbound.medium == Medium.FAX else Channel.EMAIL,
        channel_ref=inbound.external_id[:100], customer_id=customer_id,
        team_id=mailbox.team_id if mailbox else None, reporter_name=parsed.sender_name[:100]))
    _save(inbound, state=InboundState.NEW_TICKET, ticket_id=ticket.pk)


def _continue(inbound: InboundMessage, parsed: ParsedMail, row: dict, how: str, at: datetime) -> None:
    message = add_message(actor=None, ticket_id=row["id"], kind=TicketMessage.Kind.CUSTOMER, body=_body(parsed),
                          now=at)
    _save(inbound, state=InboundState.THREADED, ticket_id=row["id"], message_id=message.pk, threaded_by=how,
          foreign_sender=not _known_sender(row, parsed.sender, inbound.pk),
          split_pending=_new_subject(row, parsed.subject))


def _known_sender(row: dict, sender: str, exclude: int) -> bool:
    """The sender wrote on this ticket before, was written to, or is one of its customer's contacts."""
    if not sender:
        return False
    if InboundMessage.objects.filter(ticket_id=row["id"], sender=sender).exclude(pk=exclude).exists():
        return True
    if OutboundMessage.objects.filter(ticket_id=row["id"], recipient=sender).exists():
        return True
    return bool(row["customer_id"]) and ContactPoint.objects.filter(
        customer_id=row["customer_id"], kind=ContactPoint.Kind.EMAIL, value=sender).exists()


def _new_subject(row: dict, subject: str) -> bool:
    """A reply whose subject names another matter than the ticket's: ask the agent whether to split it off."""
    new = threads.normalise_subject(subject)
    if not new:
        return False
    first = (InboundMessage.objects.filter(ticket_id=row["id"]).exclude(subject="").order_by("received_at", "id")
             .values_list("subject", flat=True).first())
    known = {threads.normalise_subject(first or ""), threads.normalise_subject(row["title"])}
    return new not in known


def _bounce(inbound: InboundMessage, parsed: ParsedMail, at: datetime) -> None:
    """A bounce of one of our replies marks that reply failed, visibly on its ticket; never answered."""
    ours = [ref for ref in parsed.bounce_refs if is_our_message_id(ref)]
    outbound = OutboundMessage.objects.filter(external_id__in=ours).order_by("-id").first() if ours else None
    if outbound is not None:
        OutboundMessage.objects.filter(pk=outbound.pk).update(
            state=OutboundState.FAILED, error_code="bounced", error=_bounce_reason(parsed)[:300])
    _save(inbound, state=InboundState.BOUNCE, ticket_id=outbound.ticket_id if outbound else None)


def _bounce_reason(parsed: ParsedMail) -> str:
    for line in parsed.text.splitlines():
        if line.strip()[:1] in ("5", "4") and "." in line[:8]:
            return line.strip()
    return parsed.subject


def _save(inbound: InboundMessage, **fields) -> None:
    for name, value in fields.items():
        setattr(inbound, name, value)
    fields.setdefault("threaded_by", ThreadedBy.NONE)
    inbound.threaded_by = fields["threaded_by"]
    InboundMessage.objects.filter(pk=inbound.pk).update(**fields)
