"""What a ticket's clocks look like to a person: due, time left in working time, paused time, state."""

from django.utils import timezone

from kefu.sla import policies
from kefu.sla.models import ClockState, TicketClock


def clock_view(clock: TicketClock, now=None) -> dict:
    now = now or timezone.now()
    loaded = policies.policy_by_id(clock.policy_id)
    calendar = loaded.calendar if loaded else policies.calendar_for(clock.policy.calendar_id)
    paused = clock.paused_minutes
    if clock.state == ClockState.PAUSED and clock.paused_since:
        paused += max(0.0, calendar.working_minutes_between(clock.paused_since, now))
    live = clock.state in (ClockState.RUNNING, ClockState.PAUSED)
    if clock.state == ClockState.PAUSED:
        left = calendar.working_minutes_between(clock.paused_since, clock.due_at)
    elif live:
        left = calendar.working_minutes_between(now, clock.due_at)
    else:
        left = None
    breached = bool(clock.breached_at) or (live and now > clock.due_at) or clock.state == ClockState.BREACHED
    return {
        "kind": clock.kind, "label": str(clock.get_kind_display()), "policy": clock.policy.name,
        "target": clock.target, "state": clock.state, "state_label": str(clock.get_state_display()),
        # Once breached the page says by how long in working hours, never a negative "minutes left".
        "overdue_hours": round(-left / 60, 1) if breached and left is not None and left < 0 else None,
        "started_at": clock.started_at, "due_at": clock.due_at,
        "working_minutes_left": round(left, 1) if left is not None else None,
        "paused_minutes": round(paused, 1), "breached": breached, "stopped_at": clock.stopped_at,
        "escalation_level": clock.escalation_level, "warnings": clock.calendar_warnings,
    }


def clocks_for(ticket) -> list[dict]:
    now = timezone.now()
    return [clock_view(c, now) for c in ticket.clocks.select_related("policy").order_by("started_at", "id")]
