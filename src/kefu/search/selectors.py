"""Searching: what the user may see, matched, counted up to a cap, ranked, and shown with snippets."""

import time
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.safestring import SafeString

from kefu.search.backends import backend_for
from kefu.search.highlight import highlight, reasons, snippet
from kefu.search.models import Audience, Kind, SearchDocument
from kefu.search.query import parse_query
from kefu.search.ranking import Candidate, score
from kefu.search.scope import access_for
from kefu.search.text import bigrams

PAGE_SIZE = 20
MAX_PAGE = 50
# The newest CANDIDATES matches of a query are its candidates (a query matching more is narrowed by a second word
# or a filter); the database pre-ranks them and the best RESCORED are scored by kefu.search.ranking.
CANDIDATES = 500
RESCORED = 150


@dataclass
class Hit:
    """One result: what it is, its title and snippet as safe HTML (escaped text + <mark>), and its score."""

    kind: str
    object_id: int
    title: SafeString
    snippet: SafeString
    score: float
    status: str = ""
    created_at: datetime | None = None
    reasons: list[str] = field(default_factory=list)

    def get_kind_display(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def label(self) -> str:
        """The ticket number agents read out (GD00000042), else nothing."""
        return f"GD{self.object_id:08d}" if self.kind == Kind.TICKET else ""


@dataclass
class SearchPage:
    """A page of hits with the total count; `capped` means there are more than `total` matches."""

    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    capped: bool = False
    page: int = 1
    page_size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        """Pages that can be shown: the ranking window bounds them."""
        return min(MAX_PAGE, -(-min(self.total, RESCORED) // self.page_size)) if self.total else 0


def _sees_all(qs: QuerySet) -> bool:
    """visible_to() returned the whole table: skip the semi-join, which would cost a lookup per match."""
    return not qs.query.where.children and not qs.query.is_empty()


def visible_documents(user) -> QuerySet:
    """Documents of objects `user` may see, read live from the objects' own visible_to().

    Searches use it when the index's scope tokens cannot say what the user sees (kefu.search.scope)."""
    from kefu.customers.models import Customer
    from kefu.tickets.models import Ticket

    docs = SearchDocument.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return docs.filter(kind=Kind.ARTICLE, audience=Audience.PUBLIC)
    tickets = Ticket.objects.visible_to(user)
    customers = Customer.objects.visible_to(user)
    if _sees_all(tickets) and _sees_all(customers):
        return docs  # every kind, unfiltered: no condition for the database to test on each match
    q = Q(kind=Kind.ARTICLE)
    if _sees_all(tickets):
        q |= Q(kind=Kind.TICKET)
    elif not tickets.query.is_empty():
        # Correlated: one primary-key probe per match, instead of first listing every ticket the user may see.
        q |= Q(Exists(tickets.filter(pk=OuterRef("object_id"))), kind=Kind.TICKET)
    if _sees_all(customers):
        q |= Q(kind=Kind.CUSTOMER)
    elif not customers.query.is_empty():
        q |= Q(Exists(customers.filter(pk=OuterRef("object_id"))), kind=Kind.CUSTOMER)
    return docs.filter(q)


def _filtered(qs: QuerySet, *, kinds, status, ticket_type_id, team_id, created_from, created_to) -> QuerySet:
    if kinds:
        qs = qs.filter(kind__in=list(kinds))
    if status:
        qs = qs.filter(status=status)
    if ticket_type_id:
        qs = qs.filter(ticket_type_id=ticket_type_id)
    if team_id:
        qs = qs.filter(team_id=team_id)
    if created_from:
        qs = qs.filter(created_at__date__gte=created_from)
    if created_to:
        qs = qs.filter(created_at__date__lte=created_to)
    return qs


def _searched(user, kinds, filters: dict, tickets: QuerySet) -> tuple[QuerySet, tuple[str, ...]] | None:
    """The documents to search and the scope tokens narrowing them; None when the user may see nothing."""
    access = access_for(user, kinds, tickets=tickets)
    if access is None:
        # The index cannot say what this user sees: each match is checked against the objects themselves.
        return _filtered(visible_documents(user), kinds=kinds, **filters), ()
    if access.everything or access.tokens:
        # Kinds are scope tokens too, so a scoped search stays a query on the index alone.
        return _filtered(SearchDocument.objects.all(), kinds=None, **filters), access.tokens
    return None


def search(user, q: str, *, kinds: list[str] | None = None, status: str = "", ticket_type_id: int | None = None,
           team_id: int | None = None, created_from: date | None = None, created_to: date | None = None,
           page: int = 1, page_size: int = PAGE_SIZE) -> SearchPage:
    """Ranked hits for `q` among what `user` may see, tickets, customers and articles in one list."""
    page = max(1, min(int(page or 1), MAX_PAGE))
    result = SearchPage(query=q, page=page, page_size=page_size)
    clauses = parse_query(q)
    if not clauses:
        return result
    from kefu.tickets.models import Ticket

    backend = backend_for(SearchDocument.objects.db)
    tickets = Ticket.objects.visible_to(user)
    searched = _searched(user, kinds, dict(status=status, ticket_type_id=ticket_type_id, team_id=team_id,
                                           created_from=created_from, created_to=created_to), tickets)
    if searched is None:
        return result
    base, scope = searched
    ids = backend.newest(base, clauses, CANDIDATES + 1, scope)
    _total(result, len(ids), CANDIDATES)
    ids = ids[:CANDIDATES]
    if len(ids) > RESCORED:
        ids = backend.rank(base, clauses, ids, RESCORED)
    ranked = _rescore(ids, clauses)
    offset = (page - 1) * page_size
    top = ranked[offset:offset + page_size]
    if not top:
        return result
    rows = SearchDocument.objects.only("kind", "object_id", "title", "body", "status", "created_at").in_bulk(
        [pk for pk, _score, _alts in top])
    if scope:
        rows = _still_visible(rows, tickets)
    result.hits = [_hit(rows[pk], score, alts) for pk, score, alts in top if pk in rows]
    return result


def _documents_total() -> int:
    """Documents in the index, for the inverse document frequency: counted once a minute per process."""
    now = time.monotonic()
    if now - _TOTAL[1] > 60:
        _TOTAL[:] = [SearchDocument.objects.count(), now]
    return _TOTAL[0]


_TOTAL = [0, -1e9]


def _rescore(ids: list[int], clauses) -> list[tuple[int, float, list]]:
    """The candidates scored by kefu.search.ranking, best first; ties go to the newer document."""
    if not ids:
        return []
    rows = SearchDocument.objects.filter(pk__in=ids).values_list("pk", "title", "title_words", "body_words", "grams")
    docs = [Candidate.of(pk, tw, bw, grams, " ".join(bigrams(title))) for pk, title, tw, bw, grams in rows]
    scored = score(docs, clauses, total=_documents_total())
    return sorted(((pk, s, (used, found)) for pk, (s, used, found) in scored.items()), key=lambda x: (-x[1], -x[0]))


def _still_visible(rows: dict[int, SearchDocument], tickets: QuerySet) -> dict[int, SearchDocument]:
    """The page's tickets checked against visible_to itself, whatever the index's tokens said.

    The tokens are rewritten in the transaction that reroutes a ticket, so they agree with visible_to; this
    keeps a title or snippet from ever showing if they did not (a change made around the services)."""
    ticket_ids = [row.object_id for row in rows.values() if row.kind == Kind.TICKET]
    if not ticket_ids:
        return rows
    seen = set(tickets.filter(pk__in=ticket_ids).values_list("pk", flat=True))
    return {pk: row for pk, row in rows.items() if row.kind != Kind.TICKET or row.object_id in seen}


def _total(result: SearchPage, matches: int, cap: int) -> None:
    result.capped = matches > cap
    result.total = min(matches, cap)


def _hit(row: SearchDocument, score: float, alts: tuple[list, list]) -> Hit:
    """Every form found is marked; the reasons name the forms that gave the score (a synonym, not the word)."""
    used, found = alts
    return Hit(kind=row.kind, object_id=row.object_id, title=highlight(row.title, found),
               snippet=snippet(row.body, found), score=float(score), status=row.status,
               created_at=row.created_at, reasons=reasons(used))
