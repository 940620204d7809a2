"""The channel panel on the ticket page: mail and messages in and out, their flags, attachments, the reply box."""

from kefu.channels.selectors import ticket_traffic
from kefu.core.pii import mask_email


def mail_panel(user, ticket, page: dict) -> dict | None:
    """Context of the panel, or None for a ticket that never used a channel."""
    traffic = ticket_traffic(user, ticket.pk)
    if traffic is None:
        return None
    for row in traffic["inbound"]:
        row.sender_masked = mask_email(row.sender) if "@" in row.sender else (row.sender[:4] + "…")
    for row in traffic["outbound"]:
        row.recipient_masked = mask_email(row.recipient) if "@" in row.recipient else (row.recipient[:4] + "…")
    last = next((m for m in traffic["inbound"] if m.state in ("new_ticket", "threaded")), None)
    return {**traffic, "can_reply": bool(last) and user.can_handle_tickets(),
            "reply_medium": last.medium if last else "",
            "posted": page.get("posted") or {}, "field_errors": page.get("field_errors") or {}}
