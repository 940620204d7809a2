"""Server-sent events: the response, the wire format and the keep-alive that proxies need."""

import json

from django.http import StreamingHttpResponse

KEEPALIVE_SECONDS = 15  # below the idle timeouts of common reverse proxies (nginx: 60 s)
RETRY_MS = 1500  # how soon the browser's EventSource reconnects after a dropped connection


def frame(event: str, data: dict, *, id: int | None = None) -> bytes:
    """One SSE frame; `id` becomes the browser's Last-Event-ID when it reconnects."""
    head = f"id: {id}\n" if id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


def comment(text: str = "") -> bytes:
    return f": {text}\n\n".encode()


def response(stream) -> StreamingHttpResponse:
    """A text/event-stream response over an async iterator of bytes; nothing in between may buffer it."""
    resp = StreamingHttpResponse(stream, content_type="text/event-stream; charset=utf-8")
    resp["Cache-Control"] = "no-cache, no-transform"
    resp["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return resp


def last_event_id(request) -> int:
    """The sequence number the client saw last: EventSource's header on reconnect, or ?after= on first connect."""
    raw = request.headers.get("Last-Event-ID") or request.GET.get("after") or "0"
    try:
        return max(0, int(raw))
    except ValueError:
        return 0
