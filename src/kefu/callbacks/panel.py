"""The callback panel beside the ticket: its callback tasks and a link to make the call."""

from kefu.callbacks.selectors import history


def callback_panel(user, ticket, page: dict) -> dict | None:
    tasks = history(ticket)
    if not tasks:
        return None
    return {"tasks": tasks, "open": next((t for t in tasks if t.state == "open"), None)}
