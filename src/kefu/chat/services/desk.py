"""What agents and team leads do with a chat: reply, end, transfer with a note, whisper, take over, and turn
the chat into a ticket (or add it to the customer's open one) with the transcript."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import Team, User
from kefu.chat.models import ChatEventCode, Conversation
from kefu.chat.services.common import announce, clean_body, emit, load_staff_conversation, post, queue_changed
from kefu.chat.services.offline import transcript_text
from kefu.chat.services.routing import do_enqueue, do_release
from kefu.chat.services.visitor import do_end
from kefu.chat.uploads import clean_image
from kefu.core.errors import Conflict, Forbidden, ValidationFailed
from kefu.presence.services import take_chat_slot_any_state
from kefu.realtime.bus import publish, publish_after_commit

Status = Conversation.State


def _require_holder(actor: User, conv: Conversation) -> None:
    if conv.state != Status.ACTIVE:
        raise Conflict(_("This chat is not in progress."), code="chat_not_active", field="conversation_id")
    if conv.agent_id != actor.pk:
        raise Forbidden(_("Another agent has this chat."), code="not_your_chat")


def _require_lead(actor: User, conv: Conversation) -> None:
    if not actor.can_supervise():
        raise Forbidden(_("Only a team lead or supervisor may do this."), code="not_lead")


@transaction.atomic
def agent_send(*, actor: User, conversation_id: int, body: str = "", image: bytes | None = None,
               now: datetime | None = None):
    """The agent answers the visitor (text or a picture); the first answer is the chat's first response."""
    conv = load_staff_conversation(actor, conversation_id, lock=True)
    _require_holder(actor, conv)
    image_type = clean_image(image) if image is not None else ""
    body = clean_body(body, required=image is None)
    at = now or timezone.now()
    first = {"first_response_at": at} if conv.first_response_at is None else {}
    return post(conv, "agent", body, author=actor, at=at, image=image, image_type=image_type, also=first)


def agent_typing(*, actor: User, conversation_id: int) -> None:
    """The agent is typing: the visitor sees "客服正在输入…"; nothing stored."""
    conv = load_staff_conversation(actor, conversation_id)
    if conv.state == Status.ACTIVE and conv.agent_id == actor.pk:
        publish(f"conv:{conv.pk}", {"type": "typing", "conv": conv.pk, "who": "agent"})


@transaction.atomic
def end_by_agent(*, actor: User, conversation_id: int, now: datetime | None = None) -> Conversation:
    """The agent closes the chat; the visitor is asked for a rating."""
    conv = load_staff_conversation(actor, conversation_id, lock=True)
    if not conv.is_live:
        raise Conflict(_("This chat has ended."), code="chat_ended", field="conversation_id")
    if conv.agent_id != actor.pk and not actor.can_supervise():
        raise Forbidden(_("Another agent has this chat."), code="not_your_chat")
    do_end(conv, actor=actor, by="agent", at=now or timezone.now())
    return conv


@transaction.atomic
def transfer(*, actor: User, conversation_id: int, to_user_id: int | None = None, to_team_id: int | None = None,
             note: str = "", now: datetime | None = None) -> Conversation:
    """Pass the chat to a colleague (who must have room) or to a team's queue, with a note only staff see."""
    conv = load_staff_conversation(actor, conversation_id, lock=True)
    _require_holder(actor, conv)
    if (to_user_id is None) == (to_team_id is None):
        raise ValidationFailed(_("Choose a colleague or a team."), code="required", field="to_user_id")
    note = clean_body(note, field="note", required=False)
    at = now or timezone.now()
    if to_user_id is not None:
        target = User.objects.filter(pk=to_user_id, is_active=True).first()
        if target is None or target.pk == actor.pk or not target.can_handle_tickets():
            raise ValidationFailed(_("Choose another agent."), code="invalid_assignee", field="to_user_id")
        do_release(conv)
        if not take_chat_slot_any_state(target.pk):
            raise Conflict(_("This colleague has no room for another chat."), code="agent_full", field="to_user_id")
        Conversation.objects.filter(pk=conv.pk).update(agent=target, slot_user=target, team_id=target.team_id or
                                                       conv.team_id)
        conv.agent_id, conv.slot_user_id = target.pk, target.pk
        params = {"from": actor.pk, "to_user": target.pk}
        publish_after_commit(f"user:{target.pk}", {"type": "assigned", "conv": conv.pk})
        announce(conv, {"type": "state", "state": Status.ACTIVE, "agent_no": target.agent_no or ""})
    else:
        team = Team.objects.filter(pk=to_team_id, is_field_crew=False).first()
        if team is None:
            raise ValidationFailed(_("No such team."), code="unknown_team", field="to_team_id")
        do_release(conv)
        Conversation.objects.filter(pk=conv.pk).update(team=team)
        conv.team_id = team.pk
        params = {"from": actor.pk, "to_team": team.pk}
        do_enqueue(conv, at)
    emit(conv, ChatEventCode.TRANSFERRED, actor=actor, at=at, params=params)
    if note:
        post(conv, "whisper", note, author=actor, at=at, meta={"code": "transfer_note"})
    publish_after_commit(f"user:{actor.pk}", {"type": "released", "conv": conv.pk})
    queue_changed(conv.team_id)
    return conv


@transaction.atomic
def whisper(*, actor: User, conversation_id: int, body: str, now: datetime | None = None):
    """A line between the lead and the agent inside the chat; never sent to the visitor."""
    conv = load_staff_conversation(actor, conversation_id, lock=True)
    if not conv.is_live:
        raise Conflict(_("This chat has ended."), code="chat_ended", field="conversation_id")
    if not actor.can_supervise() and conv.agent_id != actor.pk:
        raise Forbidden(_("Only a team lead or supervisor may do this."), code="not_lead")
    body = clean_body(body)
    at = now or timezone.now()
    msg = post(conv, "whisper", body, author=actor, at=at)
    emit(conv, ChatEventCode.WHISPERED, actor=actor, at=at, params={"message": msg.pk})
    return msg


@transaction.atomic
def take_over(*, actor: User, conversation_id: int, now: datetime | None = None) -> Conversation:
    """The team lead takes the chat from the agent (or from the queue) and answers the visitor themself."""
    conv = load_staff_conversation(actor, conversation_id, lock=True)
    _require_lead(actor, conv)
    if conv.state not in (Status.WAITING, Status.OFFERED, Status.ACTIVE):
        raise Conflict(_("This chat is not waiting or in progress."), code="chat_not_active", field="conversation_id")
    at = now or timezone.now()
    before = conv.agent_id
    do_release(conv)
    Conversation.objects.filter(pk=conv.pk).update(state=Status.ACTIVE, agent=actor, offer_expires_at=None,
                                                   accepted_at=conv.accepted_at or at)
    conv.state, conv.agent_id = Status.ACTIVE, actor.pk
    emit(conv, ChatEventCode.TAKEN_OVER, actor=actor, at=at, params={"from": before})
    if before:
        publish_after_commit(f"user:{before}", {"type": "released", "conv": conv.pk})
    publish_after_commit(f"user:{actor.pk}", {"type": "assigned", "conv": conv.pk})
    announce(conv, {"type": "state", "state": Status.ACTIVE, "agent_no": actor.agent_no or ""})
    queue_changed(conv.team_id)
    return conv


@transaction.atomic
def make_ticket(*, actor: User, conversation_id: int, ticket_id: int | None = None, type: str = "inquiry",
                title: str = "", now: datetime | None = None):
    """Turn the chat into a ticket with its transcript, or add the transcript to the customer's open ticket;
    from then on the ticket's SLA clocks (first response, next reply) measure the case."""
    from kefu.tickets.lifecycle import Channel
    from kefu.tickets.services import TicketInput, add_message, create_ticket

    conv = load_staff_conversation(actor, conversation_id, lock=True)
    if conv.agent_id != actor.pk and not actor.can_supervise():
        raise Forbidden(_("Another agent has this chat."), code="not_your_chat")
    at = now or timezone.now()
    transcript = transcript_text(conv)
    if ticket_id is not None:
        add_message(actor=actor, ticket_id=ticket_id, kind="customer", body=transcript, now=at)
        from kefu.tickets.models import Ticket

        ticket = Ticket.objects.get(pk=ticket_id)
    else:
        title = (title or conv.first_question or str(_("Online chat"))).strip().splitlines()[0][:60]
        ticket = create_ticket(actor=actor, data=TicketInput(
            type=type, title=title, description=transcript, reporter_name=conv.visitor_name,
            contact_phone=conv.visitor_phone, channel=Channel.CHAT, channel_ref=f"chat:{conv.pk}",
            customer_id=conv.customer_id, team_id=actor.team_id, assignee_id=actor.pk), now=at)
    Conversation.objects.filter(pk=conv.pk).update(ticket=ticket)
    conv.ticket = ticket
    emit(conv, ChatEventCode.TICKET_MADE, actor=actor, at=at, params={"ticket": ticket.pk,
                                                                     "continued": ticket_id is not None})
    announce(conv, {"type": "ticket", "conv": conv.pk, "ticket": ticket.pk}, public=False)
    return ticket
