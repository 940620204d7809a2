"""Shared steps of every ticket service: load what the actor may see, check rights and the version, save."""

from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.core.errors import Conflict, Forbidden, NotFound
from kefu.core.prepared import PreparedQuery, VersionedUpdate
from kefu.tickets import events, selectors
from kefu.tickets.models import Ticket, TicketEvent

# Every change bumps the ticket's version: `UPDATE … SET version = version + 1 … RETURNING version`, compiled
# once per set of changed fields.
_versioned = VersionedUpdate(Ticket)


def require_handler(actor: User | None) -> None:
    # actor=None is the operator at the command line or a trusted system task.
    if actor is not None and not actor.can_handle_tickets():
        raise Forbidden(_("Your role cannot change tickets."), code="cannot_handle_tickets")


def _visible_ticket(pk, *viewer_ids, user=None):
    # The customer comes along because the SLA listener reads its tier on every change.
    qs = Ticket.objects.select_related("ticket_type", "customer")
    if user is not None:
        qs = qs.visible_to(selectors.viewer(user, list(viewer_ids)))
    return qs.filter(pk=pk)


# Every change loads its ticket first: compiled once per role (as the ticket page's query, see
# selectors.viewer), where the ORM spent ~3 ms building the SELECT of each reply or transition.
_load = PreparedQuery(_visible_ticket, None)


def load_ticket(actor: User | None, ticket_id: int, *, field: str = "ticket") -> Ticket:
    """The ticket as the actor may see it; an invisible ticket is reported exactly like a missing one."""
    ticket = _load.first(ticket_id, *selectors.viewer_ids(actor), key=selectors.viewer_key(actor), user=actor)
    if ticket is None:
        raise NotFound(_("No such ticket."), field=field)
    return ticket


def conflict(ticket: Ticket, based_on: int) -> Conflict:
    """A 409 that says who changed what since the caller's version, so nobody overwrites blindly."""
    changes = list(
        TicketEvent.objects.filter(ticket_id=ticket.pk, version__gt=based_on)
        .select_related("actor").order_by("version", "id")[:20]
    )
    current = Ticket.objects.filter(pk=ticket.pk).values_list("version", flat=True).first()
    people = sorted({str(e.actor) if e.actor else str(_("system")) for e in changes})
    detail = [
        {"version": e.version, "code": e.code, "by": str(e.actor) if e.actor else None,
         "by_id": e.actor_id, "at": e.created_at.isoformat(), "fields": sorted(e.params.get("fields", {}))}
        for e in changes
    ]
    message = _("%(number)s was changed by %(people)s after you opened it (%(codes)s). "
                "Reload it and try again.") % {
        "number": ticket.number, "people": "、".join(people) or "?",
        "codes": ", ".join(sorted({events.label(e.code) for e in changes})) or "?",
    }
    return Conflict(message, code="stale_version", field="version",
                    params={"current_version": current, "your_version": based_on, "changes": detail})


def check_version(ticket: Ticket, version: int | None) -> None:
    if version is None:
        from kefu.core.errors import ValidationFailed

        raise ValidationFailed(_("Send the version of the ticket you are changing."), code="required",
                               field="version")
    if ticket.version != version:
        raise conflict(ticket, version)


def save(ticket: Ticket, version: int, changes: dict) -> None:
    """Write `changes` and bump the version only if it is still `version`; else refuse with 409.

    The check in check_version() gives the early answer; this conditional UPDATE is what makes it safe
    when two requests pass that check at the same moment (PostgreSQL runs them concurrently).
    """
    if _versioned.run(ticket, changes, version=version) is None:
        raise conflict(ticket, version)
    for key, value in changes.items():
        setattr(ticket, key, value)
    ticket.version = version + 1


def bump(ticket: Ticket, changes: dict | None = None) -> None:
    """Bump the version for an append-only change (reply, link) that needs no version from the caller."""
    version = _versioned.run(ticket, changes or {})
    if version is None:  # the row is gone (tickets are never deleted by kefu itself)
        raise NotFound(_("No such ticket."), field="ticket")
    ticket.version = version
    for key, value in (changes or {}).items():
        setattr(ticket, key, value)
