"""The ticket page's panel: the chats this ticket was made from, with their rating."""

from kefu.chat.models import Conversation


def context(user, ticket, page) -> dict | None:
    chats = list(Conversation.objects.visible_to(user).filter(ticket_id=ticket.pk)
                 .values("id", "created_at", "rating", "state")[:5])
    return {"chats": chats} if chats else None
