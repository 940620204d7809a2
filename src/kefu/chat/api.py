"""Chat endpoints for staff: the live list of waiting and running chats, and one chat with its messages."""

from datetime import datetime

from django.utils import timezone
from ninja import Query, Router, Schema

from kefu.api.schemas import ERRORS
from kefu.chat import selectors

router = Router(tags=["chat"])


class LiveChatOut(Schema):
    id: int
    state: str
    team_id: int
    agent_id: int | None
    is_vip: bool
    queued_at: datetime | None
    seconds: int


class MessageOut(Schema):
    seq: int
    kind: str
    body: str
    image: bool
    at: datetime
    author_no: str


class ChatOut(Schema):
    id: int
    state: str
    agent: int | None
    ticket_id: int | None
    messages: list[MessageOut]


class AfterQuery(Schema):
    after: int = 0


@router.get("/live", response={200: list[LiveChatOut], **ERRORS})
def live(request):
    """Chats waiting and in progress that the caller may see, oldest first, with seconds waited or talked."""
    chats = selectors.live_context(request.auth, now=timezone.now())["chats"]
    return [{"id": c.pk, "state": c.state, "team_id": c.team_id, "agent_id": c.agent_id, "is_vip": c.is_vip,
             "queued_at": c.queued_at, "seconds": c.seconds} for c in chats]


@router.get("/conversations/{conversation_id}", response={200: ChatOut, **ERRORS})
def conversation(request, conversation_id: int, q: Query[AfterQuery]):
    """One chat with its messages after `after` (whispers included: this is the staff's view)."""
    data = selectors.conversation_detail(request.auth, conversation_id, after=q.after)
    return {**data, "messages": [{**m, "at": m["at"]} for m in data["messages"]]}
