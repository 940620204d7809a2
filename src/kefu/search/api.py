"""GET /api/v1/search: ranked hits over tickets, customers and articles the caller may see."""

from datetime import date, datetime

from ninja import Field, Query, Router, Schema

from kefu.api.schemas import ERRORS
from kefu.search import validation as v
from kefu.search.selectors import search

router = Router(tags=["search"])


class SearchQuery(Schema):
    q: str = Field(..., description="Chinese or English words, numbers (meter, order, phone tail), "
                                   "\"quoted phrases\", -excluded words")
    kind: list[str] | None = Field(None, description="ticket, customer, article; repeat for several")
    status: str | None = None
    type: str | None = Field(None, description="ticket type code")
    team: int | None = None
    created_from: date | None = None
    created_to: date | None = None
    page: int = Field(1, ge=1)


class HitOut(Schema):
    kind: str
    id: int
    number: str = Field("", description="the ticket number for tickets")
    title: str = Field(..., description="HTML: escaped text, matches in <mark>")
    snippet: str = Field(..., description="HTML: escaped text, matches in <mark>, phones masked")
    score: float
    status: str
    created_at: datetime | None


class SearchOut(Schema):
    query: str
    total: int
    capped: bool = Field(..., description="true: more than `total` matches (shown as “10,000+”)")
    page: int
    page_size: int
    hits: list[HitOut]


@router.get("", response={200: SearchOut, **ERRORS})
def search_all(request, q: Query[SearchQuery]):
    result = search(request.auth, v.clean_query(q.q), kinds=v.clean_kinds(q.kind), status=q.status or "",
                    ticket_type_id=v.clean_ticket_type(q.type), team_id=q.team, created_from=q.created_from,
                    created_to=q.created_to, page=q.page)
    return {
        "query": result.query, "total": result.total, "capped": result.capped, "page": result.page,
        "page_size": result.page_size,
        "hits": [{"kind": h.kind, "id": h.object_id, "number": h.label, "title": str(h.title),
                  "snippet": str(h.snippet), "score": h.score, "status": h.status, "created_at": h.created_at}
                 for h in result.hits],
    }
