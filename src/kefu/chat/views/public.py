"""The widget's public side: the loader script, the chat page inside the iframe, and its JSON endpoints.

No login: a chat is reached only with the visitor's secret token (sent in the X-Chat-Token header, or as
?token= for the event stream, which EventSource cannot give headers). Every endpoint is rate-limited per visitor
and per address and answers only the widget's own origin list (and kefu's own origin, where the iframe runs)."""

import json

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _t
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from kefu.chat import ratelimit
from kefu.chat.models import ChatMessage, Conversation, Widget
from kefu.chat.services import offline, visitor
from kefu.chat.services.common import load_visitor_conversation, message_out
from kefu.chat.services.routing import position_of
from kefu.core.errors import ServiceError


def _error(exc: ServiceError) -> JsonResponse:
    return JsonResponse({"error": {"code": exc.code, "message": str(exc.message), "field": exc.field,
                                   "params": exc.params}}, status=exc.status)


def _refuse(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, "field": None, "params": {}}}, status=status)


def own_origin(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def origin_allowed(request, widget: Widget) -> bool:
    """The browser's Origin (absent on same-origin GETs) is kefu itself or one of the widget's sites."""
    origin = request.headers.get("Origin")
    return not origin or origin == own_origin(request) or origin.rstrip("/") in widget.origins()


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR") or "-"


def _body(request) -> dict:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}
    return request.POST.dict()


def _cors(response, request, widget: Widget):
    origin = request.headers.get("Origin")
    if origin and origin.rstrip("/") in widget.origins():
        response["Access-Control-Allow-Origin"] = origin
        response["Vary"] = "Origin"
    return response


def guarded(view):
    """Rate limit, origin check and the error contract around one public endpoint."""
    from functools import wraps

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        token = request.headers.get("X-Chat-Token") or request.GET.get("token") or ""
        if not ratelimit.allowed(address=_address(request), visitor=token):
            return _refuse("rate_limited", _t("Too many requests; wait a minute."), 429)
        try:
            widget = kwargs.pop("widget", None)
            if widget is None and "key" in kwargs:
                widget = visitor.load_widget(kwargs.pop("key"))
            if widget is None:
                conv = load_visitor_conversation(token)
                widget = conv.widget
                kwargs["conv"] = conv
            if not origin_allowed(request, widget):
                return _refuse("origin_not_allowed", _t("This site may not use the chat."), 403)
            kwargs["token"] = token
            return _cors(view(request, widget, *args, **kwargs), request, widget)
        except ServiceError as exc:
            return _error(exc)

    return wrapper


@require_GET
def embed_js(request):
    """The one script a site embeds: it adds the chat button and the iframe, both served by kefu."""
    body = render_to_string("chat/embed.js", {"base": own_origin(request)})
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
@xframe_options_exempt
def widget_page(request, key: str):
    """The chat itself, in the iframe; only the widget's sites may frame it (CSP frame-ancestors)."""
    try:
        widget = visitor.load_widget(key)
    except ServiceError:
        return HttpResponse(status=404)
    language = request.GET.get("lang") or translation.get_language()
    language = "en" if language.startswith("en") else "zh-hans"
    with translation.override(language):
        html = render_to_string("chat/widget.html", {
            "widget": widget, "language": language, "open": visitor.is_open(widget, timezone.now()),
            "hours": _hours(widget), "max_image": request_max_image(),
            "emoji": EMOJI}, request=request)
    response = HttpResponse(html)
    ancestors = " ".join(["'self'", *widget.origins()])
    response["Content-Security-Policy"] = (f"frame-ancestors {ancestors}; default-src 'self'; img-src 'self' data: "
                                           "blob:; style-src 'self'; script-src 'self'; object-src 'none'")
    return response


EMOJI = ["😀", "🙂", "😂", "👍", "🙏", "😢", "😡", "❤️"]


def request_max_image() -> int:
    from django.conf import settings

    return settings.CHAT_IMAGE_MAX_BYTES


def _hours(widget: Widget) -> str:
    if widget.calendar_id is None:
        return ""
    hours = widget.calendar.hours or {}
    return hours.get("0", "")


@require_POST
@guarded
def start(request, widget, *, token):
    data = _body(request)
    conv, secret = visitor.start_chat(widget_key=widget.key, data=visitor.VisitorInput(
        name=str(data.get("name", "")), phone=str(data.get("phone", "")), email=str(data.get("email", "")),
        language=str(data.get("language", "zh-hans")), question=str(data.get("question", ""))))
    return JsonResponse({"token": secret, "state": conv.state, "position": position_of(conv)}, status=201)


@require_POST
@guarded
def leave(request, widget, *, token):
    data = _body(request)
    conv = offline.leave_message(widget_key=widget.key, body=str(data.get("body", "")), data=visitor.VisitorInput(
        name=str(data.get("name", "")), phone=str(data.get("phone", "")), email=str(data.get("email", ""))))
    return JsonResponse({"state": conv.state}, status=201)


@require_POST
@guarded
def send(request, widget, *, token, conv):
    upload = request.FILES.get("image")
    if upload is not None:
        if upload.size > request_max_image():
            from kefu.chat.uploads import clean_image

            try:
                clean_image(b"\0" * (request_max_image() + 1))
            except ServiceError as exc:
                return _error(exc)
        msg = visitor.send_message(token=token, body=request.POST.get("body", ""), image=upload.read())
    else:
        msg = visitor.send_message(token=token, body=str(_body(request).get("body", "")))
    return JsonResponse(message_out(msg), status=201)


@require_POST
@guarded
def typing(request, widget, *, token, conv):
    visitor.typing(token=token)
    return JsonResponse({"ok": True})


@require_POST
@guarded
def ask_agent(request, widget, *, token, conv):
    conv = visitor.ask_for_agent(token=token)
    return JsonResponse({"state": conv.state})


@require_POST
@guarded
def helped(request, widget, *, token, conv):
    conv = visitor.answer_helped(token=token, helped=bool(_body(request).get("helped")))
    return JsonResponse({"state": conv.state})


@require_POST
@guarded
def end(request, widget, *, token, conv):
    conv = visitor.end_chat(token=token)
    return JsonResponse({"state": conv.state})


@require_POST
@guarded
def rate(request, widget, *, token, conv):
    data = _body(request)
    score = data.get("score")
    score = int(score) if isinstance(score, str) and score.isdigit() else score
    conv = visitor.rate_chat(token=token, score=score, comment=str(data.get("comment", "")))
    return JsonResponse({"rating": conv.rating})


@require_POST
@guarded
def transcript(request, widget, *, token, conv):
    data = _body(request)
    offline.send_transcript(token=token, email=str(data.get("email", "")), phone=str(data.get("phone", "")))
    return JsonResponse({"ok": True})


@require_GET
@guarded
def history(request, widget, *, token, conv):
    """The public messages after ?after= (the widget's catch-up when it opens)."""
    after = int(request.GET.get("after", "0")) if request.GET.get("after", "0").isdigit() else 0
    rows = public_messages(conv.pk, after)
    return JsonResponse({"state": conv.state, "position": position_of(conv), "messages": rows,
                         "rating": conv.rating})


def public_messages(conv_id: int, after: int, upto: int | None = None) -> list[dict]:
    qs = (ChatMessage.objects.filter(conversation_id=conv_id, seq__gt=after).exclude(kind=ChatMessage.Kind.WHISPER)
          .select_related("author").defer("image").order_by("seq"))
    if upto is not None:
        qs = qs.filter(seq__lte=upto)
    return [message_out(m) for m in qs[:500]]


@require_GET
@guarded
def image(request, widget, seq: int, *, token, conv):
    msg = ChatMessage.objects.filter(conversation_id=conv.pk, seq=seq).exclude(kind=ChatMessage.Kind.WHISPER).first()
    if msg is None or not msg.image_type:
        return HttpResponse(status=404)
    return image_response(msg)


def image_response(msg: ChatMessage) -> HttpResponse:
    response = HttpResponse(bytes(msg.image), content_type=msg.image_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def conversation_state(conv: Conversation) -> dict:
    return {"state": conv.state, "position": position_of(conv)}
