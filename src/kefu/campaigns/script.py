"""Placeholders of a campaign script ({customer_name} …, as in kefu.phrases): checked at save, filled per call."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.phrases.placeholders import clean_placeholders
from kefu.phrases.placeholders import fill as fill_placeholders

PLACEHOLDERS = {
    "customer_name": (_("Customer name"), lambda actor, call: call.name if call else ""),
    "agent_no": (_("Agent number (工号)"), lambda actor, call: (actor.agent_no or "") if actor else ""),
    "agent_name": (_("Agent name"), lambda actor, call: actor.label if actor else ""),
    "reference": (_("Customer reference (order, account …)"), lambda actor, call: call.reference if call else ""),
    "date": (_("Today's date"), lambda actor, call: timezone.localdate().isoformat()),
}


def clean_script(text: str, *, field: str = "script") -> str:
    """Refuse unknown placeholders and stray braces before a campaign is saved (the phrases' check, this table)."""
    return clean_placeholders(text, field=field, known=PLACEHOLDERS)


def fill(text: str, *, actor, call) -> str:
    """The script with every placeholder filled in for this agent and call (unknown ones left blank)."""
    return fill_placeholders(text or "", actor=actor, ticket=call, known=PLACEHOLDERS)[0]
