"""The queue board's numbers (班长/主管看板): waiting, in progress, at risk, breached — by team and by agent.

Four grouped queries over the tickets the viewer may see, however many tickets there are: the counts are
aggregated in the database, never by looping over tickets in Python.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from kefu.accounts.models import Team, User
from kefu.tickets.models import EventCode, Ticket, TicketEvent

ESCALATION_LIMIT = 20
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


def _clock_counts(open_tickets, now) -> dict[tuple[int | None, int | None], tuple[int, int]]:
    """(team, assignee) → (at risk, breached), counting tickets with a live clock in that state."""
    from kefu.sla.models import ClockState, TicketClock

    live = TicketClock.objects.filter(ticket__in=open_tickets.values("pk"),
                                      state__in=(ClockState.RUNNING, ClockState.PAUSED))
    rows = (live.values("ticket__team_id", "ticket__assignee_id")
            .annotate(breached=Count("ticket", distinct=True, filter=Q(due_at__lte=now) | Q(breached_at__isnull=False)),
                      at_risk=Count("ticket", distinct=True,
                                    filter=Q(warn_at__lte=now, due_at__gt=now, breached_at__isnull=True))))
    return {(r["ticket__team_id"], r["ticket__assignee_id"]): (r["at_risk"], r["breached"]) for r in rows}


def board_for(user) -> Board:
    now = timezone.now()
    open_tickets = Ticket.objects.visible_to(user).filter(is_open=True)
    groups = (open_tickets.values("team_id", "assignee_id")
              .annotate(waiting=Count("id", filter=Q(assignee__isnull=True)),
                        in_progress=Count("id", filter=Q(assignee__isnull=False))))
    clocks = _clock_counts(open_tickets, now)
    totals, by_team, by_agent = Row(), {}, {}
    keys = {(g["team_id"], g["assignee_id"]): g for g in groups}
    for key in set(keys) | set(clocks):
        g = keys.get(key, {"waiting": 0, "in_progress": 0})
        at_risk, breached = clocks.get(key, (0, 0))
        for row in (totals, by_team.setdefault(key[0], Row()),
                    by_agent.setdefault(key[1], Row()) if key[1] else Row()):
            row.waiting += g["waiting"]
            row.in_progress += g["in_progress"]
            row.at_risk += at_risk
            row.breached += breached
    busiest = max((r.total for r in by_team.values()), default=0) or 1
    for row in by_team.values():
        row.share = round(100 * row.total / busiest)
    teams = Team.objects.in_bulk([t for t in by_team if t])
    agents = User.objects.in_bulk([a for a in by_agent if a])
    escalations = list(TicketEvent.objects.filter(code=EventCode.ESCALATED, ticket__in=open_tickets.values("pk"))
                       .select_related("ticket", "ticket__assignee").order_by("-created_at")[:ESCALATION_LIMIT])
    listed = open_tickets.select_related("ticket_type", "team", "customer")
    return Board(
        totals=totals,
        teams=sorted(((teams.get(t), r) for t, r in by_team.items()), key=lambda x: (-x[1].breached, -x[1].total)),
        agents=sorted(((agents[a], r) for a, r in by_agent.items() if a in agents),
                      key=lambda x: (-x[1].breached, -x[1].total)),
        unassigned=list(listed.filter(assignee__isnull=True).order_by("-priority", "created_at")[:LIST_LIMIT]),
        escalations=escalations,
    )
