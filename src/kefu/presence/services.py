"""Every change of an agent's presence: state (by hand, by a lead, by the telephony system), capacity, skills,
and the chat slots the router claims."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.core.errors import Forbidden, NotFound, ValidationFailed
from kefu.presence.models import AgentPresence, PresenceSpan, Reason, State
from kefu.realtime.bus import publish

# Called after the commit of a state change with (user_id, team_id, state): the chat router registers one
# to hand waiting chats to an agent who has just become available.
_LISTENERS: list[Callable[[int, int | None, str], None]] = []

MAX_CAPACITY = 20
SKILL_LIMIT = 20


def on_change(listener: Callable[[int, int | None, str], None]) -> None:
    """Register a listener for state and capacity changes (once)."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def _notify(p: AgentPresence) -> None:
    event = {"type": "presence", "user": p.user_id, "state": p.state, "since": p.state_since.isoformat(),
             "chats": p.active_chats, "capacity": p.chat_capacity}
    user_id, team_id, state = p.user_id, p.team_id, p.state

    def after():
        publish(f"user:{user_id}", event)
        if team_id:
            publish(f"team:{team_id}", event)
        for listener in _LISTENERS:
            listener(user_id, team_id, state)

    transaction.on_commit(after)


def load_presence(user: User, *, now: datetime | None = None, lock: bool = False) -> AgentPresence:
    """The agent's presence row, made (offline) on first use."""
    qs = AgentPresence.objects.select_for_update() if lock else AgentPresence.objects
    presence = qs.filter(user_id=user.pk).first()
    if presence is None:
        at = now or timezone.now()
        presence, _created = AgentPresence.objects.get_or_create(
            user_id=user.pk, defaults={"team_id": user.team_id, "state": State.OFFLINE, "state_since": at})
        if _created:
            PresenceSpan.objects.create(user_id=user.pk, state=State.OFFLINE, started_at=at, reason=Reason.SESSION)
    return presence


def _may_set(actor: User | None, user: User) -> bool:
    if actor is None or actor.pk == user.pk:
        return True
    if actor.can_administer():
        return True
    return actor.can_supervise() and (actor.team_id is None or actor.team_id == user.team_id)


def _target(actor: User | None, user_id: int) -> User:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.can_handle_tickets():
        raise NotFound(_("No such agent."), field="user_id")
    if not _may_set(actor, user):
        raise Forbidden(_("Only the agent or their team lead may change this."), code="not_your_agent")
    return user


def do_set_state(presence: AgentPresence, state: str, reason: str, at: datetime) -> AgentPresence:
    """Close the open span and open one for `state` (no checks: callers have made them)."""
    if presence.state == state:
        return presence
    PresenceSpan.objects.filter(user_id=presence.user_id, ended_at__isnull=True).update(ended_at=at,
                                                                                       end_reason=reason)
    PresenceSpan.objects.create(user_id=presence.user_id, state=state, started_at=at, reason=reason)
    AgentPresence.objects.filter(pk=presence.pk).update(state=state, state_since=at, version=F("version") + 1)
    presence.state, presence.state_since = state, at
    presence.version += 1
    _notify(presence)
    return presence


@transaction.atomic
def set_state(*, actor: User | None, user_id: int, state: str, reason: str = "",
              now: datetime | None = None) -> AgentPresence:
    """Set an agent's state (在线/空闲, 忙碌, 小休, 培训, 离线) by hand, by their lead or by the telephony system."""
    if state not in State.values:
        raise ValidationFailed(_("Unknown state."), code="invalid_choice", field="state",
                               params={"allowed": list(State.values)})
    if reason and reason not in Reason.values:
        raise ValidationFailed(_("Unknown reason."), code="invalid_choice", field="reason")
    user = _target(actor, user_id)
    at = now or timezone.now()
    reason = reason or (Reason.MANUAL if actor is not None and actor.pk == user.pk else
                        Reason.LEAD if actor is not None else Reason.TELEPHONY)
    presence = load_presence(user, now=at, lock=True)
    presence.resume_state = ""
    AgentPresence.objects.filter(pk=presence.pk).update(resume_state="", team_id=user.team_id)
    presence.team_id = user.team_id
    return do_set_state(presence, state, reason, at)


@transaction.atomic
def report_call(*, actor: User | None, user_id: int, on_call: bool, now: datetime | None = None) -> AgentPresence:
    """The telephony system says the agent took or ended a call: busy while on it, then the state before."""
    user = _target(actor, user_id)
    at = now or timezone.now()
    presence = load_presence(user, now=at, lock=True)
    if on_call:
        resume = presence.resume_state or presence.state
        calls = min(presence.active_calls + 1, presence.call_capacity or 1)
        AgentPresence.objects.filter(pk=presence.pk).update(resume_state=resume, active_calls=calls)
        presence.resume_state, presence.active_calls = resume, calls
        return do_set_state(presence, State.BUSY, Reason.TELEPHONY, at)
    resume = presence.resume_state
    AgentPresence.objects.filter(pk=presence.pk).update(resume_state="", active_calls=0)
    presence.resume_state, presence.active_calls = "", 0
    if resume and presence.state == State.BUSY:
        return do_set_state(presence, resume, Reason.TELEPHONY, at)
    return presence


@dataclass
class CapacityInput:
    """What a lead sets for an agent: chats and calls at a time, and the skills the router matches."""

    chat_capacity: int
    call_capacity: int = 1
    skills: list[str] | None = None


def _clean_capacity(data: CapacityInput, held: int) -> list[str]:
    errors = []
    for name in ("chat_capacity", "call_capacity"):
        value = getattr(data, name)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_CAPACITY:
            errors.append(ValidationFailed(_("Enter a whole number from 0 to %(max)s.") % {"max": MAX_CAPACITY},
                                           code="out_of_range", field=name, params={"max": MAX_CAPACITY}))
    if not errors and data.chat_capacity < held:
        errors.append(ValidationFailed(_("The agent holds %(n)s chats now; end or transfer some first.")
                                       % {"n": held}, code="below_held", field="chat_capacity",
                                       params={"held": held}))
    skills = sorted({str(s).strip().lower() for s in (data.skills or []) if str(s).strip()})
    if len(skills) > SKILL_LIMIT or any(len(s) > 40 for s in skills):
        errors.append(ValidationFailed(_("At most %(n)s skills of 40 characters each.") % {"n": SKILL_LIMIT},
                                       code="too_long", field="skills"))
    if errors:
        raise errors[0]
    return skills


@transaction.atomic
def set_capacity(*, actor: User | None, user_id: int, data: CapacityInput,
                 now: datetime | None = None) -> AgentPresence:
    """Set an agent's capacity per channel and skills (team lead or administrator)."""
    if actor is not None and not actor.can_supervise():
        raise Forbidden(_("Only a team lead or supervisor may set capacity."), code="not_lead")
    user = _target(actor, user_id)
    presence = load_presence(user, now=now, lock=True)
    skills = _clean_capacity(data, presence.active_chats)
    AgentPresence.objects.filter(pk=presence.pk).update(
        chat_capacity=data.chat_capacity, call_capacity=data.call_capacity, skills=skills,
        version=F("version") + 1)
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="presence", target_id=user.pk,
           params={"chat_capacity": data.chat_capacity, "call_capacity": data.call_capacity, "skills": skills})
    presence.refresh_from_db()
    _notify(presence)
    return presence


# -- chat slots: claimed by the router inside its own transaction ------------------------------------------


def claim_chat_slot(user_id: int, at: datetime) -> bool:
    """Take one chat slot of an available agent with room; False when another chat took the last one first.

    One conditional UPDATE: two routers that both saw a free slot cannot both take it (the row count says who
    won), so nobody is ever over capacity."""
    return AgentPresence.objects.filter(
        pk=user_id, state=State.AVAILABLE, active_chats__lt=F("chat_capacity"),
    ).update(active_chats=F("active_chats") + 1, last_assigned_at=at) == 1


def take_chat_slot_any_state(user_id: int) -> bool:
    """Take a slot whatever the state (a transfer to a named colleague, a lead taking over); never over capacity."""
    return AgentPresence.objects.filter(pk=user_id, active_chats__lt=F("chat_capacity")).update(
        active_chats=F("active_chats") + 1) == 1


def release_chat_slot(user_id: int) -> None:
    """Give back a chat slot (the chat ended, was transferred, or the offer lapsed)."""
    AgentPresence.objects.filter(pk=user_id, active_chats__gt=0).update(active_chats=F("active_chats") - 1)
