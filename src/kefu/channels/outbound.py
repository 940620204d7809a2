"""Replies that go back on the channel a ticket came from: one service records the reply and queues it; the
worker delivers it through the channel's adapter and keeps its state (sent, or failed with the reason)."""

import re
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.channels.base import PermanentFailure, TemporaryFailure, adapter_for
from kefu.channels.models import (
    InboundMessage,
    InboundState,
    Medium,
    OutboundMessage,
    OutboundState,
    Signature,
    ThreadKey,
)
from kefu.core.errors import NotFound, ValidationFailed
from kefu.tickets.models import TicketMessage
from kefu.tickets.services import add_message
from kefu.tickets.services.common import load_ticket, require_handler

_OURS = re.compile(r"^kefu\.\d+\.[0-9a-f]{16}@")
# WeChat and WeCom let a service account write to a user only within 48 hours of the user's last message.
IM_WINDOW = timedelta(hours=48)
_IM = (Medium.WECHAT, Medium.WECOM, Medium.QQ)


def mail_domain() -> str:
    """The domain of kefu's Message-IDs."""
    return getattr(settings, "CHANNELS_MAIL_DOMAIN", "") or settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1]


def new_message_id(ticket_id: int) -> str:
    """A Message-ID tied to the ticket, recognisable as ours when it comes back (loops, bounces, replies)."""
    return f"kefu.{ticket_id}.{secrets.token_hex(8)}@{mail_domain()}"


def is_our_message_id(message_id: str) -> bool:
    """True for a Message-ID kefu made."""
    return bool(message_id) and bool(_OURS.match(message_id))


def _last_inbound(ticket_id: int) -> InboundMessage | None:
    return (InboundMessage.objects.filter(ticket_id=ticket_id, state__in=(InboundState.NEW_TICKET,
                                                                           InboundState.THREADED))
            .select_related("mailbox", "endpoint").order_by("-received_at", "-id").first())


def _signed(actor: User | None, body: str, medium: str) -> str:
    if actor is None or medium not in (Medium.EMAIL, Medium.FAX):
        return body
    signature = Signature.objects.filter(user_id=actor.pk).values_list("text", flat=True).first()
    return f"{body}\n\n-- \n{signature}" if signature else body


@transaction.atomic
def send_reply(*, actor: User | None, ticket_id: int, body: str, version: int | None = None,
               now: datetime | None = None) -> OutboundMessage:
    """Reply to the customer on the channel of their last message; the worker delivers it after commit."""
    require_handler(actor)
    ticket = load_ticket(actor, ticket_id)
    at = now or timezone.now()
    last = _last_inbound(ticket.pk)
    if last is None or not last.sender:
        raise ValidationFailed(_("This ticket has no channel message to answer; reply by phone."),
                               code="no_channel", field="body")
    if last.medium in _IM and at - last.received_at > IM_WINDOW:
        raise ValidationFailed(_("The customer last wrote more than 48 hours ago; the platform refuses replies "
                                 "now. Call the customer instead."), code="window_closed", field="body")
    text = _signed(actor, (body or "").strip(), last.medium)
    message = add_message(actor=actor, ticket_id=ticket.pk, kind=TicketMessage.Kind.REPLY, body=text,
                          version=version, now=at)
    from kefu.channels.threads import normalise_subject, token_for

    subject = ""
    if last.medium in (Medium.EMAIL, Medium.FAX):
        base = last.subject or ticket.title
        subject = f"Re: {base}" if normalise_subject(base) == base.lower().strip() else base
        if token_for(ticket.pk) not in subject:
            subject = f"{subject} {token_for(ticket.pk)}"
    outbound = OutboundMessage.objects.create(
        medium=last.medium, ticket_id=ticket.pk, message=message, mailbox=last.mailbox, endpoint=last.endpoint,
        in_reply_to=last, recipient=last.sender, external_id=new_message_id(ticket.pk), subject=subject[:300],
        body=text, created_by=actor if getattr(actor, "pk", None) else None, created_at=at)
    ThreadKey.objects.create(key=f"mid:{outbound.external_id}", ticket_id=ticket.pk)
    transaction.on_commit(lambda: _enqueue(outbound.pk))
    return outbound


def _enqueue(outbound_id: int) -> None:
    from kefu.channels.tasks import deliver_outbound

    deliver_outbound(outbound_id)


def deliver(*, outbound_id: int, final: bool = True, now: datetime | None = None) -> str:
    """Send one queued reply through its channel's adapter; returns the state it ends in.

    Claimed with a conditional UPDATE (queued → sending) so two workers never send it twice. A temporary
    failure puts it back in the queue and re-raises so the task is retried, unless this was the last try."""
    at = now or timezone.now()
    claimed = OutboundMessage.objects.filter(pk=outbound_id, state=OutboundState.QUEUED).update(
        state=OutboundState.SENDING, attempts=F("attempts") + 1, claimed_at=at)
    if not claimed:
        if not OutboundMessage.objects.filter(pk=outbound_id).exists():
            raise NotFound(_("No such outbound message."), field="outbound_id")
        return OutboundMessage.objects.values_list("state", flat=True).get(pk=outbound_id)
    outbound = OutboundMessage.objects.select_related("mailbox", "endpoint", "in_reply_to").get(pk=outbound_id)
    try:
        adapter_for(outbound.medium).send(outbound)
    except TemporaryFailure as exc:
        state = OutboundState.FAILED if final else OutboundState.QUEUED
        _finish(outbound_id, state, code=exc.code or "temporary", error=str(exc))
        if not final:
            raise
        return state
    except PermanentFailure as exc:
        _finish(outbound_id, OutboundState.FAILED, code=exc.code or "permanent", error=str(exc))
        return OutboundState.FAILED
    _finish(outbound_id, OutboundState.SENT, sent_at=at)
    return OutboundState.SENT


def _finish(outbound_id: int, state: str, *, code: str = "", error: str = "", sent_at=None) -> None:
    fields = {"state": state, "error_code": code[:50], "error": error[:300]}
    if sent_at is not None:
        fields["sent_at"] = sent_at
    OutboundMessage.objects.filter(pk=outbound_id, state=OutboundState.SENDING).update(**fields)


def requeue_stalled(*, now: datetime | None = None, after: timedelta = timedelta(minutes=15)) -> list[int]:
    """Replies left 'sending' by a worker that died are queued again (the same Message-ID, so a receiving
    server that got the first attempt can tell); returns their ids for the caller to enqueue."""
    at = now or timezone.now()
    stalled = list(OutboundMessage.objects.filter(state=OutboundState.SENDING, claimed_at__lt=at - after)
                   .values_list("pk", flat=True)[:500])
    if stalled:
        OutboundMessage.objects.filter(pk__in=stalled, state=OutboundState.SENDING).update(
            state=OutboundState.QUEUED)
    return stalled
