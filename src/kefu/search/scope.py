"""Who may see a document, written into the index as tokens: a search by a role that sees part of the tickets is
then one full-text query, `(words) AND scope:(team7 OR assignee42 OR creator42)`, instead of a lookup in the
tickets table for every match.

A document's tokens (the `scope` column): its kind, `public` for a public article, and for a ticket one token per
field that TicketQuerySet.visible_to decides by. A user's tokens are read off the condition visible_to(user)
builds, so the rule stays written once, in the tickets app: a condition the index cannot answer exactly (a
customer's account manager, a subquery, anything new) makes access_for() return None, and the search falls
back to testing each match against visible_to (kefu.search.selectors.visible_documents).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import QuerySet
from django.db.models.expressions import Col
from django.db.models.lookups import Exact
from django.db.models.sql.where import OR, WhereNode

from kefu.search.models import Audience, Kind

# The ticket fields visibility is decided by, with their token's prefix. A change of one of them rewrites the
# ticket's tokens inside the changing transaction (kefu.search.indexing.update_ticket_scope on the ASSIGNED and
# DISPATCHED events), not after the commit with its text; a new ticket's first document has them; the creator
# never changes.
TICKET_FIELDS = {"team_id": "team", "assignee_id": "assignee", "created_by_id": "creator",
                 "dispatched_team_id": "dispatched"}
PUBLIC = "public"


def ticket_tokens(ticket) -> list[str]:
    """A ticket's access tokens: one per routing field that is set. Takes any object with those attributes, so
    the migration can pass historical rows."""
    return [f"{prefix}{value}" for attname, prefix in TICKET_FIELDS.items()
            if (value := getattr(ticket, attname)) is not None]


def document_scope(kind: str, audience: str, tokens: Iterable[str] = ()) -> str:
    """The `scope` column: the kind (a kind filter is a token too), `public` for a public article, then `tokens`."""
    public = [PUBLIC] if kind == Kind.ARTICLE and audience == Audience.PUBLIC else []
    return " ".join([kind, *public, *tokens])


@dataclass(frozen=True)
class Access:
    """What a search may match: everything, or the documents having any one of `tokens` (no tokens: nothing)."""

    everything: bool = False
    tokens: tuple[str, ...] = ()


EVERYTHING = Access(everything=True)
NOTHING = Access()


def access_for(user, kinds: Iterable[str] | None = None, *, tickets: QuerySet | None = None) -> Access | None:
    """The documents of `kinds` (default every kind) that `user` may see, as index tokens; None when the index
    cannot say it exactly and each match must be checked against the objects instead. `tickets`:
    Ticket.objects.visible_to(user), when the caller has it already."""
    chosen = list(dict.fromkeys(kinds)) if kinds else list(Kind.values)
    tokens: list[str] = []
    everything = True
    for kind in chosen:
        access = _kind_access(user, kind, tickets)
        if access is None:
            return None
        everything = everything and access.everything
        tokens.extend([kind] if access.everything else access.tokens)
    if everything and set(chosen) >= set(Kind.values):
        return EVERYTHING
    return Access(tokens=tuple(dict.fromkeys(tokens)))


def _kind_access(user, kind: str, tickets: QuerySet | None) -> Access | None:
    from kefu.customers.models import Customer
    from kefu.tickets.models import Ticket

    active = user is not None and user.is_authenticated and user.is_active
    if kind == Kind.ARTICLE:
        # Articles have no visible_to: staff read them all, everyone else the public ones.
        return EVERYTHING if active else Access(tokens=(PUBLIC,))
    if kind == Kind.TICKET:
        return _queryset_access(Ticket.objects.visible_to(user) if tickets is None else tickets, TICKET_FIELDS)
    if kind == Kind.CUSTOMER:
        return _queryset_access(Customer.objects.visible_to(user), {})
    return NOTHING


def _queryset_access(qs: QuerySet, fields: dict[str, str]) -> Access | None:
    if qs.query.is_empty():
        return NOTHING
    if not qs.query.where.children:
        return EVERYTHING
    tokens = _tokens(qs.query.where, qs.query.base_table, fields)
    return None if tokens is None else Access(tokens=tuple(tokens))


def _tokens(node, table: str, fields: dict[str, str]) -> list[str] | None:
    """`field = value` conditions on the queried table itself, ORed: one token each. Anything else → None."""
    if isinstance(node, WhereNode):
        if node.negated or (node.connector != OR and len(node.children) != 1):
            return None
        parts = [_tokens(child, table, fields) for child in node.children]
        return None if any(p is None for p in parts) else [token for p in parts for token in p]
    lhs = getattr(node, "lhs", None)
    if (isinstance(node, Exact) and isinstance(lhs, Col) and lhs.alias == table
            and lhs.target.attname in fields and isinstance(node.rhs, int) and not isinstance(node.rhs, bool)):
        return [f"{fields[lhs.target.attname]}{node.rhs}"]
    return None


def fill_scopes(document_model, ticket_model, *, batch: int = 2000) -> int:
    """Write the `scope` column of every document from the objects (the migration that added it, with historical
    models; `kefu search reindex` writes it through build_row). Returns the number of ticket documents."""
    for kind in Kind.values:
        if kind != Kind.TICKET:
            document_model.objects.filter(kind=kind).exclude(audience=Audience.PUBLIC).update(
                scope=document_scope(kind, Audience.INTERNAL))
            document_model.objects.filter(kind=kind, audience=Audience.PUBLIC).update(
                scope=document_scope(kind, Audience.PUBLIC))
    done, last = 0, 0
    while True:
        rows = list(ticket_model.objects.filter(pk__gt=last).order_by("pk").values("pk", *TICKET_FIELDS)[:batch])
        if not rows:
            return done
        last = rows[-1]["pk"]
        scopes = {row["pk"]: document_scope(Kind.TICKET, Audience.INTERNAL, ticket_tokens(SimpleNamespace(**row)))
                  for row in rows}
        docs = list(document_model.objects.filter(kind=Kind.TICKET, object_id__in=list(scopes)).only("object_id"))
        for doc in docs:
            doc.scope = scopes[doc.object_id]
        document_model.objects.bulk_update(docs, ["scope"], batch_size=500)
        done += len(docs)
