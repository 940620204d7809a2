"""Keeping the index current: documents for tickets and customers built here, articles given by their app.

Customers are written inside the transaction of the change (the customer services' hook); tickets are marked
pending there and written just after the commit by kefu.search.pending. Either way the index never shows a
change that was rolled back and never misses one that was committed.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from kefu.search import text as t
from kefu.search.models import Audience, Kind, SearchDocument
from kefu.search.scope import document_scope, ticket_tokens


@dataclass
class DocumentInput:
    """What another app hands the index: display text, extra tokens (numbers, codes) and filter values."""

    kind: str
    object_id: int
    title: str
    body: str = ""
    keywords: list[str] | None = None  # extra exact tokens: numbers, codes, pinyin
    status: str = ""
    ticket_type_id: int | None = None
    team_id: int | None = None
    audience: str = Audience.INTERNAL
    created_at: datetime | None = None
    access: list[str] | None = None  # who may see it besides its kind and audience: kefu.search.scope tokens


def build_row(doc: DocumentInput, *, now: datetime | None = None) -> SearchDocument:
    """Segment the texts once; the database's full-text index is derived from these token columns."""
    keywords = [k for word in (doc.keywords or []) for k in t.words(word)]
    return SearchDocument(
        kind=doc.kind, object_id=doc.object_id, title=doc.title[:300], body=doc.body,
        title_words=" ".join(t.words(doc.title) + keywords),
        body_words=" ".join(t.words(doc.body) + t.phones_in(doc.body)),
        grams=" ".join(t.bigrams(doc.title) + t.bigrams(doc.body)),
        scope=document_scope(doc.kind, doc.audience, doc.access or ()),
        status=doc.status, ticket_type_id=doc.ticket_type_id, team_id=doc.team_id, audience=doc.audience,
        created_at=doc.created_at, indexed_at=now or timezone.now(),
    )


def index_document(doc: DocumentInput, *, now: datetime | None = None) -> None:
    """Add or replace one object's document. Call it inside the transaction that changed the object."""
    row = build_row(doc, now=now)
    fields = [f.name for f in SearchDocument._meta.concrete_fields if f.name not in ("id", "kind", "object_id")]
    with transaction.atomic():
        updated = SearchDocument.objects.filter(kind=doc.kind, object_id=doc.object_id).update(
            **{name: getattr(row, name) for name in fields})
        if not updated:
            row.save(force_insert=True)


def remove_document(*, kind: str, object_id: int) -> None:
    """Drop an object from the index (deleted, unpublished, merged away)."""
    SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()


# ----- tickets -----

def _ticket_queryset():
    from kefu.tickets.models import Ticket, TicketMessage

    return Ticket.objects.select_related("ticket_type").prefetch_related(
        Prefetch("messages", queryset=TicketMessage.objects.order_by("created_at", "id").only(
            "ticket_id", "body", "created_at")))


def ticket_document(ticket) -> DocumentInput:
    """Title, 5W1H, custom field values and every reply, note and customer message of a ticket.

    Internal notes are included: every role that may see a ticket reads its notes on the ticket page too.
    """
    custom = [str(v) for v in (ticket.custom or {}).values() if isinstance(v, str | int) and not isinstance(v, bool)]
    parts = [ticket.description, ticket.reporter_name, ticket.location, ticket.cause, ticket.handling, *custom,
             *(m.body for m in ticket.messages.all())]
    keywords = [ticket.number, ticket.channel_ref, *t.phone_tokens(ticket.contact_phone)]
    return DocumentInput(
        kind=Kind.TICKET, object_id=ticket.pk, title=ticket.title, body="\n".join(p for p in parts if p),
        keywords=[k for k in keywords if k], status=ticket.status, ticket_type_id=ticket.ticket_type_id,
        team_id=ticket.team_id, created_at=ticket.created_at, access=ticket_tokens(ticket),
    )


def index_ticket(ticket_id: int) -> None:
    ticket = _ticket_queryset().filter(pk=ticket_id).first()
    if ticket is None:
        remove_document(kind=Kind.TICKET, object_id=ticket_id)
    else:
        index_document(ticket_document(ticket))


def _silent_codes():
    from kefu.tickets.events import codes_of
    from kefu.tickets.models import EventCode

    # Events that change no indexed text, no filter value and no access token (kefu.search.scope.TICKET_FIELDS
    # change only with CREATED, ASSIGNED and DISPATCHED): the SLA app's, and these of the ticket app.
    return {*codes_of("sla"), EventCode.PHONE_REVEALED, EventCode.FOLLOW_UP_CREATED, EventCode.FOLLOW_UP_DONE,
            EventCode.LINKED}


def _rerouting_codes():
    from kefu.tickets.models import EventCode

    # The events that change a field visibility is decided by (kefu.search.scope.TICKET_FIELDS) on a ticket
    # that may be indexed already; a new ticket's first document is written with its tokens.
    return {EventCode.ASSIGNED, EventCode.DISPATCHED}


def update_ticket_scope(ticket) -> None:
    """Write who may see `ticket` into its document now, inside the transaction that rerouted it: its text can
    wait for the drain, but until then the old team would still find it and the new team would not."""
    SearchDocument.objects.filter(kind=Kind.TICKET, object_id=ticket.pk).update(
        scope=document_scope(Kind.TICKET, Audience.INTERNAL, ticket_tokens(ticket)))


def on_ticket_event(ticket, event) -> None:
    """Registered with kefu.tickets.events.listen: mark the ticket's document out of date inside the changing
    transaction; kefu.search.pending writes it after the commit (segmenting costs more than the change). Who
    may see it is written at once."""
    if event.code not in _silent_codes():
        from kefu.search.pending import mark  # pending builds its documents with this module

        if event.code in _rerouting_codes():
            update_ticket_scope(ticket)
        mark(Kind.TICKET, ticket.pk)


# ----- customers -----

def _customer_queryset():
    from kefu.customers.models import Customer

    return Customer.objects.prefetch_related("contacts", "references")


def customer_document(customer) -> DocumentInput:
    """Name (with pinyin), contacts, references (meter, account, order numbers …) and notes; never the ID number."""
    contacts = [c.value for c in customer.contacts.all()]
    references = [r.value for r in customer.references.all()]
    phones = [tok for c in customer.contacts.all() if c.is_sensitive for tok in t.phone_tokens(c.value)]
    body = "\n".join(p for p in [*contacts, *references, customer.notes] if p)
    return DocumentInput(
        kind=Kind.CUSTOMER, object_id=customer.pk, title=customer.name, body=body,
        keywords=[*t.pinyin_tokens(customer.name), *phones], status=customer.status,
        created_at=customer.created_at,
    )


def index_customer(customer_id: int) -> None:
    """Registered with kefu.customers.services.listen: called inside each customer change."""
    customer = _customer_queryset().filter(pk=customer_id).first()
    if customer is None:
        remove_document(kind=Kind.CUSTOMER, object_id=customer_id)
    else:
        index_document(customer_document(customer))


# ----- rebuilding -----

Source = Callable[[int], Iterator[list[DocumentInput]]]
_sources: dict[str, Source] = {}


def register_source(kind: str, source: Source) -> None:
    """Another app (knowledge articles) names how to list its documents, in batches, for `kefu search reindex`."""
    _sources[kind] = source


def _batched(queryset, to_doc, batch: int) -> Iterator[list[DocumentInput]]:
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:batch])
        if not rows:
            return
        last = rows[-1].pk
        yield [to_doc(row) for row in rows]


def sources() -> dict[str, Source]:
    return {
        Kind.TICKET: lambda batch: _batched(_ticket_queryset(), ticket_document, batch),
        Kind.CUSTOMER: lambda batch: _batched(_customer_queryset(), customer_document, batch),
        **_sources,
    }


def reindex(*, kinds: Iterable[str] | None = None, batch: int = 500,
            progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Rebuild the documents of `kinds` (default all) from the objects, one transaction per batch."""
    counts = {}
    started = timezone.now()
    for kind, source in sources().items():
        if kinds and kind not in kinds:
            continue
        done = 0
        for docs in source(batch):
            # Batch by batch, so search keeps answering while the index is rebuilt.
            with transaction.atomic():
                SearchDocument.objects.filter(kind=kind, object_id__in=[d.object_id for d in docs]).delete()
                SearchDocument.objects.bulk_create([build_row(d, now=timezone.now()) for d in docs])
            done += len(docs)
            if progress:
                progress(kind, done)
        # Whatever was not rewritten belongs to an object that no longer exists.
        SearchDocument.objects.filter(kind=kind, indexed_at__lt=started).delete()
        counts[kind] = done
    return counts
