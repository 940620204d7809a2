"""The queue board's numbers equal a plain count over the tickets and their clocks, after many random changes.

The board counts with grouped queries over partial indexes (kefu.tickets.board); this test recounts the same
thing the slow, obvious way — every open ticket the viewer may see, every live clock of it — and compares.
"""

import contextlib
import datetime as dt
import random

import pytest
from django.utils import timezone

from kefu.core.errors import ServiceError
from kefu.sla.escalation import escalate_ticket, sweep
from kefu.sla.events import SlaEventCode
from kefu.sla.models import LIVE_STATES, TicketClock
from kefu.tickets import services
from kefu.tickets.board import ESCALATION_LIMIT, board_for
from kefu.tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db


def _expected(user, now) -> dict:
    """(totals, by team, by agent) as {key: (waiting, in progress, at risk, breached)}, counted in Python."""
    tickets = list(Ticket.objects.visible_to(user).filter(is_open=True))
    clocks: dict[int, list[TicketClock]] = {}
    for clock in TicketClock.objects.filter(ticket__in=[t.pk for t in tickets], state__in=LIVE_STATES):
        clocks.setdefault(clock.ticket_id, []).append(clock)
    totals, teams, agents = [0, 0, 0, 0], {}, {}
    for ticket in tickets:
        live = clocks.get(ticket.pk, [])
        breached = any(c.due_at <= now or c.breached_at is not None for c in live)
        # At risk: past a clock's warning point and within every limit (a breached ticket counts as breached only).
        at_risk = not breached and any(c.warn_at is not None and c.warn_at <= now for c in live)
        counts = (ticket.assignee_id is None, ticket.assignee_id is not None, at_risk, breached)
        rows = [totals, teams.setdefault(ticket.team_id, [0, 0, 0, 0])]
        if ticket.assignee_id:
            rows.append(agents.setdefault(ticket.assignee_id, [0, 0, 0, 0]))
        for row in rows:
            for i, value in enumerate(counts):
                row[i] += int(value)
    return {"totals": tuple(totals), "teams": {k: tuple(v) for k, v in teams.items()},
            "agents": {k: tuple(v) for k, v in agents.items()}}


def _shown(user, now) -> dict:
    board = board_for(user, now=now)

    def row(r):
        return (r.waiting, r.in_progress, r.at_risk, r.breached)

    return {"totals": row(board.totals), "teams": {(t.pk if t else None): row(r) for t, r in board.teams},
            "agents": {a.pk: row(r) for a, r in board.agents}}


def _random_change(rng: random.Random, world, ticket: Ticket, at: dt.datetime) -> None:
    handlers = {world.team_a.pk: [world.agent, world.handler, None], world.team_b.pk: [world.agent_b, None]}
    actor = rng.choice([world.agent, world.lead, world.supervisor])
    op = rng.choice(["transition", "transition", "assign", "dispatch", "escalate", "reopen"])
    if op == "transition" and ticket.ticket_type.allowed_next(ticket.status):
        services.transition_ticket(actor=world.supervisor, ticket_id=ticket.pk, version=ticket.version,
                                   to=rng.choice(ticket.ticket_type.allowed_next(ticket.status)), now=at)
    elif op == "assign":
        team = rng.choice(list(handlers))
        assignee = rng.choice(handlers[team])
        services.assign_ticket(actor=world.supervisor, ticket_id=ticket.pk, version=ticket.version, team_id=team,
                               assignee_id=assignee.pk if assignee else None)
    elif op == "dispatch":
        services.dispatch_ticket(actor=world.supervisor, ticket_id=ticket.pk, version=ticket.version,
                                 team_id=rng.choice([world.crew.pk, world.team_b.pk]))
    elif op == "escalate":
        escalate_ticket(actor=actor, ticket_id=ticket.pk, reason="客户催办")
    elif op == "reopen":
        services.reopen_ticket(actor=world.supervisor, ticket_id=ticket.pk, version=ticket.version,
                               reason="客户反映未解决", now=at)


def test_board_numbers_match_a_direct_count_after_random_changes(world):
    rng = random.Random(20261123)
    now = timezone.now().replace(microsecond=0)
    creators = [world.agent, world.agent_b, world.lead, world.handler]
    ids = []
    for i in range(40):
        team = rng.choice([world.team_a, world.team_b])
        assignee = rng.choice({world.team_a.pk: [world.agent, world.handler, None],
                               world.team_b.pk: [world.agent_b, None]}[team.pk])
        # Half within the last five hours, so that some clocks are past their warning but not yet due.
        age = rng.randint(1, 300) if i % 2 else rng.randint(1, 60 * 24 * 6)
        kind, custom = rng.choice([("inquiry", {}), ("repair", {"fault": "其他"}), ("complaint", {"category": "收费"}),
                                   ("emergency", {"hazard": "停气"})])
        ticket = world.ticket(by=rng.choice(creators), type=kind, title=f"看板{i}", team_id=team.pk,
                              assignee_id=assignee.pk if assignee else None, priority=rng.randint(1, 4),
                              custom=custom, now=now - dt.timedelta(minutes=age))
        ids.append(ticket.pk)
    for step in range(150):
        ticket = Ticket.objects.select_related("ticket_type").get(pk=rng.choice(ids))
        with contextlib.suppress(ServiceError):  # a refused change (top of the ladder …) changes nothing
            _random_change(rng, world, ticket, now - dt.timedelta(minutes=150 - step))
        if step == 100:
            sweep(now=now)  # stamps warnings and breaches, runs escalation rungs
    assert Ticket.objects.filter(is_open=True).count() > 5
    for user in (world.lead, world.supervisor, world.agent_b, world.fieldman):
        assert _shown(user, now) == _expected(user, now), user.username
        shown = [e.pk for e in board_for(user, now=now).escalations]
        open_ids = Ticket.objects.visible_to(user).filter(is_open=True).values("pk")
        expected = TicketEvent.objects.filter(code=SlaEventCode.ESCALATED, ticket__in=open_ids)
        assert len(shown) == min(expected.count(), ESCALATION_LIMIT)
        assert set(shown) <= set(expected.values_list("pk", flat=True))
