"""Placeholders a phrase may contain ({customer_name} …): the list, the check at save time, the filling-in."""

import re
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.core.errors import ValidationFailed

# A placeholder is {name}; anything else in braces is refused so that a typo never reaches a customer.
_TOKEN = re.compile(r"\{([^{}]*)\}")


def _customer_name(actor, ticket) -> str:
    if ticket is None:
        return ""
    if ticket.customer_id and ticket.customer:
        return ticket.customer.name
    return ticket.reporter_name


PLACEHOLDERS: dict[str, tuple[str, Callable]] = {
    "customer_name": (_("Customer name"), _customer_name),
    "agent_no": (_("Agent number (工号)"), lambda actor, ticket: (actor.agent_no or "") if actor else ""),
    "agent_name": (_("Agent name"), lambda actor, ticket: actor.label if actor else ""),
    "ticket_no": (_("Ticket number"), lambda actor, ticket: ticket.number if ticket else ""),
    "ticket_title": (_("Ticket title"), lambda actor, ticket: ticket.title if ticket else ""),
    "date": (_("Today's date"), lambda actor, ticket: timezone.localdate().isoformat()),
}


def placeholders_in(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def clean_placeholders(text: str, *, field: str = "body", known: dict | None = None) -> str:
    """Refuse unknown placeholders and stray braces, naming them, before anything is saved.

    `known` is the table of another kind of script (a campaign's); the phrases' own table by default."""
    known = PLACEHOLDERS if known is None else known
    unknown = sorted({name for name in placeholders_in(text) if name not in known})
    if unknown:
        raise ValidationFailed(
            _("Unknown placeholder: %(names)s. Known: %(known)s.") % {
                "names": ", ".join(f"{{{n}}}" for n in unknown), "known": ", ".join(f"{{{k}}}" for k in known)},
            code="unknown_placeholder", field=field, params={"unknown": unknown, "known": list(known)})
    if "{" in _TOKEN.sub("", text) or "}" in _TOKEN.sub("", text):
        raise ValidationFailed(_("A brace is not closed; write placeholders as {customer_name}."),
                               code="unbalanced_braces", field=field)
    return text


def fill(text: str, *, actor, ticket, known: dict | None = None) -> tuple[str, list[str]]:
    """The text with every placeholder filled in, and the names that had no value (left blank).

    With another `known` table, `ticket` is whatever that table's functions take (a campaign call)."""
    known = PLACEHOLDERS if known is None else known
    missing: list[str] = []

    def value(match: re.Match) -> str:
        name = match.group(1)
        filled = str(known[name][1](actor, ticket) or "") if name in known else ""
        if not filled:
            missing.append(name)
        return filled

    return _TOKEN.sub(value, text), missing
