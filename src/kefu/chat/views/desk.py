"""The agent's chat desk and the team lead's live view: pages, and the JSON actions their scripts call."""

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from kefu.accounts.models import Team, User
from kefu.chat import selectors
from kefu.chat.models import ChatMessage
from kefu.chat.services import desk, routing
from kefu.chat.services.common import load_staff_conversation, message_out
from kefu.chat.views.public import image_response
from kefu.core.errors import ServiceError, ValidationFailed
from kefu.presence import services as presence
from kefu.presence.models import State
from kefu.web.htmx import page, render


def _error(exc: ServiceError) -> JsonResponse:
    return JsonResponse({"error": {"code": exc.code, "message": str(exc.message), "field": exc.field,
                                   "params": exc.params}}, status=exc.status)


def _data(request) -> dict:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}
    return request.POST.dict()


def _int(value, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(gettext("Enter a whole number."), code="invalid", field=field) from None


def action(view):
    """A logged-in staff JSON action with the error contract."""
    from functools import wraps

    @login_required
    @require_POST
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.can_handle_tickets():
            raise PermissionDenied
        try:
            return view(request, *args, **kwargs)
        except ServiceError as exc:
            return _error(exc)

    return wrapper


@login_required
@page
def desk_page(request):
    if not request.user.can_handle_tickets():
        raise PermissionDenied
    context = selectors.desk_context(request.user)
    return render(request, "chat/desk.html", context)


@login_required
@require_GET
@page
def conversation_json(request, conv_id: int):
    """A chat for the desk: its messages after ?after=, the visitor and customer panel, the quick phrases."""
    after = _int(request.GET.get("after"), "after") or 0
    return JsonResponse(selectors.conversation_detail(request.user, conv_id, after=after))


@login_required
@require_GET
@page
def staff_image(request, conv_id: int, seq: int):
    conv = load_staff_conversation(request.user, conv_id)
    msg = ChatMessage.objects.filter(conversation_id=conv.pk, seq=seq).first()
    if msg is None or not msg.image_type:
        from django.http import Http404

        raise Http404
    return image_response(msg)


@action
def accept(request, conv_id: int):
    conv = routing.accept_offer(actor=request.user, conversation_id=conv_id)
    return JsonResponse({"state": conv.state})


@action
def send(request, conv_id: int):
    upload = request.FILES.get("image")
    body = request.POST.get("body", "") if upload is not None else str(_data(request).get("body", ""))
    msg = desk.agent_send(actor=request.user, conversation_id=conv_id, body=body,
                          image=upload.read() if upload is not None else None)
    return JsonResponse(message_out(msg), status=201)


@action
def typing(request, conv_id: int):
    desk.agent_typing(actor=request.user, conversation_id=conv_id)
    return JsonResponse({"ok": True})


@action
def end(request, conv_id: int):
    conv = desk.end_by_agent(actor=request.user, conversation_id=conv_id)
    return JsonResponse({"state": conv.state})


@action
def transfer(request, conv_id: int):
    data = _data(request)
    conv = desk.transfer(actor=request.user, conversation_id=conv_id,
                         to_user_id=_int(data.get("to_user"), "to_user_id"),
                         to_team_id=_int(data.get("to_team"), "to_team_id"), note=str(data.get("note", "")))
    return JsonResponse({"state": conv.state, "agent": conv.agent_id})


@action
def whisper(request, conv_id: int):
    msg = desk.whisper(actor=request.user, conversation_id=conv_id, body=str(_data(request).get("body", "")))
    return JsonResponse(message_out(msg), status=201)


@action
def take_over(request, conv_id: int):
    conv = desk.take_over(actor=request.user, conversation_id=conv_id)
    return JsonResponse({"state": conv.state})


@action
def make_ticket(request, conv_id: int):
    data = _data(request)
    ticket = desk.make_ticket(actor=request.user, conversation_id=conv_id,
                              ticket_id=_int(data.get("ticket"), "ticket_id"), type=str(data.get("type") or "inquiry"),
                              title=str(data.get("title", "")))
    return JsonResponse({"ticket": ticket.pk, "number": ticket.number}, status=201)


@action
def set_state(request):
    state = str(_data(request).get("state", ""))
    p = presence.set_state(actor=request.user, user_id=request.user.pk, state=state)
    return JsonResponse({"state": p.state, "since": p.state_since.isoformat()})


@login_required
@page
def live_page(request):
    """The team lead's live list of waiting and running chats, refreshed when the queue changes."""
    if not request.user.can_supervise():
        raise PermissionDenied
    context = selectors.live_context(request.user)
    return render(request, "chat/live.html", context, partial="chat/partials/live_list.html")


@login_required
@page
def watch_page(request, conv_id: int):
    """One chat read-only for the lead, with whisper and take over."""
    if not request.user.can_supervise():
        raise PermissionDenied
    conv = load_staff_conversation(request.user, conv_id)
    return render(request, "chat/watch.html", {"conv": conv, "states": State})


def colleagues(user: User) -> tuple[list[User], list[Team]]:
    people = list(User.objects.filter(is_active=True, team_id=user.team_id).exclude(pk=user.pk)
                  .order_by("agent_no")) if user.team_id else []
    teams = list(Team.objects.filter(is_field_crew=False).select_related("department"))
    return people, teams
