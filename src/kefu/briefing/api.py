"""Daily briefing endpoints (每日例会): prepare, add points, publish, read (with receipts), who has not read."""

from datetime import date, datetime

from ninja import Router, Schema, Status

from kefu.api.schemas import ERRORS, UserRef, user_ref
from kefu.briefing import selectors, services

router = Router(tags=["briefing"])


class PrepareIn(Schema):
    day: date
    title: str = ""
    notes: str = ""


class ItemIn(Schema):
    kind: str
    text: str


class VersionIn(Schema):
    version: int


class ItemOut(Schema):
    id: int
    kind: str
    kind_label: str
    text: str
    count: int | None
    memo_id: int | None
    memo_status: str | None


class BriefingOut(Schema):
    id: int
    day: date
    title: str
    notes: str
    status: str
    prepared_by: UserRef | None
    published_at: datetime | None
    version: int
    read: bool | None
    items: list[ItemOut]


class ReceiptOut(Schema):
    user: UserRef
    read_at: datetime


class ReadStatusOut(Schema):
    read: list[ReceiptOut]
    unread: list[UserRef]


def _out(request, briefing_id: int) -> dict:
    briefing = selectors.briefing_detail(request.auth, briefing_id)
    return selectors.briefing_out(briefing, read=selectors.has_read(request.auth, briefing))


@router.get("", response={200: list[BriefingOut], **ERRORS})
def list_briefings(request):
    """The last 30 briefings (drafts too, for the information desk); items are in the detail."""
    return [selectors.briefing_out(b) for b in selectors.list_briefings(request.auth)]


@router.post("", response={201: BriefingOut, **ERRORS})
def prepare(request, payload: PrepareIn):
    """A draft for the day, filled with the previous day's hot issues and the memos still open."""
    briefing = services.prepare_briefing(actor=request.auth, day=payload.day, title=payload.title,
                                         notes=payload.notes)
    return Status(201, _out(request, briefing.pk))


@router.get("/{int:briefing_id}", response={200: BriefingOut, **ERRORS})
def get_briefing(request, briefing_id: int):
    return _out(request, briefing_id)


@router.post("/{int:briefing_id}/items", response={200: BriefingOut, **ERRORS})
def add_item(request, briefing_id: int, payload: ItemIn):
    services.add_item(actor=request.auth, briefing_id=briefing_id, kind=payload.kind, text=payload.text)
    return _out(request, briefing_id)


@router.delete("/{int:briefing_id}/items/{int:item_id}", response={200: BriefingOut, **ERRORS})
def remove_item(request, briefing_id: int, item_id: int):
    services.remove_item(actor=request.auth, item_id=item_id)
    return _out(request, briefing_id)


@router.post("/{int:briefing_id}/publish", response={200: BriefingOut, **ERRORS})
def publish(request, briefing_id: int, payload: VersionIn):
    services.publish_briefing(actor=request.auth, briefing_id=briefing_id, version=payload.version)
    return _out(request, briefing_id)


@router.post("/{int:briefing_id}/read", response={200: BriefingOut, **ERRORS})
def mark_read(request, briefing_id: int):
    """Record that the caller has read the briefing (once; the first time is kept)."""
    services.mark_read(actor=request.auth, briefing_id=briefing_id)
    return _out(request, briefing_id)


@router.get("/{int:briefing_id}/reads", response={200: ReadStatusOut, **ERRORS})
def read_status(request, briefing_id: int):
    """Who has read it and who not yet: a team lead's own team, the whole center for the desk and management."""
    status = selectors.read_status(request.auth, briefing_id)
    return {"read": [{"user": user_ref(u), "read_at": at} for u, at in status["read"]],
            "unread": [user_ref(u) for u in status["unread"]]}
