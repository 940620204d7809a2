"""Memo endpoints (备忘录): agents ask, the information desk takes, forwards and answers."""

from datetime import date, datetime

from ninja import Query, Router, Schema, Status

from kefu.api.schemas import ERRORS, UserRef
from kefu.memos import selectors, services

router = Router(tags=["memos"])


class AskIn(Schema):
    question: str
    ticket_id: int | None = None


class ForwardIn(Schema):
    version: int
    department_id: int
    note: str = ""


class AnswerIn(Schema):
    version: int
    answer: str


class TicketBrief(Schema):
    id: int
    number: str
    title: str


class DepartmentRef(Schema):
    id: int
    name: str


class MemoOut(Schema):
    id: int
    question: str
    status: str
    status_label: str
    ticket: TicketBrief | None
    asked_by: UserRef | None
    asked_at: datetime
    age_minutes: int
    owner: UserRef | None
    forwarded_to: DepartmentRef | None
    forward_note: str
    answer: str
    answered_by: UserRef | None
    answered_at: datetime | None
    closed_at: datetime | None
    briefing_date: date | None
    version: int


class MemoListOut(Schema):
    count: int
    items: list[MemoOut]


class MemoInboxQuery(Schema):
    status: str = "open"
    mine: bool = False
    page: int = 1
    page_size: int = 50


@router.get("", response={200: MemoListOut, **ERRORS})
def list_memos(request, q: Query[MemoInboxQuery]):
    """mine=true: the memos the caller asked. Otherwise the inbox of what the caller may see (the desk: all)."""
    if q.mine:
        items = selectors.my_memos(request.auth)
        return {"count": len(items), "items": [selectors.memo_out(m) for m in items]}
    count, items = selectors.inbox(request.auth, status=q.status, page=q.page, page_size=q.page_size)
    return {"count": count, "items": [selectors.memo_out(m) for m in items]}


@router.post("", response={201: MemoOut, **ERRORS})
def ask(request, payload: AskIn):
    memo = services.ask_memo(actor=request.auth, question=payload.question, ticket_id=payload.ticket_id)
    return Status(201, selectors.memo_out(services.load_memo(request.auth, memo.pk)))


@router.get("/{int:memo_id}", response={200: MemoOut, **ERRORS})
def get_memo(request, memo_id: int):
    return selectors.memo_out(services.load_memo(request.auth, memo_id))


@router.post("/{int:memo_id}/take", response={200: MemoOut, **ERRORS})
def take(request, memo_id: int):
    """A desk member becomes the memo's owner (409 already_taken if a colleague was first)."""
    memo = services.take_memo(actor=request.auth, memo_id=memo_id)
    return selectors.memo_out(services.load_memo(request.auth, memo.pk))


@router.post("/{int:memo_id}/forward", response={200: MemoOut, **ERRORS})
def forward(request, memo_id: int, payload: ForwardIn):
    services.forward_memo(actor=request.auth, memo_id=memo_id, version=payload.version,
                          department_id=payload.department_id, note=payload.note)
    return selectors.memo_out(services.load_memo(request.auth, memo_id))


@router.post("/{int:memo_id}/answer", response={200: MemoOut, **ERRORS})
def answer(request, memo_id: int, payload: AnswerIn):
    """Answer; the agent who asked is notified in the app."""
    services.answer_memo(actor=request.auth, memo_id=memo_id, version=payload.version, answer=payload.answer)
    return selectors.memo_out(services.load_memo(request.auth, memo_id))


@router.post("/{int:memo_id}/close", response={200: MemoOut, **ERRORS})
def close(request, memo_id: int):
    """The agent has replied to the customer with the answer."""
    services.close_memo(actor=request.auth, memo_id=memo_id)
    return selectors.memo_out(services.load_memo(request.auth, memo_id))
