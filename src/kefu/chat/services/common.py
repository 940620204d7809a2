"""Shared by the chat services: sequenced messages, typed events, live updates, loading what a caller may touch."""

import hashlib
from datetime import datetime

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.chat.models import ChatEvent, ChatEventCode, ChatMessage, Conversation
from kefu.core.errors import NotFound, ValidationFailed
from kefu.realtime.bus import publish_after_commit

BODY_LIMIT = 4000


def token_hash(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def emit(conv: Conversation, code: ChatEventCode, *, actor: User | None, at: datetime,
         params: dict | None = None) -> ChatEvent:
    """Record one typed event of the chat (codes and ids only)."""
    return ChatEvent.objects.create(conversation=conv, code=code, actor=actor, at=at, params=params or {})


def clean_body(body: str, *, field: str = "body", required: bool = True) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if required and not body:
        raise ValidationFailed(_("The message is empty."), code="required", field=field)
    if len(body) > BODY_LIMIT:
        raise ValidationFailed(_("At most %(n)s characters.") % {"n": BODY_LIMIT}, code="too_long", field=field,
                               params={"limit": BODY_LIMIT})
    return body


def message_out(msg: ChatMessage, *, author: User | None = None) -> dict:
    """A message as the streams and the JSON endpoints send it; the body is text, shown with textContent."""
    author = author if author is not None else (msg.author if msg.author_id else None)
    return {"type": "message", "conv": msg.conversation_id, "seq": msg.seq, "kind": msg.kind, "body": msg.body,
            "image": bool(msg.image_type), "meta": msg.meta, "at": msg.created_at.isoformat(),
            "author_no": (author.agent_no or "") if author else "",
            "author_name": author.label if author else ""}


def post(conv: Conversation, kind: str, body: str, *, author: User | None, at: datetime, meta: dict | None = None,
         image: bytes | None = None, image_type: str = "", also: dict | None = None) -> ChatMessage:
    """Append a message with the conversation's next sequence number and announce it after the commit.

    The counter is bumped by one UPDATE, which locks the conversation's row until the commit, so two messages
    of one chat never get the same number, and a reader that has seen number n has seen everything before it."""
    # `also`: other columns of the conversation the caller changes, written by the same UPDATE.
    Conversation.objects.filter(pk=conv.pk).update(last_seq=F("last_seq") + 1, **(also or {}))
    seq = Conversation.objects.filter(pk=conv.pk).values_list("last_seq", flat=True).get()
    conv.last_seq = seq
    msg = ChatMessage.objects.create(conversation=conv, seq=seq, kind=kind, body=body, author=author, meta=meta or {},
                                     image=image, image_type=image_type, created_at=at)
    announce(conv, message_out(msg, author=author), public=msg.public)
    return msg


def announce(conv: Conversation, event: dict, *, public: bool = True, agent_id: int | None = None) -> None:
    """Send an event to the customer's stream (when public), to staff watching the chat, and to its agent's desk."""
    event = {"conv": conv.pk, **event}
    if public:
        publish_after_commit(f"conv:{conv.pk}", event)
    publish_after_commit(f"staff:{conv.pk}", event)
    desk = agent_id if agent_id is not None else conv.agent_id
    if desk:
        publish_after_commit(f"user:{desk}", event)


def queue_changed(team_id: int) -> None:
    """Tell the team lead's live list (and the supervisors') to refresh."""
    publish_after_commit(f"team:{team_id}", {"type": "queue", "team": team_id})
    publish_after_commit("center", {"type": "queue", "team": team_id})


def load_visitor_conversation(token: str, *, lock: bool = False) -> Conversation:
    """The chat a visitor's token belongs to; a wrong token is 404, as if the chat did not exist."""
    qs = Conversation.objects.select_for_update() if lock else Conversation.objects
    conv = qs.select_related("widget", "team").filter(visitor_key=token_hash(token)).first() if token else None
    if conv is None:
        raise NotFound(_("No such chat."), field="token")
    return conv


def load_staff_conversation(actor: User | None, conv_id: int, *, lock: bool = False) -> Conversation:
    """A chat the actor may see (visible_to); otherwise 404."""
    qs = Conversation.objects.all() if actor is None else Conversation.objects.visible_to(actor)
    if lock:
        qs = qs.select_for_update()
    conv = qs.select_related("widget", "team", "agent").filter(pk=conv_id).first()
    if conv is None:
        raise NotFound(_("No such chat."), field="conversation_id")
    return conv
