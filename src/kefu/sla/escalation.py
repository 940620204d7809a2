"""The sweeper (warnings, breaches, the escalation ladder), manual and major-event escalation, duty alerts."""

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.accounts.roles import Role
from kefu.core.errors import ServiceError, ValidationFailed
from kefu.sla import notices, policies
from kefu.sla.events import SlaEventCode, clock_params, escalated_event, recomputed_event
from kefu.sla.models import ClockKind, ClockState, EscalationRung, TicketClock
from kefu.tickets.events import emit_many
from kefu.tickets.models import Ticket


@dataclass(slots=True)
class Claimed:
    """A clock the sweeper claimed, as _process() reads and changes it (the row itself: see _write_back())."""

    pk: int
    kind: str
    policy_id: int
    due_at: dt.datetime
    warned_at: dt.datetime | None
    breached_at: dt.datetime | None
    escalation_level: int
    ticket: Ticket


def _recipients(rung: EscalationRung, ticket: Ticket, memo: dict | None = None) -> list[User]:
    """Who a rung tells; `memo` keeps the answers for one sweep batch (the same leads, again and again)."""
    if rung.action == EscalationRung.Action.REASSIGN:
        # The queue's complaint handlers and its lead hear of the ticket that just landed there.
        key, query = ("queue", rung.team_id), {"team_id": rung.team_id,
                                               "role__in": [Role.COMPLAINT_HANDLER, Role.TEAM_LEAD]}
    elif rung.action == EscalationRung.Action.NOTIFY_TEAM_LEAD:
        key, query = ("lead", ticket.team_id), {"role": Role.TEAM_LEAD, "team_id": ticket.team_id}
        if not ticket.team_id:
            return []
    elif rung.action == EscalationRung.Action.NOTIFY_ROLE and rung.role:
        key, query = ("role", rung.role), {"role": rung.role}
    else:
        return []
    memo = {} if memo is None else memo
    if key not in memo:
        memo[key] = list(User.objects.filter(is_active=True, **query))
    return memo[key]


def run_rung(rung: EscalationRung, ticket: Ticket, *, reason: str, allow_reassign: bool = True,
             memo: dict | None = None) -> dict:
    """Carry out one rung; returns the event parameters describing what was done."""
    params = {"step": rung.position, "action": rung.action, "reason": reason}
    if rung.action == EscalationRung.Action.REASSIGN:
        if not allow_reassign or rung.team_id is None:
            return {**params, "skipped": True}
        from kefu.tickets.services import assign_ticket

        try:
            assign_ticket(actor=None, ticket_id=ticket.pk, version=ticket.version, team_id=rung.team_id,
                          assignee_id=None)
        except ServiceError as exc:  # e.g. the ticket was resolved meanwhile: record, do not fail the sweep
            return {**params, "skipped": True, "error": exc.code}
        ticket.refresh_from_db()
        params["team"] = rung.team_id
    recipients = _recipients(rung, ticket, memo)
    params["notified"] = notices.tell(recipients, kind="escalation", ticket=ticket, sms=rung.sms, reason=reason)
    return params


def _ladder(policy_id: int, memo: dict) -> tuple[list[EscalationRung], list[dt.timedelta]]:
    """A policy's rungs and when each is due after the breach (the running sum of the delays), once per batch."""
    key = ("ladder", policy_id)
    if key not in memo:
        loaded = policies.policy_by_id(policy_id)
        rungs = loaded.rungs if loaded else []
        after = list(itertools.accumulate(dt.timedelta(minutes=r.delay_minutes) for r in rungs))
        memo[key] = rungs, after
    return memo[key]


# How a claimed clock's row changes: the first element of the outcome _process() returns (see _write_back()).
_WARNED, _OVERDUE = "warned", "overdue"


def _process(clock: Claimed, now: dt.datetime, events: list, memo: dict) -> tuple:
    """One claimed clock: warn, breach, or run the ladder rungs that are due. Returns how its row changes."""
    ticket = clock.ticket
    # The current time zone and the rung's reason are looked up once per batch (memo), not once per clock.
    if "tz" not in memo:
        memo["tz"], memo["reason"] = timezone.get_current_timezone(), str(_("time limit breached"))
    due_text = clock.due_at.astimezone(memo["tz"]).strftime("%Y-%m-%d %H:%M")
    if clock.breached_at is None and now < clock.due_at:
        if clock.warned_at is None:
            clock.warned_at = now
            notices.tell([ticket.assignee], kind="sla_warning", ticket=ticket, due=due_text)
            events.append((ticket, SlaEventCode.SLA_WARNING, clock_params(clock)))
        return (_WARNED,)
    if clock.breached_at is None:
        clock.breached_at = clock.due_at
        notices.tell([ticket.assignee], kind="sla_breach", ticket=ticket, due=due_text)
        events.append((ticket, SlaEventCode.SLA_BREACHED, clock_params(clock)))
    # Only the resolution and callback clocks climb the ladder; a late first reply is reported, not escalated.
    if clock.kind not in (ClockKind.RESOLUTION, ClockKind.CALLBACK):
        return (_OVERDUE, clock.escalation_level, None)
    rungs, after = _ladder(clock.policy_id, memo)
    while clock.escalation_level < len(rungs) and clock.due_at + after[clock.escalation_level] <= now:
        params = run_rung(rungs[clock.escalation_level], ticket, reason=memo["reason"], memo=memo)
        clock.escalation_level += 1
        params.update(clock=clock.kind, level=clock.escalation_level)
        events.append((ticket, SlaEventCode.ESCALATED, params))
    more = clock.escalation_level < len(rungs)
    return (_OVERDUE, clock.escalation_level, after[clock.escalation_level] if more else None)


def _write_back(outcomes: dict[tuple, list[int]], now: dt.datetime) -> None:
    """The claimed rows' new state: one UPDATE per outcome (a handful per batch), not one per clock.

    The database derives each row's values from its own due time, exactly as _process() did in Python: the
    claim keeps other workers off these rows until this transaction ends."""
    for outcome, ids in outcomes.items():
        rows = TicketClock.objects.filter(pk__in=ids)
        if outcome[0] == _WARNED:  # warned now (or before): look again at the due time
            rows.update(warned_at=Coalesce("warned_at", Value(now)), next_check_at=F("due_at"))
            continue
        _overdue, level, after = outcome  # breached now (or before), `level` rungs run, the next one `after`
        rows.update(breached_at=Coalesce("breached_at", "due_at"), escalation_level=level,
                    next_check_at=None if after is None else F("due_at") + after)


# What the sweeper reads of a claimed clock (Claimed's fields, in order) and of its ticket: the notices name the
# ticket, the events carry its version. The ticket's other columns stay deferred: a listener that reads one still
# gets it, by a query.
_CLOCK_VALUES = ("id", "kind", "policy_id", "due_at", "warned_at", "breached_at", "escalation_level")
_TICKET_COLUMNS = [f.attname for f in Ticket._meta.concrete_fields  # in the order Model.from_db() takes them
                   if f.attname in {"id", "version", "title", "location", "team_id", "assignee_id"}]
_TICKET_NAMES = frozenset(_TICKET_COLUMNS)
_ASSIGNEE = Ticket._meta.get_field("assignee")


def _load_claimed(ids: list[int], token: str) -> list[Claimed]:
    """The clocks this batch claimed, with their tickets and the tickets' assignees.

    Read as value rows: a model instance per clock, made by select_related(), cost more than the rest of its
    processing. The tickets are real (deferred) Ticket instances, because the event listeners receive them."""
    # By primary key as well as by token: `claim` has no index, and on a million clocks a look-up by the token
    # alone is a full scan per batch.
    rows = list(TicketClock.objects.filter(pk__in=ids, claim=token).values_list(
        *_CLOCK_VALUES, *(f"ticket__{name}" for name in _TICKET_COLUMNS)))
    split = len(_CLOCK_VALUES)
    assignee_at = split + _TICKET_COLUMNS.index("assignee_id")
    # A batch names a handful of assignees over and over: each is read once, not joined into every row.
    users = User.objects.in_bulk({row[assignee_at] for row in rows if row[assignee_at]})
    db = TicketClock.objects.db
    claimed = []
    for row in rows:
        ticket = Ticket.from_db(db, _TICKET_NAMES, row[split:])
        _ASSIGNEE.set_cached_value(ticket, users.get(ticket.assignee_id))
        claimed.append(Claimed(*row[:split], ticket=ticket))
    return claimed


def sweep(*, now: dt.datetime | None = None, batch: int = 500, limit: int | None = None) -> dict:
    """Process every clock whose next check is due; safe to run in several workers at once."""
    now = now or timezone.now()
    done = {"claimed": 0, "batches": 0}
    while limit is None or done["claimed"] < limit:
        size = batch if limit is None else min(batch, limit - done["claimed"])
        ids = list(TicketClock.objects.filter(next_check_at__lte=now).order_by("next_check_at")
                   .values_list("id", flat=True)[:size])
        if not ids:
            break
        with transaction.atomic():
            token = uuid.uuid4().hex
            # The claim: a row another worker already took has next_check_at NULL (or later) and is skipped.
            # On PostgreSQL the second UPDATE waits for the first to commit and then re-checks the WHERE.
            TicketClock.objects.filter(pk__in=ids, next_check_at__lte=now).update(next_check_at=None, claim=token)
            # The assignee is told of warnings and breaches; nothing else of the ticket's relations is read here.
            claimed = _load_claimed(ids, token)
            events: list = []
            memo: dict = {}
            outcomes: dict[tuple, list[int]] = {}
            # The whole batch acts in bulk: its notices in one INSERT (and one after-commit enqueue), its clock
            # changes in one UPDATE per outcome, its events in one INSERT — all in this claiming transaction.
            with notices.batched():
                for clock in claimed:
                    outcomes.setdefault(_process(clock, now, events, memo), []).append(clock.pk)
            _write_back(outcomes, now)
            emit_many(events, actor=None, at=now)
        done["claimed"] += len(claimed)
        done["batches"] += 1
    return done


def _resolution_clock(ticket: Ticket) -> TicketClock | None:
    return (TicketClock.objects.filter(ticket=ticket, kind=ClockKind.RESOLUTION,
                                       state__in=[ClockState.RUNNING, ClockState.PAUSED])
            .order_by("-started_at").first())


@transaction.atomic
def escalate_ticket(*, actor: User | None, ticket_id: int, reason: str) -> Ticket:
    """Manual escalation (SL3): run the next rung of the ticket's ladder now, whatever its delay."""
    from kefu.tickets.services.common import load_ticket, require_handler

    require_handler(actor)
    ticket = load_ticket(actor, ticket_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the ticket is escalated."), code="required", field="reason")
    if not ticket.is_open:
        raise ValidationFailed(_("Only an open ticket can be escalated."), code="ticket_done", field="ticket")
    clock = _resolution_clock(ticket)
    loaded = policies.policy_by_id(clock.policy_id) if clock else policies.match(ticket)
    rungs = loaded.rungs if loaded else []
    level = clock.escalation_level if clock else 0
    if level >= len(rungs):
        raise ValidationFailed(_("The ticket is already at the top of its escalation ladder."),
                               code="top_of_ladder", field="ticket")
    params = run_rung(rungs[level], ticket, reason=reason[:300])
    if clock is not None:
        clock.escalation_level = level + 1
        clock.save(update_fields=["escalation_level"])
    escalated_event(ticket=ticket, params={**params, "manual": True, "level": level + 1}, actor=actor,
                    at=timezone.now())
    return ticket


def do_escalate_major(*, ticket: Ticket, at: dt.datetime | None = None) -> None:
    """A major or sudden event (重要/突发): everyone on the ladder is told at once; nobody waits for a breach."""
    loaded = policies.match(ticket)
    notified: list[int] = []
    for rung in loaded.rungs if loaded else []:
        params = run_rung(rung, ticket, reason=str(_("major or sudden event")), allow_reassign=False)
        notified.extend(params.get("notified", []))
    escalated_event(ticket=ticket, params={"major": True, "notified": sorted(set(notified))}, actor=None,
                    at=at or timezone.now())


def do_notify_on_duty(ticket: Ticket) -> None:
    """Emergency repairs (抢修) go to the people on duty by SMS the moment the ticket exists (SL4)."""
    on_duty = list(User.objects.filter(on_duty=True, is_active=True))
    notices.tell(on_duty, kind="emergency_created", ticket=ticket, sms=True)


def do_note_recomputed(ticket: Ticket, live: list[TicketClock], at: dt.datetime) -> None:
    """Record that the ticket's limits moved with its type, priority or customer."""
    recomputed_event(ticket=ticket, live=live, at=at)
