"""GET /api/v1/search: ranked hits over tickets, customers and articles the caller may see."""

from datetime import date, datetime

from ninja import Field, Query, Router, Schema

from kefu.api.schemas import ERRORS, one_of
from kefu.search import services
from kefu.search import validation as v
from kefu.search.models import Kind
from kefu.search.selectors import search
from kefu.search.services import lists

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
    kind: str = one_of(Kind)
    id: int
    number: str = Field("", description="the ticket number for tickets")
    title: str = Field(..., description="HTML: escaped text, matches in <mark>")
    snippet: str = Field(..., description="HTML: escaped text, matches in <mark>, phones masked")
    score: float
    status: str
    created_at: datetime | None
    reasons: list[str] = Field([], description="why it matched beyond the words typed: a synonym, a domain word, "
                                               "a name's pinyin, the ticket number")


class SearchOut(Schema):
    query: str
    total: int
    capped: bool = Field(..., description="true: more than `total` matches (shown as “10,000+”)")
    page: int
    page_size: int
    hits: list[HitOut]


@router.get("", response={200: SearchOut, **ERRORS})
def search_all(request, q: Query[SearchQuery]):
    """Search everything. Words typed (names, phones) in a query string end up in proxy and server logs:
    integrations should use `POST /search`, which takes the same fields in the body."""
    return _search(request, q)


@router.post("", response={200: SearchOut, **ERRORS})
def search_posted(request, payload: SearchQuery):
    """The same search with the words in the body, out of every URL log (PIPL)."""
    return _search(request, payload)


def _search(request, q: SearchQuery) -> dict:
    result = search(request.auth, v.clean_query(q.q), kinds=v.clean_kinds(q.kind), status=q.status or "",
                    ticket_type_id=v.clean_ticket_type(q.type), team_id=q.team, created_from=q.created_from,
                    created_to=q.created_to, page=q.page)
    return {
        "query": result.query, "total": result.total, "capped": result.capped, "page": result.page,
        "page_size": result.page_size,
        "hits": [{"kind": h.kind, "id": h.object_id, "number": h.label, "title": str(h.title),
                  "snippet": str(h.snippet), "score": h.score, "status": h.status, "created_at": h.created_at,
                  "reasons": h.reasons}
                 for h in result.hits],
    }


# ---- the vocabulary (thesaurus, domain dictionaries) and rebuilding the index ----

class VocabularyOut(Schema):
    list: str = Field(..., description="thesaurus or domain")
    industry: str = Field("", description="the domain dictionary's industry; empty for the thesaurus")
    text: str = Field(..., description="one entry per line: a group of synonyms, or one word of the trade")
    version: int = Field(..., description="0 while the shipped list is in force")


class VocabularyIn(Schema):
    text: str
    version: int = Field(..., ge=0, description="the version you read; a list changed meanwhile is refused (409)")


class ReindexOut(Schema):
    id: int
    status: str
    reason: str
    total: int
    done: int
    percent: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class VocabularySaved(Schema):
    vocabulary: VocabularyOut
    reindex: ReindexOut


def _vocabulary_out(list_: str, industry: str) -> dict:
    text, version = services.list_text(list_, industry)
    return {"list": list_, "industry": industry, "text": text, "version": version}


def _job_out(job) -> dict:
    return {"id": job.pk, "status": job.status, "reason": job.reason, "total": job.total, "done": job.done,
            "percent": job.percent, "created_at": job.created_at, "started_at": job.started_at,
            "finished_at": job.finished_at}


@router.get("/vocabulary", response={200: list[VocabularyOut], **ERRORS})
def vocabulary_lists(request):
    """The thesaurus and every industry's domain dictionary, as in force."""
    return [_vocabulary_out(list_, industry) for list_, industry in lists()]


@router.put("/vocabulary/{list_name}", response={200: VocabularySaved, **ERRORS})
def save_vocabulary(request, list_name: str, payload: VocabularyIn, industry: str = ""):
    """Replace a list; the index is rebuilt in the background (see GET /search/reindex/{id} for its progress)."""
    row, job = services.save_vocabulary(actor=request.auth, list=list_name, industry=industry, text=payload.text,
                                        version=payload.version)
    return {"vocabulary": _vocabulary_out(row.list, row.industry), "reindex": _job_out(job)}


@router.post("/reindex", response={200: ReindexOut, **ERRORS})
def queue_reindex(request):
    """Queue a rebuild of the whole index (search keeps answering meanwhile)."""
    return _job_out(services.request_reindex(actor=request.auth))


@router.get("/reindex/{job_id}", response={200: ReindexOut, **ERRORS})
def reindex_progress(request, job_id: int):
    """A rebuild's progress."""
    return _job_out(services.reindex_job(job_id))
