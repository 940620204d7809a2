"""What the tickets app shows on a customer's page and in their API detail: their tickets from every channel."""

from django.db.models import Count, Q

from kefu.tickets.models import Ticket

TICKETS_SHOWN = 30


def customer_tickets_panel(user, customer) -> dict:
    """The customer's latest tickets the user may see, newest first, and the button to open another."""
    tickets = list(Ticket.objects.visible_to(user).filter(customer=customer)
                   .select_related("ticket_type", "assignee").order_by("-created_at")[:TICKETS_SHOWN])
    return {"customer": customer, "tickets": tickets}


def customer_ticket_counts(user, customer) -> dict:
    counts = Ticket.objects.visible_to(user).filter(customer=customer).aggregate(
        total=Count("id"), open=Count("id", filter=Q(is_open=True)))
    return {"ticket_count": counts["total"], "open_ticket_count": counts["open"]}
