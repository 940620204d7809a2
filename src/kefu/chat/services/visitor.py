"""What a website visitor does in the widget: start a chat, write, send a picture, rate, ask for the transcript,
or leave a message outside working hours (004 篇27: answered all the same, as a ticket)."""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from kefu.chat.models import ChatEventCode, Conversation, Widget
from kefu.chat.services import assistant
from kefu.chat.services.common import (
    announce,
    clean_body,
    emit,
    load_visitor_conversation,
    post,
    queue_changed,
    token_hash,
)
from kefu.chat.services.routing import do_enqueue, do_release
from kefu.chat.uploads import clean_image
from kefu.core.errors import Conflict, NotFound, ValidationFailed
from kefu.core.pii import normalize_phone
from kefu.customers.models import ContactPoint, Customer

Status = Conversation.State
LANGUAGES = ("zh-hans", "en")


def load_widget(key: str) -> Widget:
    widget = Widget.objects.select_related("calendar").filter(key=key or "", active=True).first()
    if widget is None:
        raise NotFound(_("No such chat widget."), field="widget")
    return widget


def is_open(widget: Widget, at: datetime) -> bool:
    """Inside the team's working hours by the widget's business calendar (no calendar: always open)."""
    if widget.calendar_id is None:
        return True
    calendar = widget.calendar.to_work_calendar()
    day, minute = calendar._local(at)  # noqa: SLF001 — the calendar's own local-time split
    return any(start <= minute < end for start, end in calendar.blocks_on(day))


def _match_customer(phone: str) -> Customer | None:
    """The one customer with this mobile; a shared number matches nobody (the agent decides)."""
    if not phone:
        return None
    ids = list(ContactPoint.objects.filter(kind__in=[ContactPoint.Kind.MOBILE, ContactPoint.Kind.PHONE], value=phone)
               .values_list("customer_id", flat=True).distinct()[:2])
    return Customer.objects.filter(pk=ids[0]).first() if len(ids) == 1 else None


@dataclass
class VisitorInput:
    """What the pre-chat form asks (all optional) and the language the widget shows."""

    name: str = ""
    phone: str = ""
    email: str = ""
    language: str = "zh-hans"
    question: str = ""


def _clean_visitor(data: VisitorInput) -> dict:
    errors = []
    name = (data.name or "").strip()[:100]
    phone = ""
    if (data.phone or "").strip():
        try:
            phone = normalize_phone(data.phone, field="phone")
        except ValidationFailed as exc:
            errors.append(exc)
    email = (data.email or "").strip()
    if email and ("@" not in email or len(email) > 254 or any(c.isspace() for c in email)):
        errors.append(ValidationFailed(_("Enter a valid email address."), code="invalid_email", field="email"))
    if errors:
        raise errors[0]
    language = data.language if data.language in LANGUAGES else "zh-hans"
    return {"visitor_name": name, "visitor_phone": phone, "visitor_email": email, "language": language}


@transaction.atomic
def start_chat(*, widget_key: str, data: VisitorInput, now: datetime | None = None) -> tuple[Conversation, str]:
    """Open a chat from the widget; returns it with the visitor's secret token (only its hash is stored)."""
    widget = load_widget(widget_key)
    at = now or timezone.now()
    if not is_open(widget, at):
        raise Conflict(_("We are closed now; please leave a message."), code="closed", field="widget")
    fields = _clean_visitor(data)
    question = clean_body(data.question, field="question", required=False)
    customer = _match_customer(fields["visitor_phone"])
    token = secrets.token_urlsafe(32)
    skills = sorted({*(widget.skills or []), *(["lang:en"] if fields["language"] == "en" else [])})
    conv = Conversation.objects.create(
        widget=widget, team_id=widget.team_id, customer=customer, visitor_key=token_hash(token), skills=skills,
        is_vip=bool(customer and customer.tier in (Customer.Tier.VIP, Customer.Tier.GROUP)),
        state=Status.ASSISTANT if widget.assistant else Status.WAITING, created_at=at,
        first_question=question[:300], **fields)
    emit(conv, ChatEventCode.STARTED, actor=None, at=at, params={"widget": widget.pk, "assistant": widget.assistant,
                                                                  "customer": customer.pk if customer else None})
    with translation.override(conv.language):
        post(conv, "system", _t("Hello! What can we do for you?"), author=None, at=at, meta={"code": "welcome"})
    if question:
        post(conv, "customer", question, author=None, at=at)
    if conv.state == Status.ASSISTANT:
        if question:
            assistant.answer(conv, question, at)
    else:
        do_enqueue(conv, at)
    return conv, token


def _live(conv: Conversation) -> None:
    if not conv.is_live:
        raise Conflict(_("This chat has ended."), code="chat_ended", field="token")


@transaction.atomic
def send_message(*, token: str, body: str = "", image: bytes | None = None, now: datetime | None = None):
    """The visitor writes (text, emoji) or sends a picture; the assistant answers while it has the chat."""
    conv = load_visitor_conversation(token, lock=True)
    _live(conv)
    at = now or timezone.now()
    image_type = ""
    if image is not None:
        image_type = clean_image(image)
        body = clean_body(body, required=False)
    else:
        body = clean_body(body)
    first = not conv.first_question and bool(body)
    msg = post(conv, "customer", body, author=None, at=at, image=image, image_type=image_type,
               also={"last_customer_at": at, **({"first_question": body[:300]} if first else {})})
    if conv.state == Status.ASSISTANT and body:
        assistant.answer(conv, body, at)
    return msg


@transaction.atomic
def ask_for_agent(*, token: str, now: datetime | None = None) -> Conversation:
    """转人工: the visitor wants a person now."""
    conv = load_visitor_conversation(token, lock=True)
    _live(conv)
    if conv.state == Status.ASSISTANT:
        assistant.hand_over(conv, now or timezone.now(), reason="asked")
    return conv


@transaction.atomic
def answer_helped(*, token: str, helped: bool, now: datetime | None = None) -> Conversation:
    """"这解决了您的问题吗？" — yes ends the chat as solved by the assistant, no hands it over."""
    conv = load_visitor_conversation(token, lock=True)
    _live(conv)
    if conv.state != Status.ASSISTANT:
        raise Conflict(_("An agent has this chat."), code="not_with_assistant", field="helped")
    at = now or timezone.now()
    if helped:
        assistant.solved(conv, at)
    else:
        assistant.hand_over(conv, at, reason="not_helped")
    return conv


def typing(*, token: str) -> None:
    """The visitor is typing: shown to the agent, nothing stored."""
    conv = load_visitor_conversation(token)
    if conv.is_live:
        from kefu.realtime.bus import publish

        event = {"type": "typing", "conv": conv.pk, "who": "customer"}
        publish(f"staff:{conv.pk}", event)
        if conv.agent_id:
            publish(f"user:{conv.agent_id}", event)


def do_end(conv: Conversation, *, actor, by: str, at: datetime) -> None:
    """End a live chat: release the agent's slot, ask the visitor for a rating."""
    Conversation.objects.filter(pk=conv.pk).update(state=Status.ENDED, ended_at=at, offer_expires_at=None)
    was_waiting = conv.state in (Status.WAITING, Status.OFFERED)
    conv.state, conv.ended_at = Status.ENDED, at
    do_release(conv)
    emit(conv, ChatEventCode.ENDED, actor=actor, at=at, params={"by": by})
    with translation.override(conv.language):
        post(conv, "system", _t("The chat has ended. Please rate it."), author=None, at=at, meta={"code": "ended"})
    announce(conv, {"type": "state", "state": Status.ENDED})
    if was_waiting or conv.agent_id:
        queue_changed(conv.team_id)


@transaction.atomic
def end_chat(*, token: str, now: datetime | None = None) -> Conversation:
    """The visitor closes the chat."""
    conv = load_visitor_conversation(token, lock=True)
    _live(conv)
    do_end(conv, actor=None, by="customer", at=now or timezone.now())
    return conv


@transaction.atomic
def rate_chat(*, token: str, score: int, comment: str = "", now: datetime | None = None) -> Conversation:
    """One CSAT question at the end (1–5), answered once."""
    conv = load_visitor_conversation(token, lock=True)
    if conv.state != Status.ENDED:
        raise Conflict(_("A chat is rated when it has ended."), code="chat_not_ended", field="score")
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationFailed(_("Choose 1 to 5."), code="out_of_range", field="score", params={"min": 1, "max": 5})
    comment = (comment or "").strip()[:500]
    won = Conversation.objects.filter(pk=conv.pk, rating__isnull=True).update(rating=score, rating_comment=comment)
    if not won:
        raise Conflict(_("This chat has been rated."), code="already_rated", field="score")
    conv.rating, conv.rating_comment = score, comment
    emit(conv, ChatEventCode.RATED, actor=None, at=now or timezone.now(), params={"score": score,
                                                                                 "agent": conv.agent_id})
    return conv
