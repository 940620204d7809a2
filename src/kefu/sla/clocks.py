"""Operations on one ticket's clocks: start, pause, resume, stop, recompute. No I/O beyond the clock rows."""

import datetime as dt

from kefu.sla.calendar import Target, WorkCalendar
from kefu.sla.models import ClockKind, ClockState, TicketClock
from kefu.sla.policies import LoadedPolicy


def _schedule(clock: TicketClock, calendar: WorkCalendar, warn_percent: int) -> None:
    """Set warn_at and the next moment the sweeper must look at the clock."""
    total = calendar.working_minutes_between(clock.started_at, clock.due_at)
    clock.warn_at = (calendar.add_minutes(clock.started_at, total * warn_percent / 100 + clock.paused_minutes)
                     if 0 < warn_percent < 100 and total > 0 else None)
    clock.calendar_warnings = calendar.warnings_between(clock.started_at, clock.due_at)
    clock.next_check_at = next_check(clock)


def next_check(clock: TicketClock) -> dt.datetime | None:
    if clock.state != ClockState.RUNNING:
        return None
    if clock.breached_at:  # overdue: the escalation ladder keeps its own schedule
        return clock.next_check_at
    if clock.warned_at is None and clock.warn_at and clock.warn_at < clock.due_at:
        return clock.warn_at
    return clock.due_at


def start(ticket, kind: ClockKind, loaded: LoadedPolicy, at: dt.datetime) -> TicketClock | None:
    """A new clock of `kind` if the policy has a target for it (not saved: callers bulk-create)."""
    text = loaded.policy.target_for(kind)
    if not text:
        return None
    due = loaded.calendar.deadline(at, Target.parse(text))
    clock = TicketClock(ticket=ticket, kind=kind, policy=loaded.policy, target=text, started_at=at, due_at=due)
    _schedule(clock, loaded.calendar, loaded.policy.warn_percent)
    return clock


def pause(clock: TicketClock, at: dt.datetime) -> None:
    if clock.state == ClockState.RUNNING and clock.breached_at is None:
        clock.state, clock.paused_since, clock.next_check_at = ClockState.PAUSED, at, None


def resume(clock: TicketClock, loaded: LoadedPolicy, at: dt.datetime) -> None:
    """Shift the due time by the working time spent paused."""
    if clock.state != ClockState.PAUSED:
        return
    paused = max(0.0, loaded.calendar.working_minutes_between(clock.paused_since, at))
    clock.paused_minutes += paused
    clock.due_at = loaded.calendar.add_minutes(clock.due_at, paused) if paused else clock.due_at
    clock.state, clock.paused_since = ClockState.RUNNING, None
    _schedule(clock, loaded.calendar, loaded.policy.warn_percent)


def stop(clock: TicketClock, at: dt.datetime) -> None:
    """The clock's goal was reached (or the ticket closed): met if in time, else it stays breached."""
    if clock.state == ClockState.PAUSED:
        clock.paused_since = None
    clock.stopped_at = at
    clock.state = ClockState.BREACHED if (clock.breached_at or at > clock.due_at) else ClockState.MET
    clock.next_check_at = None


def cancel(clock: TicketClock, at: dt.datetime) -> None:
    clock.state, clock.stopped_at, clock.next_check_at = ClockState.CANCELLED, at, None


def recompute(clock: TicketClock, loaded: LoadedPolicy) -> bool:
    """Apply another policy's target to a live clock from its start; True if the due time changed."""
    text = loaded.policy.target_for(clock.kind)
    if not text:
        return False
    due = loaded.calendar.deadline(clock.started_at, Target.parse(text))
    if clock.paused_minutes:
        due = loaded.calendar.add_minutes(due, clock.paused_minutes)
    changed = due != clock.due_at or loaded.policy.pk != clock.policy_id
    clock.policy, clock.target, clock.due_at = loaded.policy, text, due
    if clock.breached_at and due > clock.breached_at and clock.escalation_level == 0:
        clock.breached_at = None  # a longer limit un-breaches a clock nobody has escalated yet
    if clock.state == ClockState.RUNNING:
        _schedule(clock, loaded.calendar, loaded.policy.warn_percent)
    return changed
