"""Routing waiting chats to agents: the right team and skills, room under capacity, oldest (or VIP) first.

Every hand-out is two conditional UPDATEs in one transaction: the agent's slot (active_chats < capacity) and
the chat (still waiting). Two routers racing for the last free slot or for the same chat both run them; the
row counts decide who won, and the loser tries the next agent or the next chat. Nobody is ever over capacity
and no chat is ever dropped: a chat leaves the queue only by being offered, and a lapsed offer puts it back
with its original place (queued_at)."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.chat.models import ChatEventCode, ChatQueue, Conversation
from kefu.chat.services.common import announce, emit, load_staff_conversation, post, queue_changed
from kefu.core.configcache import ConfigCache
from kefu.core.errors import Conflict
from kefu.presence import availability
from kefu.presence.models import AgentPresence, State
from kefu.presence.services import claim_chat_slot, release_chat_slot
from kefu.realtime.bus import publish_after_commit

log = logging.getLogger(__name__)
QUEUE_WINDOW = 500  # waiting chats looked at per routing pass (the oldest; the rest wait their turn)
Status = Conversation.State


def _load_queues() -> dict[int, ChatQueue]:
    return {q.team_id: q for q in ChatQueue.objects.all()}


# Read on every routing decision, changed rarely (by an administrator): kept per process (kefu.core.configcache).
_queues = ConfigCache("chat-queues", _load_queues, (ChatQueue,))


def queue_settings(team_id: int) -> ChatQueue:
    """The team's routing settings, or the defaults when the team has none."""
    return _queues.get().get(team_id) or ChatQueue(team_id=team_id)


@dataclass
class Candidate:
    user_id: int
    free: int
    skills: frozenset
    last_assigned_at: datetime | None


def candidates(team_id: int, at: datetime) -> list[Candidate]:
    """Available agents of the team with room, minus those a registered predicate rules out (off shift, leave).

    One query on the presence table (no count per conversation: active_chats is kept by the claims)."""
    rows = list(AgentPresence.objects.filter(team_id=team_id, state=State.AVAILABLE,
                                             active_chats__lt=F("chat_capacity"), user__is_active=True)
                .values_list("user_id", "chat_capacity", "active_chats", "skills", "last_assigned_at"))
    out = availability.unavailable([r[0] for r in rows], at)
    return [Candidate(uid, cap - held, frozenset(skills or ()), last) for uid, cap, held, skills, last in rows
            if uid not in out]


def _order(agents: list[Candidate], strategy: str) -> list[Candidate]:
    never = timezone.make_aware(datetime(2000, 1, 1))
    if strategy == ChatQueue.Strategy.ROUND_ROBIN:
        return sorted(agents, key=lambda a: (a.last_assigned_at or never, a.user_id))
    return sorted(agents, key=lambda a: (-a.free, a.last_assigned_at or never, a.user_id))


def _waiting(team_id: int, queue: ChatQueue, at: datetime) -> list[dict]:
    rows = list(Conversation.objects.filter(team_id=team_id, state=Status.WAITING).order_by("queued_at", "id")
                .values("id", "skills", "is_vip", "queued_at", "passed_over")[:QUEUE_WINDOW])
    if queue.vip_first:
        risk = at - timedelta(seconds=queue.at_risk_seconds)
        rows.sort(key=lambda r: (not (r["is_vip"] or r["queued_at"] <= risk), r["queued_at"], r["id"]))
    return rows


def pick(agents: list[Candidate], conv: dict) -> list[Candidate]:
    """Agents that can take this chat, best first; those who let its offer lapse come last."""
    need = set(conv["skills"] or ())
    fit = [a for a in agents if a.free > 0 and need <= a.skills]
    passed = set(conv["passed_over"] or ())
    return [a for a in fit if a.user_id not in passed] + [a for a in fit if a.user_id in passed]


def _offer(conv_id: int, agent: Candidate, queue: ChatQueue, at: datetime) -> bool:
    """Claim the agent's slot, then the chat; undo the slot if another router took the chat first."""
    if not claim_chat_slot(agent.user_id, at):
        agent.free = 0  # someone else filled the last slot: this agent is full
        return False
    expires = at + timedelta(seconds=queue.offer_seconds)
    won = Conversation.objects.filter(pk=conv_id, state=Status.WAITING).update(
        state=Status.OFFERED, agent_id=agent.user_id, slot_user_id=agent.user_id, offer_expires_at=expires)
    if not won:
        release_chat_slot(agent.user_id)
        return False
    agent.free -= 1
    conv = Conversation(pk=conv_id, team_id=queue.team_id, agent_id=agent.user_id)
    emit(conv, ChatEventCode.OFFERED, actor=None, at=at, params={"agent": agent.user_id})
    publish_after_commit(f"user:{agent.user_id}", {"type": "offer", "conv": conv_id, "expires": expires.isoformat()})
    return True


@transaction.atomic
def route_team(*, team_id: int, now: datetime | None = None) -> int:
    """Offer the team's waiting chats to agents with room, in queue order; returns how many were offered."""
    at = now or timezone.now()
    queue = queue_settings(team_id)
    waiting = _waiting(team_id, queue, at)
    if not waiting:
        return 0
    agents = _order(candidates(team_id, at), queue.strategy)
    offered: set[int] = set()
    for conv in waiting:
        if not any(a.free > 0 for a in agents):
            break
        for agent in pick(agents, conv):
            if _offer(conv["id"], agent, queue, at):
                offered.add(conv["id"])
                agents = _order(agents, queue.strategy)
                break
            if not Conversation.objects.filter(pk=conv["id"], state=Status.WAITING).exists():
                break  # another router offered this chat meanwhile
    if offered:
        queue_changed(team_id)
        still = [conv["id"] for conv in waiting if conv["id"] not in offered]
        transaction.on_commit(lambda: publish_positions(still))
    return len(offered)


def publish_positions(conversation_ids: list[int]) -> None:
    """Tell each waiting visitor their new place in the queue (the list is in queue order)."""
    from kefu.realtime.bus import publish

    for place, conv_id in enumerate(conversation_ids, start=1):
        publish(f"conv:{conv_id}", {"type": "queue", "position": place})


def position_of(conv: Conversation, now: datetime | None = None) -> int | None:
    """The chat's place in its team's queue (1 = next), or None when it is not waiting."""
    if conv.state != Status.WAITING:
        return None
    queue = queue_settings(conv.team_id)
    ids = [r["id"] for r in _waiting(conv.team_id, queue, now or timezone.now())]
    return ids.index(conv.pk) + 1 if conv.pk in ids else len(ids) + 1


def do_enqueue(conv: Conversation, at: datetime) -> None:
    """Put the chat in its team's queue (keeping its first place in line) and route after the commit."""
    conv.queued_at = conv.queued_at or at
    Conversation.objects.filter(pk=conv.pk).update(state=Status.WAITING, queued_at=conv.queued_at, agent=None,
                                                   offer_expires_at=None)
    conv.state, conv.agent_id = Status.WAITING, None
    emit(conv, ChatEventCode.QUEUED, actor=None, at=at, params={"team": conv.team_id})
    announce(conv, {"type": "state", "state": Status.WAITING})
    queue_changed(conv.team_id)
    team_id = conv.team_id
    transaction.on_commit(lambda: route_team(team_id=team_id))


def do_release(conv: Conversation) -> None:
    """Give back the chat slot the chat holds, once, and let the team's queue move."""
    if conv.slot_user_id:
        release_chat_slot(conv.slot_user_id)
        Conversation.objects.filter(pk=conv.pk).update(slot_user=None)
        conv.slot_user_id = None
        team_id = conv.team_id
        transaction.on_commit(lambda: route_team(team_id=team_id))


@transaction.atomic
def accept_offer(*, actor: User, conversation_id: int, now: datetime | None = None) -> Conversation:
    """The agent accepts a chat offered to them: it becomes theirs and the greeting goes out."""
    at = now or timezone.now()
    conv = load_staff_conversation(actor, conversation_id)
    won = Conversation.objects.filter(pk=conv.pk, state=Status.OFFERED, agent_id=actor.pk).update(
        state=Status.ACTIVE, accepted_at=at, offer_expires_at=None)
    if not won:
        raise Conflict(_("This chat is no longer offered to you."), code="offer_gone", field="conversation_id")
    conv.state, conv.accepted_at = Status.ACTIVE, at
    emit(conv, ChatEventCode.ACCEPTED, actor=actor, at=at)
    announce(conv, {"type": "state", "state": Status.ACTIVE, "agent_no": actor.agent_no or ""})
    _greet(conv, actor, at)
    queue_changed(conv.team_id)
    return conv


def _greet(conv: Conversation, agent: User, at: datetime) -> None:
    """The first response at once (000 篇15): the team's greeting phrase, filled in for this agent."""
    queue = queue_settings(conv.team_id)
    if not queue.auto_greeting:
        return
    from django.utils import translation

    from kefu.phrases.placeholders import fill

    with translation.override(conv.language):
        text = queue.greeting_phrase.body if queue.greeting_phrase_id else str(_(
            "Hello! Agent {agent_no} here. How can I help you?"))
    body, _missing = fill(text, actor=agent, ticket=None)
    post(conv, "agent", body, author=agent, at=at, meta={"greeting": True})
    Conversation.objects.filter(pk=conv.pk, first_response_at__isnull=True).update(first_response_at=at)


def expire_offers(*, now: datetime | None = None) -> int:
    """Offers not accepted in time go back to the queue (same place) and on to the next agent."""
    at = now or timezone.now()
    lapsed = list(Conversation.objects.filter(state=Status.OFFERED, offer_expires_at__lte=at)
                  .values_list("pk", flat=True)[:200])
    teams = set()
    for conv_id in lapsed:
        with transaction.atomic():
            conv = Conversation.objects.filter(pk=conv_id, state=Status.OFFERED, offer_expires_at__lte=at).first()
            if conv is None:
                continue
            agent_id = conv.agent_id
            won = Conversation.objects.filter(pk=conv.pk, state=Status.OFFERED, agent_id=agent_id).update(
                state=Status.WAITING, agent=None, offer_expires_at=None,
                passed_over=sorted({*(conv.passed_over or []), agent_id}))
            if not won:
                continue
            conv.state = Status.WAITING
            do_release(conv)
            emit(conv, ChatEventCode.OFFER_LAPSED, actor=None, at=at, params={"agent": agent_id})
            publish_after_commit(f"user:{agent_id}", {"type": "offer_gone", "conv": conv.pk})
            queue_changed(conv.team_id)
            teams.add(conv.team_id)
    return len(lapsed)


def on_presence_change(user_id: int, team_id: int | None, state: str) -> None:
    """An agent became available or got room: hand them the team's waiting chats."""
    if team_id and state == State.AVAILABLE:
        try:
            route_team(team_id=team_id)
        except Exception:  # noqa: BLE001 — the state change has committed; the ticker routes again shortly
            log.exception("chat routing after a presence change failed")


def route_all(*, now: datetime | None = None) -> int:
    """Route every team that has waiting chats (the ticker's safety net)."""
    teams = set(Conversation.objects.filter(state=Status.WAITING).values_list("team_id", flat=True).distinct())
    return sum(route_team(team_id=t, now=now) for t in teams)
