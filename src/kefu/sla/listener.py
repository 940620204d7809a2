"""Keeps every ticket's clocks in step with its events; runs inside the transaction of the ticket change.

Registered from SlaConfig.ready() for the ticket codes in CODES only (kefu.tickets.listeners declares the order).
It calls this app's private `do_*` helpers; the events they write are heard after this listener returns.
"""

import datetime as dt

from kefu.sla import clocks, policies, summary
from kefu.sla.escalation import do_escalate_major, do_note_recomputed, do_notify_on_duty
from kefu.sla.models import LIVE_STATES, ClockKind, ClockState, TicketClock
from kefu.tickets.lifecycle import DONE_STATUSES, Channel, Status
from kefu.tickets.models import EventCode, FollowUp, TicketEvent
from kefu.tickets.services.followups import do_create_follow_up

CONFIRM_RECEIPT_MINUTES = 240
# The ticket changes a clock can depend on: its creation, its messages, its status and the fields a policy is
# chosen by. Other apps' events never move a clock.
CODES = (EventCode.CREATED, EventCode.UPDATED, EventCode.STATUS_CHANGED, EventCode.ASSIGNED, EventCode.DISPATCHED,
         EventCode.REPLIED, EventCode.CUSTOMER_MESSAGE, EventCode.REOPENED, EventCode.MERGED_INTO,
         EventCode.MERGED_FROM, EventCode.FIELD_ARRIVED, EventCode.FIELD_COMPLETED)
_RECOMPUTE_FIELDS = {"ticket_type", "priority", "customer"}
# Model.save() writes every column; so does the write-back of the clocks a change touched.
_CLOCK_FIELDS = [f.name for f in TicketClock._meta.concrete_fields if not f.primary_key]


def on_ticket_event(ticket, event: TicketEvent) -> None:
    """Start, stop, pause, resume or recompute the ticket's clocks for one of its events."""
    at = event.created_at
    if event.code == EventCode.CREATED:
        _on_created(ticket, at)
        return
    if not _may_touch_clocks(event):
        return
    live = list(TicketClock.objects.filter(ticket_id=ticket.pk, state__in=LIVE_STATES)
                .select_related("policy").order_by("id"))
    new: list[TicketClock] = []
    touched: set[TicketClock] = set()
    loaded = policies.match(ticket)

    def stop_kind(*kinds):
        for clock in live:
            if clock.kind in kinds:
                clocks.stop(clock, at)
                touched.add(clock)

    if event.code == EventCode.REPLIED:
        stop_kind(ClockKind.FIRST_RESPONSE, ClockKind.NEXT_REPLY)
        if ticket.channel in (Channel.EMAIL, Channel.FAX):
            _confirm_receipt(ticket, event, loaded, at)
    elif event.code == EventCode.CUSTOMER_MESSAGE and loaded:
        if not any(c.kind == ClockKind.NEXT_REPLY for c in live):
            new.append(clocks.start(ticket, ClockKind.NEXT_REPLY, loaded, at))
    elif event.code == EventCode.REOPENED and loaded:
        new.append(clocks.start(ticket, ClockKind.RESOLUTION, loaded, at))
    elif event.code == EventCode.MERGED_INTO:
        for clock in live:
            clocks.cancel(clock, at)
            touched.add(clock)
    elif (event.code == EventCode.UPDATED and loaded and _RECOMPUTE_FIELDS & set(event.params.get("fields", {}))
          and any([clocks.recompute(clock, loaded) for clock in live])):
        touched.update(live)
        do_note_recomputed(ticket, live, at)

    if ticket.status in DONE_STATUSES:
        stop_kind(ClockKind.FIRST_RESPONSE, ClockKind.NEXT_REPLY, ClockKind.RESOLUTION)
        if ticket.status == Status.CLOSED:
            stop_kind(ClockKind.CALLBACK)
        elif (event.code == EventCode.STATUS_CHANGED and event.params.get("to") == Status.RESOLVED and loaded
              and not any(c.kind == ClockKind.CALLBACK for c in live)):
            new.append(clocks.start(ticket, ClockKind.CALLBACK, loaded, at))
    _sync_pause(ticket, live, touched, at)

    new = [c for c in new if c is not None]
    if new:
        TicketClock.objects.bulk_create(new)
    if touched:
        TicketClock.objects.bulk_update(sorted(touched, key=lambda c: c.pk), _CLOCK_FIELDS)
    if new or touched:
        summary.store(ticket, [*live, *new])
    if event.code == EventCode.UPDATED and event.params.get("fields", {}).get("is_major", [False, False])[1]:
        do_escalate_major(ticket=ticket, at=at)


def _may_touch_clocks(event: TicketEvent) -> bool:
    """Routing changes and edits of other fields leave every clock as it is; skip them without a query."""
    fields = event.params.get("fields", {})
    if event.code == EventCode.UPDATED:
        return bool(_RECOMPUTE_FIELDS & set(fields)) or "is_major" in fields
    if event.code in (EventCode.ASSIGNED, EventCode.DISPATCHED):
        return bool(event.params.get("status"))
    return True


def _confirm_receipt(ticket, event, loaded, at) -> None:
    """After a mail or fax to the customer, someone phones to confirm it arrived (CH3), within 4 working hours."""
    calendar = loaded.calendar if loaded else None
    due = calendar.add_minutes(at, CONFIRM_RECEIPT_MINUTES) if calendar else at + dt.timedelta(hours=4)
    do_create_follow_up(ticket=ticket, kind=FollowUp.Kind.CONFIRM_RECEIPT, assignee=event.actor or ticket.assignee,
                        due_at=due, now=at)


def _sync_pause(ticket, live, touched, at) -> None:
    """Pause running clocks while the status is one the clock's policy pauses on; resume when it leaves."""
    for clock in live:
        if clock.state not in (ClockState.RUNNING, ClockState.PAUSED):
            continue
        loaded = policies.policy_by_id(clock.policy_id)
        if loaded is None:
            continue
        should_pause = ticket.status in (loaded.policy.pause_statuses or [])
        if should_pause and clock.state == ClockState.RUNNING and clock.breached_at is None:
            clocks.pause(clock, at)
            touched.add(clock)
        elif not should_pause and clock.state == ClockState.PAUSED:
            clocks.resume(clock, loaded, at)
            touched.add(clock)


def prepare_new_ticket(ticket) -> None:
    """Before a new ticket's row is written (kefu.tickets.events.prepare_new): the summary of the clocks its policy
    will start, so that the INSERT carries it. The clocks themselves are written on its CREATED event."""
    ticket.sla_warn_at, ticket.sla_due_at = summary.of(_starting(ticket, ticket.created_at))


def _starting(ticket, at) -> list[TicketClock]:
    """The clocks a new ticket starts (a pure computation: the same on both hooks for the same ticket)."""
    loaded = policies.match(ticket)
    if loaded is None:
        return []
    return [c for kind in (ClockKind.FIRST_RESPONSE, ClockKind.RESOLUTION)
            if (c := clocks.start(ticket, kind, loaded, at)) is not None]


def _on_created(ticket, at) -> None:
    started = _starting(ticket, at)
    if started:
        TicketClock.objects.bulk_create(started)
        if summary.of(started) != (ticket.sla_warn_at, ticket.sla_due_at):  # made around create_ticket()
            summary.store(ticket, started)
    if ticket.ticket_type.is_emergency:
        do_notify_on_duty(ticket)
    if ticket.is_major:
        do_escalate_major(ticket=ticket, at=at)
