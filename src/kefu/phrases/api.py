"""Script and quick-phrase endpoints (话术, 快捷短语): list, insert (filled in), and manage."""

from datetime import datetime

from ninja import Query, Router, Schema, Status

from kefu.api.patch import merged, patch_schema
from kefu.api.schemas import ERRORS, TeamRef, one_of
from kefu.phrases import selectors, services
from kefu.phrases.models import PhraseKind
from kefu.phrases.placeholders import PLACEHOLDERS
from kefu.phrases.services import PhraseInput
from kefu.tickets.services.common import load_ticket

router = Router(tags=["phrases"])


class PhraseIn(Schema):
    title: str
    body: str
    kind: str = one_of(PhraseKind, "standard")
    team_id: int | None = None
    ticket_type: str | None = None
    position: int = 0
    active: bool = True


PhrasePatch = patch_schema(PhraseIn, "PhrasePatch")


class PhraseOut(Schema):
    id: int
    title: str
    kind: str = one_of(PhraseKind)
    kind_label: str
    body: str
    sensitive: bool
    team: TeamRef | None
    ticket_type: str | None
    position: int
    active: bool
    version: int
    updated_at: datetime


class PhraseListQuery(Schema):
    ticket_type: str | None = None
    kind: str | None = one_of(PhraseKind, None, nullable=True)
    manage: bool = False


class RenderIn(Schema):
    ticket_id: int | None = None


class RenderOut(Schema):
    id: int
    kind: str
    title: str
    text: str
    missing: list[str]
    sensitive: bool


class PlaceholderOut(Schema):
    name: str
    label: str


def _input(payload: PhraseIn) -> PhraseInput:
    return PhraseInput(**payload.dict(exclude={"version"}))


@router.get("", response={200: list[PhraseOut], **ERRORS})
def list_phrases(request, q: Query[PhraseListQuery]):
    """Phrases to insert (center-wide and the caller's team, for a ticket type); manage=true lists all, inactive too."""
    if q.manage:
        items = selectors.manage_phrases(request.auth, kind=q.kind)
    else:
        items = selectors.phrases_for(request.auth, q.ticket_type, kind=q.kind)
    return [selectors.phrase_out(p) for p in items]


@router.get("/placeholders", response={200: list[PlaceholderOut], **ERRORS})
def list_placeholders(request):
    """The placeholders a phrase may contain, e.g. {customer_name}."""
    return [{"name": name, "label": str(label)} for name, (label, _fn) in PLACEHOLDERS.items()]


@router.post("", response={201: PhraseOut, **ERRORS})
def create_phrase(request, payload: PhraseIn):
    phrase = services.create_phrase(actor=request.auth, data=_input(payload))
    return Status(201, selectors.phrase_out(phrase))


@router.patch("/{int:phrase_id}", response={200: PhraseOut, **ERRORS})
def update_phrase(request, phrase_id: int, payload: PhrasePatch):
    """Change the fields sent; the others keep their values."""
    current = services.load_phrase(request.auth, phrase_id)
    data = merged({"title": current.title, "body": current.body, "kind": current.kind, "team_id": current.team_id,
                   "ticket_type": current.ticket_type.code if current.ticket_type else None,
                   "position": current.position, "active": current.active}, payload)
    phrase = services.update_phrase(actor=request.auth, phrase_id=phrase_id, version=payload.version,
                                    data=PhraseInput(**data))
    return selectors.phrase_out(phrase)


@router.delete("/{int:phrase_id}", response={204: None, **ERRORS})
def delete_phrase(request, phrase_id: int):
    services.delete_phrase(actor=request.auth, phrase_id=phrase_id)
    return Status(204, None)


@router.post("/{int:phrase_id}/render", response={200: RenderOut, **ERRORS})
def render_phrase(request, phrase_id: int, payload: RenderIn):
    """The phrase filled in with the caller's 工号 and the ticket's number and customer, ready to insert."""
    ticket = load_ticket(request.auth, payload.ticket_id, field="ticket_id") if payload.ticket_id else None
    return services.render_phrase(actor=request.auth, phrase_id=phrase_id, ticket=ticket)
