"""A ticket's SLA state read from its own summary columns (`sla_warn_at`, `sla_due_at`, kept by kefu.sla.summary).

Here, not in the SLA app, because the queue filters and the board ask it of the ticket's own columns and tickets
may not import the apps built on it.
"""

import datetime as dt

from django.db.models import Q

AT_RISK, BREACHED = "at_risk", "breached"


def state_q(state: str, now: dt.datetime) -> Q:
    """Tickets in SLA `state` (at_risk or breached) at `now`, as a condition on the ticket's own columns."""
    if state == BREACHED:
        return Q(sla_due_at__lte=now)
    if state == AT_RISK:
        return Q(sla_warn_at__lte=now, sla_due_at__gt=now)
    raise ValueError(state)
