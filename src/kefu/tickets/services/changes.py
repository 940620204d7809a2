"""Changing a ticket: its fields, status, routing, dispatch to a field crew, reopening."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import Team, User
from kefu.core.errors import ValidationFailed
from kefu.tickets import store
from kefu.tickets import validation as v
from kefu.tickets.events import emit
from kefu.tickets.lifecycle import DONE_STATUSES, OPEN_STATUSES, Status
from kefu.tickets.models import EventCode, Ticket
from kefu.tickets.services.common import require_handler
from kefu.tickets.services.complaints import refuse_open_loop
from kefu.tickets.services.create import resolve_customer, resolve_routing
from kefu.tickets.services.referrals import refuse_while_referred
from kefu.tickets.store import check_version, save

_TEXT_LIMITS = {"description": v.MAX_TEXT, "cause": v.MAX_TEXT, "handling": v.MAX_TEXT,
                "reporter_name": 100, "location": 300, "channel_ref": 100}
EDITABLE = ("type", "title", "occurred_at", "contact_phone", "priority", "is_major", "customer_id", "custom",
            *_TEXT_LIMITS)


def _jsonable(value):
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _clean_changes(actor: User | None, ticket: Ticket, changes: dict) -> dict:
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValidationFailed(_("This field cannot be changed here."), code="not_editable", field=unknown[0])
    clean: dict = {}
    ticket_type = ticket.ticket_type
    if "type" in changes:
        ticket_type = v.resolve_type(changes["type"])
        if ticket_type.transitions and ticket.status not in ticket_type.transitions:
            raise ValidationFailed(_("The new type does not allow the ticket's current status."),
                                   code="type_status_mismatch", field="type")
        clean["ticket_type"] = ticket_type
    if "type" in changes or "custom" in changes:
        clean["custom"] = v.clean_custom(ticket_type, changes.get("custom", ticket.custom))
    for key, value in changes.items():
        if key == "title":
            clean[key] = v.clean_title(value)
        elif key in _TEXT_LIMITS:
            clean[key] = v.clean_text(value, field=key, limit=_TEXT_LIMITS[key])
        elif key == "contact_phone":
            clean[key] = v.clean_phone(value)
        elif key == "priority":
            clean[key] = v.clean_priority(value)
        elif key == "occurred_at":
            clean[key] = value
        elif key == "is_major":
            if not isinstance(value, bool):
                raise ValidationFailed(_("Enter true or false."), code="invalid_boolean", field=key)
            clean[key] = value
        elif key == "customer_id":
            customer = resolve_customer(actor, value)
            clean["customer"] = customer
    return clean


# Not durable: a customer merge (kefu.channels) moves every ticket inside its one transaction.
@transaction.atomic
def update_ticket(*, actor: User | None, ticket_id: int, version: int, changes: dict,
                  now: datetime | None = None) -> Ticket:
    """Change the record's fields. Only fields whose value differs are written and shown in the event."""
    require_handler(actor)
    ticket = store.load(actor, ticket_id)
    check_version(ticket, version)
    clean = _clean_changes(actor, ticket, changes)
    diff = {}
    for key, value in clean.items():
        old = getattr(ticket, key)
        if old != value:
            # Phone numbers stay out of event params: the timeline is not a place to leak them.
            if key == "contact_phone":
                diff[key] = ["***", "***"]
            elif key in ("ticket_type", "customer"):
                diff[key] = [getattr(old, "pk", None), getattr(value, "pk", None)]
            else:
                diff[key] = [_jsonable(old), _jsonable(value)]
    if not diff:
        return ticket
    at = now or timezone.now()
    save(ticket, version, {**{k: clean[k] for k in diff}, "updated_at": at})
    emit(ticket, EventCode.UPDATED, actor=actor, at=at, params={"fields": diff})
    return ticket


def _status_side_effects(ticket: Ticket, to: str, at: datetime) -> dict:
    changes = {"status": to, "is_open": to in OPEN_STATUSES, "updated_at": at}
    if to == Status.RESOLVED:
        changes["resolved_at"] = at
    if to == Status.CLOSED:
        changes["closed_at"] = at
    return changes


@transaction.atomic
def transition_ticket(*, actor: User | None, ticket_id: int, version: int, to: str, reason: str = "",
                      now: datetime | None = None) -> Ticket:
    """Move a ticket along its type's lifecycle. A parent cannot be resolved or closed while a child is open."""
    require_handler(actor)
    ticket = store.load(actor, ticket_id)
    check_version(ticket, version)
    if to not in Status.values:
        raise ValidationFailed(_("Unknown status."), code="invalid_choice", field="to")
    if to not in ticket.ticket_type.allowed_next(ticket.status):
        raise ValidationFailed(
            _("A %(type)s ticket cannot go from %(from)s to %(to)s.") % {
                "type": ticket.ticket_type.label, "from": Status(ticket.status).label, "to": Status(to).label},
            code="transition_not_allowed", field="to", params={"from": ticket.status, "to": to})
    if to == Status.ASSIGNED and ticket.assignee_id is None:
        raise ValidationFailed(_("Assign the ticket to someone first."), code="no_assignee", field="to")
    if to in DONE_STATUSES and ticket.children.filter(is_open=True).exists():
        raise ValidationFailed(_("This ticket has open child tickets; resolve them first."),
                               code="open_children", field="to")
    if to in DONE_STATUSES:
        refuse_while_referred(ticket, field="to")
    if to == Status.CLOSED:
        refuse_open_loop(ticket)
    at = now or timezone.now()
    previous = ticket.status
    save(ticket, version, _status_side_effects(ticket, to, at))
    emit(ticket, EventCode.STATUS_CHANGED, actor=actor, at=at,
         params={"from": previous, "to": to, "reason": v.clean_text(reason, field="reason", limit=500)})
    return ticket


@transaction.atomic
def reopen_ticket(*, actor: User | None, ticket_id: int, version: int, reason: str,
                  now: datetime | None = None) -> Ticket:
    """Reopen a resolved, callback or closed ticket; the reason is required and kept in the timeline."""
    require_handler(actor)
    ticket = store.load(actor, ticket_id)
    check_version(ticket, version)
    if ticket.status not in DONE_STATUSES:
        raise ValidationFailed(_("Only a resolved or closed ticket can be reopened."), code="not_reopenable",
                               field="status")
    if ticket.merged_into_id:
        raise ValidationFailed(_("A merged ticket cannot be reopened; reopen the one it was merged into."),
                               code="merged", field="status")
    if ticket.parent_id and not Ticket.objects.filter(pk=ticket.parent_id, is_open=True).exists():
        raise ValidationFailed(_("The parent ticket is resolved or closed; reopen the parent first."),
                               code="parent_done", field="status")
    reason = v.clean_text(reason, field="reason", limit=500)
    if not reason:
        raise ValidationFailed(_("Say why the ticket is reopened."), code="required", field="reason")
    at = now or timezone.now()
    previous = ticket.status
    save(ticket, version, {"status": Status.IN_PROGRESS, "is_open": True, "resolved_at": None,
                           "closed_at": None, "updated_at": at})
    emit(ticket, EventCode.REOPENED, actor=actor, at=at, params={"from": previous, "reason": reason})
    return ticket


@transaction.atomic
def assign_ticket(*, actor: User | None, ticket_id: int, version: int, team_id: int | None,
                  assignee_id: int | None, now: datetime | None = None) -> Ticket:
    """Route a ticket to a team and/or a person; a new ticket given a person becomes assigned."""
    require_handler(actor)
    ticket = store.load(actor, ticket_id)
    check_version(ticket, version)
    if ticket.status in DONE_STATUSES:
        raise ValidationFailed(_("A resolved or closed ticket cannot be reassigned."), code="ticket_done",
                               field="assignee_id")
    team, assignee = resolve_routing(team_id, assignee_id)
    at = now or timezone.now()
    changes = {"team": team, "assignee": assignee, "updated_at": at}
    params = {"team": [ticket.team_id, team.pk if team else None],
              "assignee": [ticket.assignee_id, assignee.pk if assignee else None]}
    if assignee and ticket.status == Status.NEW:
        changes["status"] = Status.ASSIGNED
        params["status"] = [Status.NEW, Status.ASSIGNED]
    save(ticket, version, changes)
    emit(ticket, EventCode.ASSIGNED, actor=actor, at=at, params=params)
    return ticket


@transaction.atomic
def dispatch_ticket(*, actor: User | None, ticket_id: int, version: int, team_id: int,
                    appointment_start: datetime | None = None, appointment_end: datetime | None = None,
                    note: str = "", now: datetime | None = None) -> Ticket:
    """Dispatch (派单) a ticket to a department's team or a field crew, with an optional appointment window."""
    require_handler(actor)
    ticket = store.load(actor, ticket_id)
    check_version(ticket, version)
    if not ticket.is_open:
        raise ValidationFailed(_("Only an open ticket can be dispatched."), code="ticket_done", field="team_id")
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise ValidationFailed(_("No such team."), code="unknown_team", field="team_id")
    if (appointment_start is None) != (appointment_end is None):
        raise ValidationFailed(_("An appointment needs both a start and an end."), code="incomplete_window",
                               field="appointment_end")
    if appointment_start and appointment_end <= appointment_start:
        raise ValidationFailed(_("The appointment must end after it starts."), code="invalid_window",
                               field="appointment_end")
    at = now or timezone.now()
    changes = {"dispatched_team": team, "appointment_start": appointment_start,
               "appointment_end": appointment_end, "updated_at": at}
    if Status.WAITING_OTHER in ticket.ticket_type.allowed_next(ticket.status):
        changes.update(status=Status.WAITING_OTHER, is_open=True)
    save(ticket, version, changes)
    emit(ticket, EventCode.DISPATCHED, actor=actor, at=at, params={
        "team": team.pk, "from": _jsonable(appointment_start), "until": _jsonable(appointment_end),
        "note": v.clean_text(note, field="note", limit=500), "status": changes.get("status"),
    })
    return ticket
