"""How enterprise customers' tickets are treated (a ticket-event listener): right after the commit, a
green-channel fault goes straight to the second line and the named account manager hears of the ticket."""

from contextlib import suppress

from django.db import transaction

from kefu.enterprise import PACK
from kefu.packs import is_enabled


def _green_channel_team(ticket) -> int | None:
    """The second-line team for a new fault of a green-channel customer that nobody took by hand, else None."""
    from kefu.enterprise.models import EnterpriseProfile
    from kefu.enterprise.services import settings_row

    if ticket.assignee_id or not EnterpriseProfile.objects.filter(customer_id=ticket.customer_id,
                                                                  green_channel=True).exists():
        return None
    row = settings_row()
    if row.second_line_team_id and row.second_line_team_id != ticket.team_id and \
            ticket.ticket_type.code in (row.fault_types or []):
        return row.second_line_team_id
    return None


def _route(ticket_id: int, version: int, team_id: int) -> None:
    """After the commit: move the ticket to the second line (its history shows the system did it)."""
    from kefu.core.errors import ServiceError
    from kefu.tickets.services import assign_ticket

    # Someone who changed the ticket in the meantime (409) keeps their routing.
    with suppress(ServiceError):
        assign_ticket(actor=None, ticket_id=ticket_id, version=version, team_id=team_id, assignee_id=None)


def on_ticket_event(ticket, event) -> None:
    """On a new ticket of an enterprise customer: route a green-channel fault, tell the account manager."""
    from kefu.enterprise.models import EnterpriseProfile
    from kefu.tickets.models import EventCode

    if event.code != EventCode.CREATED or not ticket.customer_id or not is_enabled(PACK):
        return
    team_id = _green_channel_team(ticket)
    if team_id:
        ticket_id, version = ticket.pk, ticket.version
        transaction.on_commit(lambda: _route(ticket_id, version, team_id))
    manager_id = (EnterpriseProfile.objects.filter(customer_id=ticket.customer_id)
                  .values_list("customer__account_manager_id", flat=True).first())
    if manager_id and manager_id != event.actor_id:
        ticket_id, at = ticket.pk, event.created_at
        transaction.on_commit(lambda: _notify(manager_id, ticket_id, at))


def _notify(manager_id: int, ticket_id: int, at) -> None:
    from kefu.accounts.models import User
    from kefu.notify.services import queue_notification
    from kefu.tickets.models import Ticket

    ticket = Ticket.objects.filter(pk=ticket_id).first()
    manager = User.objects.filter(pk=manager_id, is_active=True).first()
    if ticket is None or manager is None:
        return
    queue_notification(recipient=manager, channel="in_app", kind="account_ticket",
                       subject=f"您的集团客户有新工单 {ticket.number}", body=ticket.title, ticket=ticket,
                       params={"ticket_id": ticket.pk}, now=at)
