"""How SLA events read on the ticket's timeline (registered with kefu.tickets.timeline.describe)."""

from kefu.sla.events import SlaEventCode
from kefu.sla.models import ClockKind
from kefu.tickets.timeline import describe, reason_and_notified


def _clock(event, names) -> str:
    kind = event.params.get("clock")
    return str(ClockKind(kind).label) if kind in ClockKind.values else ""


describe(SlaEventCode.SLA_WARNING)(_clock)
describe(SlaEventCode.SLA_BREACHED)(_clock)


@describe(SlaEventCode.ESCALATED)
def _escalated(event, names) -> str:
    return reason_and_notified(event.params, names)
