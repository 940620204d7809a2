"""The quick phrases inside the ticket page's reply form (registered with kefu.tickets.panels)."""

from kefu.phrases.selectors import phrases_for_ticket


def reply_phrases(user, ticket, page: dict) -> dict | None:
    """The phrases a handler may insert on this ticket, filled in; nothing for roles that cannot reply."""
    if not page.get("can_handle"):
        return None
    phrases = phrases_for_ticket(user, ticket)
    return {"phrases": phrases} if phrases else None
