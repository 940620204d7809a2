"""The ticket store: every ticket service loads, saves and records through these, with the plain ORM.

- `load(actor, ticket_id, action=…)`: the ticket through `Ticket.objects.visible_to(actor, action)`; a ticket
  the actor may not see is a 404 exactly like a missing one.
- `save(ticket, version, changes)`: one conditional UPDATE that writes the changes and the next version only
  while the row is still at `version`; answers the new version, or 409 saying who changed what (`conflict`).
- `bump(ticket, changes)`: the same for append-only changes (a reply, a link) that send no version.
- `append(ticket, code, …)`: the change's event (kefu.tickets.events.emit), at the version just written.
"""

from django.utils.translation import gettext_lazy as _

from kefu.core.errors import Conflict, NotFound, ValidationFailed
from kefu.core.permissions import CHANGE, VIEW
from kefu.core.store import bump_version, load_visible, save_versioned
from kefu.tickets import events
from kefu.tickets.models import Ticket, TicketEvent

# What every change reads besides the ticket: its type (lifecycle, complaint) and its customer (the SLA
# listener reads the tier on every change).
_RELATED = ("ticket_type", "customer")
append = events.emit


def load(actor, ticket_id: int, *, action: str = CHANGE, field: str = "ticket") -> Ticket:
    """The ticket as the actor may `action` it (actor=None: the operator or a system task); else 404."""
    return load_visible(Ticket.objects.select_related(*_RELATED), actor, ticket_id,
                        message=_("No such ticket."), field=field, action=action)


def load_to_read(actor, ticket_id: int, *, field: str = "ticket") -> Ticket:
    """The ticket as the actor may see it, for a service or view that changes nothing of it."""
    return load(actor, ticket_id, action=VIEW, field=field)


def conflict(ticket: Ticket, based_on: int | None) -> Conflict:
    """A 409 that says who changed what since the caller's version, so nobody overwrites blindly."""
    changes = list(
        TicketEvent.objects.filter(ticket_id=ticket.pk, version__gt=based_on or 0)
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
    """The early answer to a stale edit (save() is what makes it safe under concurrency)."""
    if version is None:
        raise ValidationFailed(_("Send the version of the ticket you are changing."), code="required",
                               field="version")
    if ticket.version != version:
        raise conflict(ticket, version)


def save(ticket: Ticket, version: int, changes: dict) -> int:
    """Write `changes` and bump the version only if it is still `version`; else 409. Answers the new version.

    The check in check_version() gives the early answer; this conditional UPDATE is what makes it safe
    when two requests pass that check at the same moment (PostgreSQL runs them concurrently).
    """
    return save_versioned(ticket, version, changes, conflict=conflict)


def _gone() -> NotFound:  # tickets are never deleted by kefu itself
    return NotFound(_("No such ticket."), field="ticket")


def bump(ticket: Ticket, changes: dict | None = None) -> int:
    """Bump the version for an append-only change (reply, link) that needs no version from the caller."""
    return bump_version(ticket, changes, gone=_gone)
