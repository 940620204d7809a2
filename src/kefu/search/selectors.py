"""Searching: what the user may see, matched, counted up to a cap, ranked, and shown with snippets."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.safestring import SafeString

from kefu.search.backends import backend_for
from kefu.search.highlight import highlight, snippet
from kefu.search.models import Audience, Kind, SearchDocument
from kefu.search.scope import access_for
from kefu.search.text import Term, parse_query

PAGE_SIZE = 20
MAX_PAGE = 50
# Counting every match of a very common word over millions of documents costs as much as reading them all, so the
# count stops here and the page says "10,000+", as web search engines do.
COUNT_CAP = 10_000
# Scoring is per matching document too, so a word with more matches than this is ranked among its newest
# RANK_WINDOW matches only (an agent narrows such a search with a second word or a filter). Such a window is
# ordered title matches first, newest first: bm25 would walk the word's whole posting list, ts_rank read every
# window document's vectors.
RANK_WINDOW = 1_000
# A search with conditions (a role that sees part of the tickets, a filter) tests each match against them — a
# merge with the scope tokens' posting lists, or a lookup per match in a table of millions — so its count stops
# sooner, at "1,000+"; so does every search on a database that cannot count on its index alone (PostgreSQL).
CONDITIONED_COUNT_CAP = 1_000


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
        return min(MAX_PAGE, -(-min(self.total, RANK_WINDOW) // self.page_size)) if self.total else 0


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
           page: int = 1, page_size: int = PAGE_SIZE, count_cap: int = COUNT_CAP,
           rank_window: int = RANK_WINDOW) -> SearchPage:
    """Ranked hits for `q` among what `user` may see; three or four queries whatever the number of matches."""
    page = max(1, min(int(page or 1), MAX_PAGE))
    result = SearchPage(query=q, page=page, page_size=page_size)
    terms = parse_query(q)
    if not terms:
        return result
    from kefu.tickets.models import Ticket

    backend = backend_for(SearchDocument.objects.db)
    tickets = Ticket.objects.visible_to(user)
    searched = _searched(user, kinds, dict(status=status, ticket_type_id=ticket_type_id, team_id=team_id,
                                           created_from=created_from, created_to=created_to), tickets)
    if searched is None:
        return result
    base, scope = searched
    if base.query.where.children or scope or not backend.counts_on_index:
        count_cap = min(count_cap, CONDITIONED_COUNT_CAP)
    window = min(rank_window, count_cap)
    offset = (page - 1) * page_size
    if count_cap <= CONDITIONED_COUNT_CAP:  # always so for a scoped search
        top = _rank_listed(backend, base, terms, result, scope=scope, cap=count_cap, window=window, offset=offset,
                           limit=page_size)
    else:
        top = _rank_counted(backend, base, terms, result, cap=count_cap, window=window, offset=offset,
                            limit=page_size)
    if not top:
        return result
    rows = SearchDocument.objects.only("kind", "object_id", "title", "body", "status", "created_at").in_bulk(
        [pk for pk, _score in top])
    if scope:
        rows = _still_visible(rows, tickets)
    result.hits = [_hit(rows[pk], score, terms) for pk, score in top if pk in rows]
    return result


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


def _rank_listed(backend, base, terms, result, *, scope, cap, window, offset, limit) -> list[tuple[int, float]]:
    """Up to `cap` + 1 matches listed once, newest first: the count and the ranking window in one pass.

    Scoped and filtered searches (counted to 1,000+) take this way: each of their passes over the index costs a
    merge with the scope's long posting lists or a lookup per match, so they make one and rank what it found."""
    ids = backend.newest(base, terms, cap + 1, scope)
    _total(result, len(ids), cap)
    if offset >= min(result.total, window):
        return []
    return backend.rank(base, terms, ids[:window], window=len(ids) > window, offset=offset, limit=limit)


def _rank_counted(backend, base, terms, result, *, cap, window, offset, limit) -> list[tuple[int, float]]:
    """Counted to `cap` (10,000+) on the index alone, then ranked within the newest `window` matches; listing
    that many ids would cost more than counting them."""
    _total(result, backend.count(base, terms, cap + 1), cap)
    if offset >= min(result.total, window):
        return []
    # Where the ranking window starts, when there are more matches than it holds.
    min_id = backend.window_start(base, terms, window) if result.capped or result.total > window else None
    return backend.top(base, terms, min_id=min_id, offset=offset, limit=limit)


def _hit(row: SearchDocument, score: float, terms: list[Term]) -> Hit:
    return Hit(kind=row.kind, object_id=row.object_id, title=highlight(row.title, terms),
               snippet=snippet(row.body, terms), score=float(score), status=row.status,
               created_at=row.created_at)
