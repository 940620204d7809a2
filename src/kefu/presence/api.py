"""Presence endpoints: the team's board, and state changes by the agent, the lead or the telephony system."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from kefu.api.schemas import ERRORS
from kefu.core.errors import Forbidden
from kefu.presence import services
from kefu.presence.models import AgentPresence
from kefu.presence.selectors import board_rows

router = Router(tags=["presence"])


class PresenceOut(Schema):
    user_id: int
    agent_no: str
    state: str
    state_since: datetime
    seconds_in_state: int
    active_chats: int
    chat_capacity: int
    active_calls: int
    call_capacity: int
    skills: list[str]


class StateIn(Schema):
    state: str
    reason: str = ""


class PresenceCallIn(Schema):
    on_call: bool


def presence_out(p: AgentPresence, now: datetime) -> dict:
    return {"user_id": p.user_id, "agent_no": p.user.agent_no or "", "state": p.state, "state_since": p.state_since,
            "seconds_in_state": int((now - p.state_since).total_seconds()), "active_chats": p.active_chats,
            "chat_capacity": p.chat_capacity, "active_calls": p.active_calls, "call_capacity": p.call_capacity,
            "skills": p.skills}


@router.get("", response={200: list[PresenceOut], **ERRORS})
def board(request):
    """The agents of the lead's team (the whole center for a lead without a team) with time in state."""
    if not request.auth.can_supervise():
        raise Forbidden(_("Only a team lead or supervisor may see the board."), code="not_lead")
    now = timezone.now()
    return [presence_out(p, now) for p in board_rows(request.auth, now=now)]


@router.post("/{user_id}/state", response={200: PresenceOut, **ERRORS})
def set_state(request, user_id: int, payload: StateIn):
    """Set the state by hand (the agent), by the team lead, or by the telephony system's account."""
    p = services.set_state(actor=request.auth, user_id=user_id, state=payload.state, reason=payload.reason)
    return presence_out(AgentPresence.objects.select_related("user").get(pk=p.pk), timezone.now())


@router.post("/{user_id}/call", response={200: PresenceOut, **ERRORS})
def call(request, user_id: int, payload: PresenceCallIn):
    """The telephony system: the agent took a call (busy) or ended it (back to the state before)."""
    p = services.report_call(actor=request.auth, user_id=user_id, on_call=payload.on_call)
    return presence_out(AgentPresence.objects.select_related("user").get(pk=p.pk), timezone.now())
