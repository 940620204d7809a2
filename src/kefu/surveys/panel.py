"""The survey panel beside a resolved ticket: what the customer answered, and the way to ask (phone or link)."""

from kefu.surveys.models import Response
from kefu.tickets.lifecycle import DONE_STATUSES


def survey_panel(user, ticket, page: dict) -> dict | None:
    if ticket.status not in DONE_STATUSES:
        return None
    responses = list(Response.objects.filter(ticket_id=ticket.pk).order_by("-created_at", "-id")[:5])
    can_ask = page["can_handle"] and not page["is_crew"]
    if not responses and not can_ask:
        return None
    return {"responses": responses, "can_ask": can_ask}
