"""Read queries for tickets, all through visible_to(user)."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.roles import Role
from kefu.core.errors import NotFound, ValidationFailed
from kefu.tickets.lifecycle import Status
from kefu.tickets.models import ManagerReferral, Ticket, TicketLink, TicketMessage, TicketType

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
    from kefu.tickets.slastate import AT_RISK, BREACHED, state_q

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
def ticket_page(user, filters: TicketFilters, *, page: int = 1, page_size: int = 20) -> tuple[int, list[Ticket]]:
    """One page of the queue and the total count."""
    if page < 1:
        raise ValidationFailed(_("Pages start at 1."), code="out_of_range", field="page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValidationFailed(_("Page size is 1 to 100."), code="out_of_range", field="page_size")
    start = (page - 1) * page_size
    qs = list_queryset(user, filters)
    count = qs.count()
    items = list(qs.select_related(*_ROW_RELATED).only(*_ROW_FIELDS)[start:start + page_size])
    return count, items


def ticket_detail(user, ticket_id: int) -> tuple[Ticket, list, dict[int, TicketMessage]]:
    """A ticket, its timeline (events oldest first) and the messages the timeline refers to.

    user=None is the operator at the command line (as in the services); the API always passes a user."""
    qs = Ticket.objects.all() if user is None else Ticket.objects.visible_to(user)
    ticket = (qs.select_related("ticket_type", "team", "assignee", "customer", "dispatched_team", "created_by")
              .filter(pk=ticket_id).first())
    if ticket is None:
        raise NotFound(_("No such ticket."), field="ticket")
    events = list(ticket.events.select_related("actor").order_by("created_at", "id"))
    messages = {m.pk: m for m in ticket.messages.all()}
    return ticket, events, messages


def visible_links(user, ticket: Ticket) -> list[tuple[Ticket, TicketLink]]:
    """(the other ticket, the link) for each link of `ticket` whose other end the user may see: a linked ticket
    the user may not open shows neither its number nor its title."""
    visible = Ticket.objects.visible_to(user) if user is not None else Ticket.objects.all()
    links = (TicketLink.objects.filter(Q(source=ticket, target__in=visible) | Q(target=ticket, source__in=visible))
             .select_related("source", "target").order_by("id"))
    return [(link.target if link.source_id == ticket.pk else link.source, link) for link in links]


def referrals_for(user, *, state: str = "pending"):
    """The manager's inbox: referrals addressed to `user` (all of them for a director or admin)."""
    if state not in ManagerReferral.State.values:
        raise ValidationFailed(_("Unknown state."), code="invalid_choice", field="state")
    qs = ManagerReferral.objects.filter(state=state, ticket__in=Ticket.objects.visible_to(user))
    if user.role not in (Role.DIRECTOR, Role.ADMIN):
        qs = qs.filter(manager_id=user.pk)
    return qs.select_related("ticket", "asked_by", "manager").order_by("asked_at", "id")
