"""Placeholders of a campaign script ({customer_name} …, as in kefu.phrases): checked at save, filled per call."""

import re

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.core.errors import ValidationFailed

_TOKEN = re.compile(r"\{([^{}]*)\}")

PLACEHOLDERS = {
    "customer_name": (_("Customer name"), lambda actor, call: call.name if call else ""),
    "agent_no": (_("Agent number (工号)"), lambda actor, call: (actor.agent_no or "") if actor else ""),
    "agent_name": (_("Agent name"), lambda actor, call: actor.label if actor else ""),
    "reference": (_("Customer reference (order, account …)"), lambda actor, call: call.reference if call else ""),
    "date": (_("Today's date"), lambda actor, call: timezone.localdate().isoformat()),
}


def clean_script(text: str, *, field: str = "script") -> str:
    """Refuse unknown placeholders and stray braces, naming them, before anything is saved."""
    unknown = sorted({name for name in _TOKEN.findall(text or "") if name not in PLACEHOLDERS})
    if unknown:
        raise ValidationFailed(
            _("Unknown placeholder: %(names)s. Known: %(known)s.") % {
                "names": ", ".join(f"{{{n}}}" for n in unknown), "known": ", ".join(f"{{{k}}}" for k in PLACEHOLDERS)},
            code="unknown_placeholder", field=field, params={"unknown": unknown, "known": list(PLACEHOLDERS)})
    rest = _TOKEN.sub("", text or "")
    if "{" in rest or "}" in rest:
        raise ValidationFailed(_("A brace is not closed; write placeholders as {customer_name}."),
                               code="unbalanced_braces", field=field)
    return text


def fill(text: str, *, actor, call) -> str:
    """The script with every placeholder filled in for this agent and call (unknown ones left blank)."""
    return _TOKEN.sub(lambda m: str(PLACEHOLDERS[m.group(1)][1](actor, call)) if m.group(1) in PLACEHOLDERS else "",
                      text or "")
