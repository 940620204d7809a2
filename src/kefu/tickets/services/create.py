"""Creating a ticket."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import Team, User
from kefu.core.errors import ValidationFailed
from kefu.customers.models import Customer
from kefu.tickets import store
from kefu.tickets import validation as v
from kefu.tickets.events import emit, prepare
from kefu.tickets.lifecycle import Channel, Priority, Status
from kefu.tickets.models import EventCode, Ticket
from kefu.tickets.services.common import require_handler
from kefu.tickets.store import bump


@dataclass
class TicketInput:
    """What an agent records when a ticket is opened (TK2: 5W1H plus contact phone)."""

    type: str | int
    title: str
    description: str = ""
    occurred_at: datetime | None = None
    reporter_name: str = ""
    location: str = ""
    cause: str = ""
    handling: str = ""
    contact_phone: str = ""
    channel: str = Channel.PHONE
    channel_ref: str = ""
    priority: int = Priority.NORMAL
    is_major: bool = False
    customer_id: int | None = None
    team_id: int | None = None
    assignee_id: int | None = None
    parent_id: int | None = None
    custom: dict = field(default_factory=dict)


def resolve_routing(team_id: int | None, assignee_id: int | None) -> tuple[Team | None, User | None]:
    """The team and assignee named by ids; an assignee must be active, handle tickets and be in the team."""
    if assignee_id is not None:
        # The assignee comes with their team, so the usual case (team and assignee, or assignee alone) is one
        # query; the team is looked up on its own only to say which of the two ids is wrong.
        assignee = User.objects.select_related("team").filter(pk=assignee_id, is_active=True).first()
        if team_id is not None and (assignee is None or assignee.team_id != team_id):
            _team_or_error(team_id)
        if assignee is None or not assignee.can_handle_tickets():
            raise ValidationFailed(_("This user cannot be assigned tickets."), code="invalid_assignee",
                                   field="assignee_id")
        if team_id is not None and assignee.team_id != team_id:
            raise ValidationFailed(_("The assignee is not a member of this team."), code="assignee_not_in_team",
                                   field="assignee_id")
        return assignee.team, assignee
    return (_team_or_error(team_id) if team_id is not None else None), None


def _team_or_error(team_id: int) -> Team:
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise ValidationFailed(_("No such team."), code="unknown_team", field="team_id")
    return team


def resolve_customer(actor: User | None, customer_id: int | None) -> Customer | None:
    """The customer a ticket is for, as the actor may see it; an unknown or invisible one is refused."""
    if customer_id is None:
        return None
    customers = Customer.objects.all() if actor is None else Customer.objects.visible_to(actor)
    customer = customers.filter(pk=customer_id).first()
    if customer is None:
        raise ValidationFailed(_("No such customer."), code="unknown_customer", field="customer_id")
    return customer


@transaction.atomic
def create_ticket(*, actor: User | None, data: TicketInput, now: datetime | None = None) -> Ticket:
    """Open a ticket; it starts as new, or assigned when an assignee is given. `now` backdates demo data."""
    require_handler(actor)
    ticket_type = v.resolve_type(data.type)
    title = v.clean_title(data.title)
    channel = v.clean_channel(data.channel)
    priority = v.clean_priority(data.priority)
    phone = v.clean_phone(data.contact_phone)
    custom = v.clean_custom(ticket_type, data.custom)
    texts = {name: v.clean_text(getattr(data, name), field=name)
             for name in ("description", "cause", "handling")}
    short = {name: v.clean_text(getattr(data, name), field=name, limit=limit)
             for name, limit in (("reporter_name", 100), ("location", 300), ("channel_ref", 100))}
    team, assignee = resolve_routing(data.team_id, data.assignee_id)
    if team is None and actor is not None:
        team = actor.team
    customer = resolve_customer(actor, data.customer_id)
    parent = store.load(actor, data.parent_id, field="parent_id") if data.parent_id else None
    if parent is not None and (not parent.is_open or parent.merged_into_id):
        raise ValidationFailed(_("A new ticket cannot be put under a resolved, closed or merged parent."),
                               code="parent_done", field="parent_id")
    at = now or timezone.now()
    ticket = Ticket(
        ticket_type=ticket_type, title=title, occurred_at=data.occurred_at, contact_phone=phone,
        channel=channel, priority=priority, is_major=bool(data.is_major), customer=customer, team=team,
        assignee=assignee,
        status=Status.ASSIGNED if assignee else Status.NEW, is_open=True, custom=custom, parent=parent,
        created_by=actor, created_at=at, updated_at=at, **texts, **short,
    )
    prepare(ticket)
    ticket.save(force_insert=True)
    emit(ticket, EventCode.CREATED, actor=actor, at=at, params={
        "type": ticket_type.code, "channel": channel, "priority": priority, "status": ticket.status,
        "major": ticket.is_major,
        "team": team.pk if team else None, "assignee": assignee.pk if assignee else None,
        "parent": parent.pk if parent else None,
    })
    if parent is not None:
        bump(parent, {"updated_at": at})
        emit(parent, EventCode.CHILD_ADDED, actor=actor, at=at, params={"child": ticket.pk})
    return ticket
