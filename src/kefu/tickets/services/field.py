"""Field work (外勤): the crew a ticket was dispatched to records its arrival and its result, then hands back."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.accounts.models import User
from kefu.accounts.roles import CAN_SUPERVISE
from kefu.core.errors import Forbidden, ValidationFailed
from kefu.tickets import store
from kefu.tickets import validation as v
from kefu.tickets.events import emit
from kefu.tickets.lifecycle import Status
from kefu.tickets.models import EventCode, Ticket
from kefu.tickets.services.common import require_handler
from kefu.tickets.store import check_version, save


def _require_crew(actor: User | None, ticket: Ticket) -> None:
    """Only the dispatched team (or a supervisor recording for it) reports on the visit."""
    if actor is None or actor.role in CAN_SUPERVISE:
        return
    if not ticket.dispatched_team_id or actor.team_id != ticket.dispatched_team_id:
        raise Forbidden(_("Only the crew the ticket was dispatched to can report on the visit."),
                        code="not_dispatched_to_you")


def _open_dispatch(ticket: Ticket) -> None:
    if not ticket.is_open or ticket.dispatched_team_id is None:
        raise ValidationFailed(_("This ticket has no open field work."), code="no_field_work", field="ticket")


@transaction.atomic(durable=True)
def record_arrival(*, actor: User | None, ticket_id: int, version: int, note: str = "",
                   now: datetime | None = None) -> Ticket:
    """The crew is on site (到场): the time is on the timeline for the customer and the team lead."""
    require_handler(actor)
    ticket = store.load(actor, ticket_id)
    check_version(ticket, version)
    _require_crew(actor, ticket)
    _open_dispatch(ticket)
    if ticket.events.filter(code=EventCode.FIELD_ARRIVED, params__team=ticket.dispatched_team_id).exists():
        raise ValidationFailed(_("The arrival is already recorded."), code="duplicate", field="ticket")
    note = v.clean_text(note, field="note", limit=500)
    at = now or timezone.now()
    save(ticket, version, {"updated_at": at})
    emit(ticket, EventCode.FIELD_ARRIVED, actor=actor, at=at, params={"team": ticket.dispatched_team_id,
                                                                       "note": note})
    return ticket


@transaction.atomic(durable=True)
def complete_field_work(*, actor: User | None, ticket_id: int, version: int, result: str, notes: str = "",
                        now: datetime | None = None) -> Ticket:
    """The crew's result (处理结果) and photo notes; the ticket goes back to its agent for the callback."""
    require_handler(actor)
    ticket = store.load(actor, ticket_id)
    check_version(ticket, version)
    _require_crew(actor, ticket)
    _open_dispatch(ticket)
    result = v.clean_text(result, field="result", limit=1000)
    if not result:
        raise ValidationFailed(_("Say what was done."), code="required", field="result")
    notes = v.clean_text(notes, field="notes", limit=2000)
    at = now or timezone.now()
    changes: dict = {"updated_at": at}
    # Back with the agent: waiting on the other department ends, the agent resolves and calls back.
    if ticket.status == Status.WAITING_OTHER and Status.IN_PROGRESS in ticket.ticket_type.allowed_next(ticket.status):
        changes["status"] = Status.IN_PROGRESS
    team_id = ticket.dispatched_team_id
    save(ticket, version, changes)
    emit(ticket, EventCode.FIELD_COMPLETED, actor=actor, at=at,
         params={"team": team_id, "result": result, "notes": notes, "status": changes.get("status")})
    return ticket
