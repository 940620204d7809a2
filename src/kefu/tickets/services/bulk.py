"""Bulk reassignment from the queue board: each ticket through assign_ticket, each on its own."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.accounts.models import User
from kefu.accounts.roles import CAN_SUPERVISE
from kefu.core.errors import Forbidden, ServiceError, ValidationFailed
from kefu.tickets.services.changes import assign_ticket

MAX_BULK = 200


@dataclass
class BulkResult:
    done: list[int]
    refused: dict[int, str]  # ticket id → why (someone changed it meanwhile, it was resolved …)


def bulk_assign(*, actor: User | None, tickets: list[tuple[int, int]], team_id: int | None,
                assignee_id: int | None) -> BulkResult:
    """Reassign (ticket id, version) pairs. A stale or refused ticket is reported and left alone; the rest
    go ahead — one team lead's bulk move must not be undone because one agent touched one ticket."""
    if actor is not None and actor.role not in CAN_SUPERVISE:
        raise Forbidden(_("Only team leads and above reassign in bulk."), code="cannot_bulk_assign")
    if not tickets:
        raise ValidationFailed(_("Choose at least one ticket."), code="required", field="tickets")
    if len(tickets) > MAX_BULK:
        raise ValidationFailed(_("At most %(n)s tickets at once.") % {"n": MAX_BULK}, code="too_many",
                               field="tickets")
    done, refused = [], {}
    for ticket_id, version in tickets:
        try:
            with transaction.atomic():
                assign_ticket(actor=actor, ticket_id=ticket_id, version=version, team_id=team_id,
                              assignee_id=assignee_id)
        except ServiceError as exc:
            refused[ticket_id] = str(exc.message)
        else:
            done.append(ticket_id)
    return BulkResult(done=done, refused=refused)
