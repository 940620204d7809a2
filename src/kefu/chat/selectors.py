"""Read queries of the chat: the agent's desk, one chat with its customer panel, the lead's live list, counts."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from kefu.chat.models import ChatMessage, Conversation
from kefu.chat.services.common import load_staff_conversation, message_out
from kefu.core.pii import mask_email, mask_phone
from kefu.presence.models import AgentPresence, State
from kefu.presence.services import load_presence

Status = Conversation.State
LIVE = [Status.ASSISTANT, Status.WAITING, Status.OFFERED, Status.ACTIVE]


def _phrases(user) -> list[dict]:
    """The quick phrases the agent may insert, placeholders filled for this agent ({customer_name} by the desk)."""
    from kefu.phrases.placeholders import fill
    from kefu.phrases.selectors import phrases_for

    out = []
    for p in phrases_for(user)[:40]:
        text, _missing = fill(p.body.replace("{customer_name}", "\x00"), actor=user, ticket=None)
        out.append({"id": p.pk, "title": p.title, "text": text.replace("\x00", "{customer_name}")})
    return out


def desk_context(user) -> dict:
    """The desk page: the agent's presence, the chats offered to or held by them, transfer targets, phrases."""
    from kefu.chat.views.desk import colleagues

    presence = load_presence(user)
    chats = list(Conversation.objects.filter(agent_id=user.pk, state__in=[Status.OFFERED, Status.ACTIVE])
                 .order_by("accepted_at", "id").values("id", "state", "visitor_name", "offer_expires_at"))
    people, teams = colleagues(user)
    return {"presence": presence, "states": State.choices, "chats": chats, "people": people, "teams": teams,
            "phrases": _phrases(user)}


def _customer_panel(user, conv: Conversation) -> dict:
    from kefu.tickets.models import Ticket

    panel = {"name": conv.visitor_name, "phone": mask_phone(conv.visitor_phone) if conv.visitor_phone else "",
             "email": mask_email(conv.visitor_email) if conv.visitor_email else "", "customer": None,
             "tickets": [], "chats": []}
    if conv.customer_id:
        c = conv.customer
        panel["customer"] = {"id": c.pk, "name": c.name, "tier": str(c.get_tier_display()), "vip": conv.is_vip}
        tickets = (Ticket.objects.visible_to(user).filter(customer_id=c.pk).order_by("-created_at")
                   .only("id", "title", "status", "channel", "created_at", "is_open")[:5])
        panel["tickets"] = [{"id": t.pk, "number": t.number, "title": t.title, "status": str(t.get_status_display()),
                             "channel": str(t.get_channel_display()), "open": t.is_open} for t in tickets]
        earlier = Q(customer_id=c.pk)
    elif conv.visitor_phone:
        earlier = Q(visitor_phone=conv.visitor_phone)
    else:
        earlier = None
    if earlier is not None:
        panel["chats"] = [{"id": x["id"], "at": x["created_at"].isoformat(), "question": x["first_question"]}
                          for x in Conversation.objects.filter(earlier).exclude(pk=conv.pk).order_by("-created_at")
                          .values("id", "created_at", "first_question")[:5]]
    return panel


def conversation_detail(user, conv_id: int, *, after: int = 0) -> dict:
    """One chat for staff: state, messages after `after` (whispers too), the customer panel."""
    conv = load_staff_conversation(user, conv_id)
    if conv.customer_id:
        conv = Conversation.objects.select_related("customer").get(pk=conv.pk)
    messages = [message_out(m) for m in ChatMessage.objects.filter(conversation_id=conv.pk, seq__gt=after)
                .select_related("author").defer("image").order_by("seq")[:500]]
    return {"id": conv.pk, "state": conv.state, "agent": conv.agent_id, "language": conv.language,
            "ticket": conv.ticket.number if conv.ticket_id else "", "ticket_id": conv.ticket_id,
            "offer_expires": conv.offer_expires_at.isoformat() if conv.offer_expires_at else None,
            "messages": messages, "visitor": _customer_panel(user, conv)}


def live_context(user, *, now=None) -> dict:
    """The lead's live list: waiting and running chats with wait times, the agents' states, today's assistant."""
    now = now or timezone.now()
    chats = list(Conversation.objects.visible_to(user).filter(state__in=LIVE).select_related("agent", "team")
                 .order_by("queued_at", "created_at")[:200])
    for c in chats:
        since = c.accepted_at if c.state == Status.ACTIVE else (c.queued_at or c.created_at)
        c.seconds = int((now - since).total_seconds()) if since else 0
    agents = AgentPresence.objects.select_related("user").exclude(state=State.OFFLINE)
    if user.team_id:
        agents = agents.filter(team_id=user.team_id)
    agents = list(agents.order_by("user__agent_no")[:200])
    for a in agents:
        a.seconds = int((now - a.state_since).total_seconds())
    day = now - timedelta(hours=24)
    counts = (Conversation.objects.visible_to(user).filter(created_at__gte=day)
              .aggregate(solved=Count("id", filter=Q(assistant_outcome=Conversation.Outcome.SOLVED)),
                         handed=Count("id", filter=Q(assistant_outcome=Conversation.Outcome.HANDED_OVER))))
    missed = list(Conversation.objects.visible_to(user).filter(created_at__gte=day,
                                                               assistant_outcome=Conversation.Outcome.HANDED_OVER)
                  .exclude(first_question="").order_by("-created_at").values_list("first_question", flat=True)[:10])
    return {"chats": chats, "waiting": sum(1 for c in chats if c.state == Status.WAITING),
            "agents": agents, "assistant": counts, "missed_questions": missed, "now": now}
