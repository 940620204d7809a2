"""Read queries of the channels: what came in and went out on a ticket, the channel setup overview."""

from kefu.channels.models import Attachment, Endpoint, InboundMessage, Lead, Mailbox, OutboundMessage
from kefu.tickets.models import Ticket

PANEL_LIMIT = 50


def ticket_traffic(user, ticket_id: int) -> dict | None:
    """The channel messages of a ticket the user may see (None if none): fixed number of queries."""
    if not Ticket.objects.visible_to(user).filter(pk=ticket_id).exists():
        return None
    inbound = list(InboundMessage.objects.filter(ticket_id=ticket_id).select_related("mailbox", "endpoint")
                   .defer("html").order_by("-received_at", "-id")[:PANEL_LIMIT])
    outbound = list(OutboundMessage.objects.filter(ticket_id=ticket_id).only(
        "id", "medium", "recipient", "subject", "state", "error_code", "error", "created_at", "sent_at", "attempts")
        .order_by("-created_at", "-id")[:PANEL_LIMIT])
    attachments = list(Attachment.objects.filter(ticket_id=ticket_id).defer("sha256").order_by("id")[:PANEL_LIMIT])
    if not inbound and not outbound:
        return None
    return {"inbound": inbound, "outbound": outbound, "attachments": attachments}


def attachment_for(user, attachment_id: int) -> Attachment | None:
    """An attachment on a ticket the user may see, else None (shown as 404)."""
    visible = Ticket.objects.visible_to(user).values("pk")
    return Attachment.objects.filter(pk=attachment_id, ticket_id__in=visible).exclude(path="").first()


def setup_overview() -> dict:
    """Every mailbox and endpoint with its state, and the leads waiting to be merged."""
    return {"mailboxes": list(Mailbox.objects.select_related("team").order_by("name")),
            "endpoints": list(Endpoint.objects.select_related("team").order_by("medium", "name")),
            "open_leads": Lead.objects.filter(merged_at__isnull=True).count()}


def open_leads(user, limit: int = 100) -> list[Lead]:
    """Lead customers not merged yet, newest first, that the user may see (with their customer)."""
    from kefu.customers.models import Customer

    visible = Customer.objects.visible_to(user).values("pk")
    return list(Lead.objects.filter(merged_at__isnull=True, customer_id__in=visible)
                .select_related("customer").order_by("-created_at", "-id")[:limit])
