"""Shared steps of every ticket service: check the actor's role, then the store (kefu.tickets.store)."""

from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.core.errors import Forbidden
from kefu.core.permissions import VIEW
from kefu.tickets import store
from kefu.tickets.models import Ticket
from kefu.tickets.store import bump, check_version, conflict, save

__all__ = ["bump", "check_version", "conflict", "load_ticket", "require_handler", "save"]


def require_handler(actor: User | None) -> None:
    """403 unless the actor's role handles tickets; actor=None is the operator or a trusted system task."""
    if actor is not None and not actor.can_handle_tickets():
        raise Forbidden(_("Your role cannot change tickets."), code="cannot_handle_tickets")


def load_ticket(actor: User | None, ticket_id: int, *, field: str = "ticket", action: str = VIEW) -> Ticket:
    """The ticket as the actor may see it (kefu.tickets.store.load); services that change it pass "change"."""
    return store.load(actor, ticket_id, action=action, field=field)
