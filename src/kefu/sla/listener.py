"""Keeps every ticket's clocks in step with its events; runs inside the transaction of the ticket change."""

import datetime as dt

from kefu.core.prepared import PreparedInsert, PreparedList, PreparedUpdate
from kefu.sla import clocks, policies, summary
from kefu.sla.escalation import escalate_major, note_recomputed, notify_on_duty
from kefu.sla.models import LIVE_STATES, ClockKind, ClockState, TicketClock
from kefu.tickets.lifecycle import DONE_STATUSES, Channel, Status
from kefu.tickets.models import EventCode, FollowUp, TicketEvent
from kefu.tickets.services.followups import create_follow_up

CONFIRM_RECEIPT_MINUTES = 240
# Every ticket created starts its clocks: one INSERT compiled once (kefu.core.prepared), not by the ORM each time.
_insert_clocks = PreparedInsert(TicketClock)
# A reply or a status change reads the ticket's live clocks and writes back those it stopped or paused: both
# compiled once. The write is every column, as Model.save() writes them.
_live = PreparedList(lambda pk: TicketClock.objects.filter(ticket_id=pk, state__in=LIVE_STATES)
                     .select_related("policy").order_by("id"), 1)
_save_clocks = PreparedUpdate(TicketClock, [f.name for f in TicketClock._meta.concrete_fields if not f.primary_key])

# Events this app writes itself, or that change nothing a clock depends on.
_IGNORED = {EventCode.SLA_WARNING, EventCode.SLA_BREACHED, EventCode.SLA_RECOMPUTED, EventCode.ESCALATED,
            EventCode.PHONE_REVEALED, EventCode.NOTE_ADDED, EventCode.LINKED, EventCode.FOLLOW_UP_CREATED,
            EventCode.FOLLOW_UP_DONE, EventCode.CHILD_ADDED, EventCode.PARENT_SET, EventCode.CALLBACK_SCHEDULED,
            EventCode.CALLBACK_ASSIGNED, EventCode.CALLBACK_OUTCOME, EventCode.FOLLOW_UP_CASE, EventCode.SURVEY_SENT,
            EventCode.SURVEY_ANSWERED, EventCode.COMPLAINT_RECORDED, EventCode.CLOSE_OVERRIDDEN,
            EventCode.REFERRED_TO_MANAGER, EventCode.MANAGER_DECIDED, EventCode.MEMO_ASKED, EventCode.MEMO_ANSWERED}
_RECOMPUTE_FIELDS = {"ticket_type", "priority", "customer"}


def on_ticket_event(ticket, event: TicketEvent) -> None:
    if event.code in _IGNORED:
        return
    at = event.created_at
    if event.code == EventCode.CREATED:
        _on_created(ticket, at)
        return
    if not _may_touch_clocks(event):
        return
    live = _live.page(ticket.pk, offset=0, limit=1000)
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
        note_recomputed(ticket, live, at)

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
        _insert_clocks.bulk(new)
    _save_clocks.run(touched)
    if new or touched:
        summary.store(ticket, [*live, *new])
    if event.code == EventCode.UPDATED and event.params.get("fields", {}).get("is_major", [False, False])[1]:
        escalate_major(ticket=ticket, at=at)


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
    create_follow_up(ticket=ticket, kind=FollowUp.Kind.CONFIRM_RECEIPT, assignee=event.actor or ticket.assignee,
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
    """Before a new ticket's row is written (kefu.tickets.events.prepare_new): the clocks its policy starts, and
    their summary on the ticket, so that the INSERT carries it. The clocks are written on its CREATED event."""
    started = _starting(ticket, ticket.created_at)
    ticket.sla_warn_at, ticket.sla_due_at = summary.of(started)
    ticket._sla_starting = started


def _starting(ticket, at) -> list[TicketClock]:
    loaded = policies.match(ticket)
    if loaded is None:
        return []
    return [c for kind in (ClockKind.FIRST_RESPONSE, ClockKind.RESOLUTION)
            if (c := clocks.start(ticket, kind, loaded, at)) is not None]


def _on_created(ticket, at) -> None:
    prepared = ticket.__dict__.pop("_sla_starting", None)
    started = _starting(ticket, at) if prepared is None else prepared
    if started:
        for clock in started:
            clock.ticket_id = ticket.pk  # made before the ticket had one
        _insert_clocks.bulk(started)
        if prepared is None:  # a ticket created without prepare_new (none today): its summary goes on now
            summary.store(ticket, started)
    if ticket.ticket_type.is_emergency:
        notify_on_duty(ticket)
    if ticket.is_major:
        escalate_major(ticket=ticket, at=at)
