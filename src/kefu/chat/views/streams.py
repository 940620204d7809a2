"""The live streams (server-sent events), held by the ASGI event loop: the visitor's chat, the agent's desk, one
chat watched by a lead, and the lead's live list.

Messages carry their sequence number as the SSE id. A stream subscribes first and reads the database second,
so nothing published in between is missed; anything already sent (seq ≤ last) is skipped, so nothing shows
twice; a gap in the numbers (a whisper the visitor must not see, or an event the bus dropped) is filled from
the database. After a dropped connection the browser reconnects with Last-Event-ID and gets what it missed."""

from asgiref.sync import sync_to_async
from django.http import HttpResponse

from kefu.chat.models import ChatMessage, Conversation
from kefu.chat.services.common import load_visitor_conversation, message_out
from kefu.chat.services.routing import position_of
from kefu.chat.views.public import origin_allowed, public_messages
from kefu.core.errors import ServiceError
from kefu.realtime import sse
from kefu.realtime.bus import hub


def _visitor(token):
    conv = load_visitor_conversation(token)
    return conv, conv.widget, position_of(conv)


async def visitor_events(request):
    token = request.GET.get("token", "")
    try:
        conv, widget, position = await sync_to_async(_visitor)(token)
    except ServiceError:
        return HttpResponse(status=404)
    if not origin_allowed(request, widget):
        return HttpResponse(status=403)
    after = sse.last_event_id(request)
    sub = hub().subscribe({f"conv:{conv.pk}"})
    hello = {"state": conv.state, "position": position, "rating": conv.rating}
    return sse.response(_conversation_stream(sub, conv.pk, after, hello, public=True))


def _messages(conv_id: int, after: int, upto: int | None, public: bool) -> list[dict]:
    if public:
        return public_messages(conv_id, after, upto)
    qs = (ChatMessage.objects.filter(conversation_id=conv_id, seq__gt=after).select_related("author")
          .defer("image").order_by("seq"))
    if upto is not None:
        qs = qs.filter(seq__lte=upto)
    return [message_out(m) for m in qs[:500]]


async def _conversation_stream(sub, conv_id: int, after: int, hello: dict, *, public: bool):
    last = after
    try:
        yield f"retry: {sse.RETRY_MS}\n\n".encode()
        yield sse.frame("hello", hello)
        for msg in await sync_to_async(_messages)(conv_id, last, None, public):
            last = msg["seq"]
            yield sse.frame("message", msg, id=last)
        while True:
            item = await sub.get(sse.KEEPALIVE_SECONDS)
            if item is None:
                yield sse.comment("keep-alive")
                continue
            _topic, event = item
            if event.get("type") != "message":
                yield sse.frame(event.get("type", "event"), event)
                continue
            seq = event["seq"]
            if seq <= last:
                continue
            if seq > last + 1 or sub.overflowed:
                for msg in await sync_to_async(_messages)(conv_id, last, seq, public):
                    last = msg["seq"]
                    yield sse.frame("message", msg, id=last)
                sub.overflowed = False
                continue
            last = seq
            yield sse.frame("message", event, id=seq)
    finally:
        sub.close()


def _staff_conv(user, conv_id):
    from kefu.chat.services.common import load_staff_conversation

    conv = load_staff_conversation(user, conv_id)
    return conv, {"state": conv.state, "agent": conv.agent_id}


async def staff_conversation_events(request, conv_id: int):
    """One chat for staff (the lead's read-only view): every message, whispers included."""
    user = await request.auser()
    if not user.is_authenticated:
        return HttpResponse(status=401)
    try:
        conv, hello = await sync_to_async(_staff_conv)(user, conv_id)
    except ServiceError:
        return HttpResponse(status=404)
    sub = hub().subscribe({f"staff:{conv.pk}"})
    return sse.response(_conversation_stream(sub, conv.pk, sse.last_event_id(request), hello, public=False))


def _held(user) -> list[int]:
    return list(Conversation.objects.filter(agent_id=user.pk, state__in=[Conversation.State.OFFERED,
                                                                         Conversation.State.ACTIVE])
                .values_list("pk", flat=True))


async def desk_events(request):
    """The agent's desk: offers, assignments and the messages of every chat they hold, on one stream.

    The desk keeps each chat's last sequence number itself and catches up over JSON after a reconnect."""
    user = await request.auser()
    if not user.is_authenticated:
        return HttpResponse(status=401)
    sub = hub().subscribe({f"user:{user.pk}"})
    return sse.response(_desk_stream(sub))


async def _desk_stream(sub):
    try:
        yield f"retry: {sse.RETRY_MS}\n\n".encode()
        yield sse.frame("hello", {})
        while True:
            item = await sub.get(sse.KEEPALIVE_SECONDS)
            if item is None:
                yield sse.comment("keep-alive")
                continue
            _topic, event = item
            yield sse.frame(event.get("type", "event"), event, id=None)
    finally:
        sub.close()


async def live_events(request):
    """The lead's live list: a nudge on every queue change of their team (or the center's, for supervisors)."""
    user = await request.auser()
    if not user.is_authenticated or not user.can_supervise():
        return HttpResponse(status=403)
    topic = f"team:{user.team_id}" if user.team_id else "center"
    sub = hub().subscribe({topic})
    return sse.response(_desk_stream(sub))
