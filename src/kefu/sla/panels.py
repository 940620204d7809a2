"""What the SLA app adds to the ticket page: its clocks panel and the escalate button (SL3)."""

from kefu.sla.escalation import escalate_ticket
from kefu.sla.selectors import clocks_for


def clocks_panel(user, ticket, page: dict) -> dict:
    """The ticket's time limits, at the top of the aside."""
    return {"clocks": clocks_for(ticket)}


def escalate_action(request, ticket_id: int) -> None:
    """The ticket page's escalate form (posted to tickets:act like the ticket app's own buttons)."""
    escalate_ticket(actor=request.user, ticket_id=ticket_id, reason=request.POST.get("reason", ""))
