"""The queue board's numbers (班长/主管看板): waiting, in progress, at risk, breached — by team and by agent.

Aggregated in the database over the tickets the viewer may see, never by looping over tickets in Python, and
read from indexes only (100k tickets, a lead seeing 22k open ones):

- one grouped query for all four numbers: `ticket_open_board` holds every column the visibility test, the
  grouping and the SLA state need, for open tickets only, so the COUNT … GROUP BY never reads a ticket row nor
  a clock (at risk and breached come from the ticket's SLA summary, kefu.sla.summary; 100k tickets: ~70 → ~? ms);
- escalations: `event_escalated` lists the escalated events newest first, so the 20 newest the viewer may
  see are found without scanning every event (~80 → <1 ms).

The partial indexes match only when the query repeats their condition literally (`LiteralIn`). Maintained
counters were not used: at risk and breached change with the clock, not with events, and a team lead's view
(own, team and dispatched tickets) is not a sum of per-team or per-agent counters.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from kefu.accounts.models import Team, User
from kefu.core.sql import LiteralIn
from kefu.tickets.models import Ticket, TicketEvent

ESCALATION_LIMIT = 20
# The SLA app's escalation code (kefu.sla.events.SlaEventCode.ESCALATED), as the event_escalated index names it.
ESCALATED = ("escalated",)
UNASSIGNED_FIELDS = ("title", "priority", "version", "created_at", "is_open", "assignee_id", "ticket_type", "team",
                     "ticket_type__code", "ticket_type__name", "ticket_type__name_en", "team__name")
LIST_LIMIT = 50


@dataclass
class Row:
    waiting: int = 0
    in_progress: int = 0
    at_risk: int = 0
    breached: int = 0

    share: int = 0  # percent of the busiest row, for the bar beside it

    @property
    def total(self) -> int:
        return self.waiting + self.in_progress


@dataclass
class Board:
    totals: Row
    teams: list[tuple[Team | None, Row]]
    agents: list[tuple[User, Row]]
    unassigned: list[Ticket] = field(default_factory=list)
    urgent: list[Ticket] = field(default_factory=list)
    escalations: list[TicketEvent] = field(default_factory=list)


def _counts(open_tickets, now) -> dict[tuple[int | None, int | None], dict]:
    """(team, assignee) → waiting, in progress, at risk, breached: one grouped query over the board index.

    At risk and breached read the ticket's SLA summary (kefu.sla.summary), which sits in the same index: no
    look-up per ticket into its clocks."""
    from kefu.sla.summary import AT_RISK, BREACHED, state_q

    rows = (open_tickets.values("team_id", "assignee_id")
            .annotate(waiting=Count("id", filter=Q(assignee__isnull=True)),
                      in_progress=Count("id", filter=Q(assignee__isnull=False)),
                      breached=Count("id", filter=state_q(BREACHED, now)),
                      at_risk=Count("id", filter=state_q(AT_RISK, now))))
    return {(r["team_id"], r["assignee_id"]): r for r in rows}


def board_for(user, *, now: datetime | None = None) -> Board:
    now = now or timezone.now()
    open_tickets = Ticket.objects.visible_to(user).filter(is_open=True)
    totals, by_team, by_agent = Row(), {}, {}
    for key, g in _counts(open_tickets, now).items():
        for row in (totals, by_team.setdefault(key[0], Row()),
                    by_agent.setdefault(key[1], Row()) if key[1] else Row()):
            row.waiting += g["waiting"]
            row.in_progress += g["in_progress"]
            row.at_risk += g["at_risk"]
            row.breached += g["breached"]
    busiest = max((r.total for r in by_team.values()), default=0) or 1
    for row in by_team.values():
        row.share = round(100 * row.total / busiest)
    teams = Team.objects.in_bulk([t for t in by_team if t])
    agents = User.objects.in_bulk([a for a in by_agent if a])
    # Newest escalations first off event_escalated, each checked against the viewer's open tickets (EXISTS,
    # not `ticket IN (…)`, which SQLite would answer by listing every open ticket's events instead).
    escalations = list(TicketEvent.objects.filter(LiteralIn("code", ESCALATED),
                                                  Exists(open_tickets.filter(pk=OuterRef("ticket_id"))))
                       .select_related("ticket", "ticket__assignee").order_by("-created_at")[:ESCALATION_LIMIT])
    # Only what the board's table shows of the 50 unassigned tickets: building each with all ~30 fields (and
    # a customer nobody shows) was a fifth of the page's Python time.
    listed = open_tickets.select_related("ticket_type", "team").only(*UNASSIGNED_FIELDS)
    return Board(
        totals=totals,
        teams=sorted(((teams.get(t), r) for t, r in by_team.items()), key=lambda x: (-x[1].breached, -x[1].total)),
        agents=sorted(((agents[a], r) for a, r in by_agent.items() if a in agents),
                      key=lambda x: (-x[1].breached, -x[1].total)),
        unassigned=list(listed.filter(assignee__isnull=True).order_by("-priority", "created_at")[:LIST_LIMIT]),
        escalations=escalations,
    )
