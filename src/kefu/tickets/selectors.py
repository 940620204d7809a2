"""Read queries for tickets, all through visible_to(user)."""

from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.roles import Role
from kefu.core.errors import NotFound, ValidationFailed
from kefu.core.prepared import PreparedList, PreparedQuery
from kefu.tickets.lifecycle import Status
from kefu.tickets.models import ManagerReferral, Ticket, TicketMessage, TicketType

MAX_PAGE_SIZE = 100


@dataclass
class TicketFilters:
    status: list[str] | None = None
    is_open: bool | None = None
    team_id: int | None = None
    assignee_id: int | None = None
    dispatched_team_id: int | None = None
    type: str | None = None
    priority: int | None = None
    channel: str | None = None
    customer_id: int | None = None
    phone: str | None = None
    tier: str | None = None  # the customer's tier (CU1)
    sla: str | None = None  # "at_risk" (past the warning threshold) or "breached"
    q: str | None = None  # a ticket number, or words of the title


def _sla_condition(state: str) -> Q:
    """Tickets past a clock's warning point but within every limit (at_risk), or past a limit (breached); the
    same definition as the queue board's, read from the ticket's SLA summary (kefu.sla.summary)."""
    from kefu.sla.summary import AT_RISK, BREACHED, state_q

    if state not in (AT_RISK, BREACHED):
        raise ValidationFailed(_("Choose at risk or breached."), code="invalid_choice", field="sla")
    return state_q(state, timezone.now())


def _keyword(qs, q: str):
    """A ticket number finds that ticket; other words must all appear in the title."""
    q = q.strip()
    if q.lstrip("#").isdigit():
        return qs.filter(pk=int(q.lstrip("#")))
    for word in q.split()[:5]:
        qs = qs.filter(title__icontains=word)
    return qs


def list_queryset(user, filters: TicketFilters):
    """Tickets the user may see, filtered, ordered by priority then age (the agent's queue order)."""
    qs = Ticket.objects.visible_to(user)
    if filters.status:
        unknown = [s for s in filters.status if s not in Status.values]
        if unknown:
            raise ValidationFailed(_("Unknown status."), code="invalid_choice", field="status")
        qs = qs.filter(status__in=filters.status)
    for attr in ("is_open", "team_id", "assignee_id", "dispatched_team_id", "priority", "channel",
                 "customer_id"):
        value = getattr(filters, attr)
        if value is not None:
            qs = qs.filter(**{attr: value})
    if filters.type:
        qs = qs.filter(ticket_type__code=filters.type)
    if filters.phone:
        qs = qs.filter(contact_phone=filters.phone)
    if filters.tier:
        qs = qs.filter(customer__tier=filters.tier)
    if filters.sla:
        qs = qs.filter(_sla_condition(filters.sla))
    if filters.q:
        qs = _keyword(qs, filters.q)
    return qs.order_by("-priority", "created_at", "id")


_ROW_RELATED = ("ticket_type", "team", "assignee", "customer", "dispatched_team")
# A list row is the whole ticket (the API's list items are full tickets) and, of its relations, the type and the
# names the queue and ticket_out() show: a fraction of the columns, and none of the customer's personal data.
_ROW_FIELDS = (
    *(f.name for f in Ticket._meta.concrete_fields),
    *(f"ticket_type__{f.name}" for f in TicketType._meta.concrete_fields),
    "team__name", "dispatched_team__name", "customer__name", "customer__tier",
    "assignee__username", "assignee__first_name", "assignee__last_name", "assignee__display_name", "assignee__agent_no",
)
# The queues' own filters (mine, my team's, dispatched to my crew) and the filter bar's integer ones: values the
# compiled query takes as parameters. is_open is part of its shape; any other filter goes through the ORM.
_QUEUE_PARAMS = ("team_id", "assignee_id", "dispatched_team_id", "priority", "customer_id")
_ORM_ONLY = ("status", "type", "channel", "phone", "tier", "sla", "q")


def viewer_key(user) -> tuple | None:
    """What decides the shape of Ticket.objects.visible_to(user)'s filter (the ids in it are parameters)."""
    if user is None:
        return None
    return (user.is_authenticated, user.is_active, user.is_superuser, getattr(user, "role", None),
            bool(getattr(user, "team_id", None)))


def viewer_ids(user) -> list[int]:
    return [] if user is None else [user.pk or 0, getattr(user, "team_id", None) or 0]


def viewer(user, ids: list[int]):
    """A stand-in for `user` in visible_to() with its ids replaced by the query's parameters, so that a query is
    compiled once per role, not once per person (a first page costs ~5 ms to compile). It has only what
    visible_to() reads: a rule reading anything else fails loudly here rather than sharing a wrong query."""
    if user is None:
        return None
    pk, team_id = ids
    return SimpleNamespace(is_authenticated=user.is_authenticated, is_active=user.is_active,
                           is_superuser=user.is_superuser, role=getattr(user, "role", None), pk=pk,
                           team_id=team_id if getattr(user, "team_id", None) else None)


def _queue_queryset(*values, user, names: tuple[str, ...], is_open: bool | None):
    filters = TicketFilters(is_open=is_open, **dict(zip(names, values[:len(names)], strict=True)))
    stand_in = viewer(user, list(values[len(names):]))
    return list_queryset(stand_in, filters).select_related(*_ROW_RELATED).only(*_ROW_FIELDS)


# The queue pages and GET /tickets run this on every view: compiled once per role and filter shape
# (kefu.core.prepared), where the ORM spent ~4 ms per page building the count and the page (0.5 ms of SQL).
_queue = PreparedList(_queue_queryset, None)


def ticket_page(user, filters: TicketFilters, *, page: int = 1, page_size: int = 20) -> tuple[int, list[Ticket]]:
    """One page of the queue and the total count."""
    if page < 1:
        raise ValidationFailed(_("Pages start at 1."), code="out_of_range", field="page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValidationFailed(_("Page size is 1 to 100."), code="out_of_range", field="page_size")
    start = (page - 1) * page_size
    if not any(getattr(filters, name) for name in _ORM_ONLY):
        names = tuple(name for name in _QUEUE_PARAMS if getattr(filters, name) is not None)
        values = [*(getattr(filters, name) for name in names), *viewer_ids(user)]
        context = {"user": user, "names": names, "is_open": filters.is_open}
        key = (viewer_key(user), names, filters.is_open)
        return (_queue.count(*values, key=key, **context),
                _queue.page(*values, offset=start, limit=page_size, key=key, **context))
    qs = list_queryset(user, filters)
    count = qs.count()
    items = list(qs.select_related(*_ROW_RELATED).only(*_ROW_FIELDS)[start:start + page_size])
    return count, items


def _detail_queryset(pk, *viewer_ids, user=None):
    qs = Ticket.objects.all() if user is None else Ticket.objects.visible_to(viewer(user, list(viewer_ids)))
    return (qs.select_related("ticket_type", "team", "assignee", "customer", "dispatched_team", "created_by")
            .filter(pk=pk))


# The ticket page and GET /tickets/{id} load this on every view: compiled once per role (see viewer) instead
# of by the ORM each time, which cost ~1.5 ms of the ~2 ms it took.
_detail = PreparedQuery(_detail_queryset, None)


def ticket_detail(user, ticket_id: int) -> tuple[Ticket, list, dict[int, TicketMessage]]:
    """A ticket, its timeline (events oldest first) and the messages the timeline refers to.

    user=None is the operator at the command line (as in the services); the API always passes a user."""
    ticket = _detail.first(ticket_id, *viewer_ids(user), key=viewer_key(user), user=user)
    if ticket is None:
        raise NotFound(_("No such ticket."), field="ticket")
    events = list(ticket.events.select_related("actor").order_by("created_at", "id"))
    messages = {m.pk: m for m in ticket.messages.all()}
    return ticket, events, messages


def referrals_for(user, *, state: str = "pending"):
    """The manager's inbox: referrals addressed to `user` (all of them for a director or admin)."""
    if state not in ManagerReferral.State.values:
        raise ValidationFailed(_("Unknown state."), code="invalid_choice", field="state")
    qs = ManagerReferral.objects.filter(state=state, ticket__in=Ticket.objects.visible_to(user))
    if user.role not in (Role.DIRECTOR, Role.ADMIN):
        qs = qs.filter(manager_id=user.pk)
    return qs.select_related("ticket", "asked_by", "manager").order_by("asked_at", "id")
