"""Outside working hours (004 篇27): the visitor leaves a message, which becomes a ticket answered later; and
the transcript sent by email or SMS when the visitor asks for it."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from kefu.chat.models import ChatEventCode, ChatMessage, Conversation
from kefu.chat.services.common import clean_body, emit, load_visitor_conversation, post, token_hash
from kefu.chat.services.visitor import VisitorInput, _clean_visitor, _match_customer, load_widget
from kefu.core.errors import ValidationFailed
from kefu.tickets.lifecycle import Channel
from kefu.tickets.services import TicketInput, create_ticket


@transaction.atomic
def leave_message(*, widget_key: str, data: VisitorInput, body: str, now: datetime | None = None) -> Conversation:
    """Take a message while nobody is working: a ticket on the widget's team, with how to answer (phone/email)."""
    widget = load_widget(widget_key)
    fields = _clean_visitor(data)
    body = clean_body(body)
    if not fields["visitor_phone"] and not fields["visitor_email"]:
        raise ValidationFailed(_("Leave a phone number or an email address so that we can answer."),
                               code="contact_required", field="phone")
    at = now or timezone.now()
    customer = _match_customer(fields["visitor_phone"])
    contact = "\n".join(x for x in (fields["visitor_email"] and f"Email: {fields['visitor_email']}",) if x)
    ticket = create_ticket(actor=None, data=TicketInput(
        type="inquiry", title=body.splitlines()[0][:60], description=body + ("\n\n" + contact if contact else ""),
        reporter_name=fields["visitor_name"], contact_phone=fields["visitor_phone"], channel=Channel.CHAT,
        channel_ref=f"widget:{widget.key}", team_id=widget.team_id, customer_id=customer.pk if customer else None,
    ), now=at)
    import secrets

    conv = Conversation.objects.create(widget=widget, team_id=widget.team_id, customer=customer,
                                       visitor_key=token_hash(secrets.token_urlsafe(32)),
                                       state=Conversation.State.LEFT_MESSAGE, created_at=at, ended_at=at,
                                       ticket=ticket, first_question=body[:300], **fields)
    post(conv, "customer", body, author=None, at=at)
    emit(conv, ChatEventCode.MESSAGE_LEFT, actor=None, at=at, params={"ticket": ticket.pk})
    return conv


def transcript_text(conv: Conversation) -> str:
    """The public lines of the chat as plain text (never the whispers)."""
    lines = []
    for msg in (ChatMessage.objects.filter(conversation=conv).exclude(kind=ChatMessage.Kind.WHISPER)
                .select_related("author").order_by("seq")):
        who = {"customer": _t("You"), "agent": _t("Agent %(no)s") % {"no": msg.author.agent_no if msg.author else ""},
               "assistant": _t("Assistant"), "system": "—"}[msg.kind]
        text = msg.body + (" [" + _t("picture") + "]" if msg.image_type else "")
        lines.append(f"{timezone.localtime(msg.created_at):%H:%M} {who}: {text}")
    return "\n".join(lines)


@transaction.atomic
def send_transcript(*, token: str, email: str = "", phone: str = "", now: datetime | None = None) -> Conversation:
    """Queue the transcript to the visitor's email or mobile (sent by the worker after the commit)."""
    from django.utils import translation

    from kefu.notify.models import Channel as NotifyChannel
    from kefu.notify.services import queue_notification

    conv = load_visitor_conversation(token)
    fields = _clean_visitor(VisitorInput(email=email, phone=phone))
    if not fields["visitor_email"] and not fields["visitor_phone"]:
        raise ValidationFailed(_("Enter an email address or a mobile number."), code="required", field="email")
    at = now or timezone.now()
    with translation.override(conv.language):
        body = transcript_text(conv)
        subject = _t("Your chat with customer service")
    channel = NotifyChannel.EMAIL if fields["visitor_email"] else NotifyChannel.SMS
    address = fields["visitor_email"] or fields["visitor_phone"]
    queue_notification(channel=channel, address=address, kind="chat_transcript", subject=subject,
                       body=body if channel == NotifyChannel.EMAIL else body[-600:], now=at)
    emit(conv, ChatEventCode.TRANSCRIPT_SENT, actor=None, at=at, params={"channel": channel})
    post(conv, "system", _t("The transcript is on its way."), author=None, at=at, meta={"code": "transcript"})
    return conv
