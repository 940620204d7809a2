"""API shapes of tickets. Contact phones leave the server masked; the full number needs a logged reveal."""

from datetime import datetime

from ninja import Field, Schema

from kefu.api.schemas import TeamRef, UserRef, one_of, team_ref, user_ref
from kefu.core.pii import mask_phone
from kefu.customers.models import Customer
from kefu.tickets import events
from kefu.tickets.lifecycle import Channel, Priority, Status
from kefu.tickets.models import Ticket, TicketLink, TicketMessage


class TicketCreateIn(Schema):
    type: str = Field(..., description="Ticket type code, e.g. repair, complaint, inquiry")
    title: str
    description: str = ""
    occurred_at: datetime | None = None
    reporter_name: str = ""
    location: str = ""
    cause: str = ""
    handling: str = ""
    contact_phone: str = ""
    channel: str = one_of(Channel, Channel.PHONE.value)
    channel_ref: str = ""
    priority: int = one_of(Priority, Priority.NORMAL.value)
    is_major: bool = False
    customer_id: int | None = None
    team_id: int | None = None
    assignee_id: int | None = None
    parent_id: int | None = None
    custom: dict = {}


class TicketUpdateIn(Schema):
    version: int
    type: str | None = None
    title: str | None = None
    description: str | None = None
    occurred_at: datetime | None = None
    reporter_name: str | None = None
    location: str | None = None
    cause: str | None = None
    handling: str | None = None
    contact_phone: str | None = None
    channel_ref: str | None = None
    priority: int | None = one_of(Priority, None, nullable=True)
    is_major: bool | None = None
    customer_id: int | None = None
    custom: dict | None = None


class TransitionIn(Schema):
    version: int
    to: str = one_of(Status, description="Target status")
    reason: str = ""


class ReopenIn(Schema):
    version: int
    reason: str


class AssignIn(Schema):
    version: int
    team_id: int | None = None
    assignee_id: int | None = None


class DispatchIn(Schema):
    version: int
    team_id: int
    appointment_start: datetime | None = None
    appointment_end: datetime | None = None
    note: str = ""


class MessageIn(Schema):
    kind: str = one_of(TicketMessage.Kind, "reply", description="reply (to the customer), note (internal) or customer")
    body: str
    version: int | None = None


class LinkIn(Schema):
    other_id: int
    kind: str = one_of(TicketLink.Kind, "related")


class MergeIn(Schema):
    version: int
    into_id: int


class ParentIn(Schema):
    version: int
    parent_id: int


class ComplaintIn(Schema):
    version: int
    responsible_party: str = ""
    responsible_team_id: int | None = None
    content: str = ""
    result: str = ""


class ComplaintOut(Schema):
    ticket_id: int
    responsible_party: str
    responsible_team_id: int | None
    content: str
    result: str
    recorded_at: datetime
    missing: list[str] = Field(..., description="What the complaint still lacks before it may close")


class OverrideCloseIn(Schema):
    version: int
    reason: str


class ReferralIn(Schema):
    question: str
    manager_id: int


class DecisionIn(Schema):
    decision: str


class ReferralOut(Schema):
    id: int
    ticket_id: int
    ticket_number: str
    question: str
    manager_id: int
    asked_by_id: int | None
    asked_at: datetime
    state: str
    decision: str
    decided_at: datetime | None


def referral_out(r) -> dict:
    return {"id": r.pk, "ticket_id": r.ticket_id, "ticket_number": f"GD{r.ticket_id:08d}", "question": r.question,
            "manager_id": r.manager_id, "asked_by_id": r.asked_by_id, "asked_at": r.asked_at, "state": r.state,
            "decision": r.decision, "decided_at": r.decided_at}


class CustomerRef(Schema):
    id: int
    name: str
    tier: str = one_of(Customer.Tier)


class TicketOut(Schema):
    id: int
    number: str
    type: str
    type_label: str
    title: str
    description: str
    occurred_at: datetime | None
    reporter_name: str
    location: str
    cause: str
    handling: str
    contact_phone: str = Field(..., description="Masked, e.g. 138****1234")
    channel: str = one_of(Channel)
    channel_ref: str
    priority: int = one_of(Priority)
    is_major: bool
    status: str = one_of(Status)
    status_label: str
    is_open: bool
    customer: CustomerRef | None
    team: TeamRef | None
    assignee: UserRef | None
    dispatched_team: TeamRef | None
    appointment_start: datetime | None
    appointment_end: datetime | None
    custom: dict
    parent_id: int | None
    merged_into_id: int | None
    version: int
    created_at: datetime
    updated_at: datetime
    allowed_transitions: list[str]


class TicketListOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[TicketOut]


class TimelineEntry(Schema):
    version: int
    code: str
    label: str
    params: dict
    actor: UserRef | None
    at: datetime
    message_kind: str | None = one_of(TicketMessage.Kind, None, nullable=True)
    message_body: str | None = None


class TicketDetailOut(TicketOut):
    created_by: UserRef | None
    timeline: list[TimelineEntry]


class PhoneOut(Schema):
    phone: str


class RevealReasonIn(Schema):
    reason: str = Field("", max_length=200)


class TicketTypeFieldOut(Schema):
    key: str
    label: str
    label_en: str
    kind: str
    required: bool
    choices: list


class TicketTypeOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    is_complaint: bool
    is_emergency: bool
    fields: list[TicketTypeFieldOut]
    # Every status mapped to the statuses a ticket of this type may move to next (reopening is its own call).
    transitions: dict[str, list[str]]
    # What a ticket must have before it may enter a status: "title" and custom.<key> at creation ("new"),
    # "assignee" for assigned, and for a complaint the closed loop's items before it closes.
    requires: dict[str, list[str]]


def ticket_out(ticket: Ticket) -> dict:
    customer = ticket.customer
    return {
        "id": ticket.pk, "number": ticket.number, "type": ticket.ticket_type.code,
        "type_label": ticket.ticket_type.label, "title": ticket.title, "description": ticket.description,
        "occurred_at": ticket.occurred_at, "reporter_name": ticket.reporter_name, "location": ticket.location,
        "cause": ticket.cause, "handling": ticket.handling, "contact_phone": mask_phone(ticket.contact_phone),
        "channel": ticket.channel, "channel_ref": ticket.channel_ref, "priority": ticket.priority,
        "is_major": ticket.is_major, "status": ticket.status, "status_label": str(Status(ticket.status).label),
        "is_open": ticket.is_open,
        "customer": {"id": customer.pk, "name": customer.name, "tier": customer.tier} if customer else None,
        "team": team_ref(ticket.team), "assignee": user_ref(ticket.assignee),
        "dispatched_team": team_ref(ticket.dispatched_team), "appointment_start": ticket.appointment_start,
        "appointment_end": ticket.appointment_end, "custom": ticket.custom, "parent_id": ticket.parent_id,
        "merged_into_id": ticket.merged_into_id, "version": ticket.version, "created_at": ticket.created_at,
        "updated_at": ticket.updated_at, "allowed_transitions": ticket.ticket_type.allowed_next(ticket.status),
    }


def timeline_entry(event, messages: dict) -> dict:
    message = messages.get(event.params.get("message")) if "message" in event.params else None
    return {
        "version": event.version, "code": event.code, "label": events.label(event.code),
        "params": event.params, "actor": user_ref(event.actor), "at": event.created_at,
        "message_kind": message.kind if message else None, "message_body": message.body if message else None,
    }
