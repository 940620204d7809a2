"""THE definition of every KPI (PF1–PF3): one registry of Measures, each with its code, label, the definition
written beside the figure, and a function giving numerator and denominator per agent, team or center.

Every figure is computed from the record of what happened — ticket events and the rows the apps keep in step
with them (tickets, calls, the report facts of kefu.reports, QA evaluations, exam attempts) — each time it is
asked for, so recomputing a period always gives the live figure. The reports issue and the appraisal read
the same Measures: `compute(code, period, group)` or `MEASURES[code]`.

Grouping: "agent" is the agent the figure is about; "team" is that agent's team (the center's organisation
today, so a transfer moves an agent's history with them); "center" is everything, under the key None.
Attendance and adherence are registered by the workforce app through `register()` once it exists.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.kpi.periods import Period

AGENT, TEAM, CENTER = "agent", "team", "center"
GROUPS = (AGENT, TEAM, CENTER)


@dataclass
class Ratio:
    """A figure as numerator ÷ denominator (the page shows both); `scale` turns the ratio into the unit shown."""

    numerator: int = 0
    denominator: int = 0
    scale: int = 1  # 100 for a percentage, 1000 for per mille, 1 for a mean
    parts: dict = field(default_factory=dict)  # a breakdown (contacts by channel)

    @property
    def value(self) -> float | None:
        if self.denominator == 0:
            return None
        return round(self.numerator * self.scale / self.denominator, 2)

    def add(self, other: "Ratio") -> None:
        self.numerator += other.numerator
        self.denominator += other.denominator
        for key, n in other.parts.items():
            self.parts[key] = self.parts.get(key, 0) + n


@dataclass(frozen=True)
class Measure:
    """One KPI: how it is named, defined, shown and computed."""

    code: str
    label: object
    definition: object
    unit: str  # "count", "percent", "seconds", "score", "nps", "per_mille"
    compute: Callable[[Period, str], dict]  # (period, group) -> {key: Ratio}
    higher_is_better: bool = True
    per_agent: bool = True  # False where a figure cannot be pinned on one agent (complaints per 1,000)


MEASURES: dict[str, Measure] = {}


def register(measure: Measure) -> None:
    """Add (or replace) a measure; other apps register theirs from AppConfig.ready()."""
    MEASURES[measure.code] = measure


def compute(code: str, period: Period, group: str) -> dict:
    """{key: Ratio} of one measure: key is an agent id, a team id, or None for the center."""
    return MEASURES[code].compute(period, group)


# -- grouping helpers ---------------------------------------------------------------------------------------

def _teams() -> dict[int, int | None]:
    return dict(User.objects.values_list("pk", "team_id"))


def _roll(by_agent: dict[int | None, Ratio], group: str) -> dict:
    """Roll per-agent ratios up to the agent's team or the center (sums of numerators and denominators)."""
    if group == AGENT:
        return {k: v for k, v in by_agent.items() if k is not None}
    teams = _teams() if group == TEAM else {}
    out: dict = {}
    for agent_id, ratio in by_agent.items():
        key = teams.get(agent_id) if group == TEAM else None
        if group == TEAM and key is None:
            continue
        out.setdefault(key, Ratio(scale=ratio.scale)).add(ratio)
    return out


def _counts(rows, scale: int) -> dict:
    """{agent: Ratio} from rows of (agent, numerator, denominator)."""
    return {agent: Ratio(int(num or 0), int(den or 0), scale) for agent, num, den in rows}


# -- the measures ---------------------------------------------------------------------------------------------

def _contacts(period: Period, group: str) -> dict:
    from kefu.tickets.models import Ticket

    by_agent: dict = {}
    rows = (Ticket.objects.filter(created_at__gte=period.start, created_at__lt=period.end, created_by__isnull=False)
            .values_list("created_by_id", "channel").annotate(n=Count("id")).order_by())
    for agent, channel, n in rows:
        ratio = by_agent.setdefault(agent, Ratio(0, 0, 1))
        ratio.numerator += n
        ratio.denominator = 1  # a count: value = numerator
        ratio.parts[channel] = ratio.parts.get(channel, 0) + n
    rolled = _roll(by_agent, group)
    for ratio in rolled.values():
        ratio.denominator = 1
    return rolled


def _aht(period: Period, group: str) -> dict:
    from kefu.cti.models import Call

    talk = ExpressionWrapper(F("ended_at") - F("answered_at"), output_field=DurationField())
    rows = (Call.objects.filter(answered_at__gte=period.start, answered_at__lt=period.end, ended_at__isnull=False)
            .values("agent_id").annotate(talk=Sum(talk), n=Count("id")).order_by())
    by_agent = {r["agent_id"]: Ratio(int(r["talk"].total_seconds()) if r["talk"] else 0, r["n"], 1) for r in rows}
    return _roll(by_agent, group)


def _fcr(period: Period, group: str, days: int | None = None) -> dict:
    """Tickets whose customer (or caller) opened no other ticket of the same type within N days after."""
    from kefu.kpi.models import KpiSettings
    from kefu.tickets.models import Ticket

    days = days if days is not None else KpiSettings.current().fcr_days
    window = timedelta(days=days)
    rows = (Ticket.objects.filter(created_at__gte=period.start, created_at__lt=period.end + window)
            .filter(Q(customer__isnull=False) | ~Q(contact_phone=""))
            .values_list("created_by_id", "customer_id", "contact_phone", "ticket_type_id", "created_at", "id")
            .order_by("created_at", "id"))
    matters: dict[tuple, list] = defaultdict(list)
    for agent, customer, phone, type_id, created, _pk in rows:
        matters[(customer or phone, type_id)].append((created, agent))
    by_agent: dict = {}
    for tickets in matters.values():
        for i, (created, agent) in enumerate(tickets):
            if not (period.start <= created < period.end) or agent is None:
                continue
            ratio = by_agent.setdefault(agent, Ratio(0, 0, 100))
            ratio.denominator += 1
            repeated = i + 1 < len(tickets) and tickets[i + 1][0] - created <= window
            ratio.numerator += 0 if repeated else 1
    return _roll(by_agent, group)


def _sla(period: Period, group: str) -> dict:
    from kefu.tickets.models import EventCode, Ticket, TicketEvent

    breached = TicketEvent.objects.filter(ticket_id=OuterRef("pk"), code=EventCode.SLA_BREACHED)
    rows = (Ticket.objects.filter(resolved_at__gte=period.start, resolved_at__lt=period.end, assignee__isnull=False)
            .annotate(late=Exists(breached)).values("assignee_id")
            .annotate(n=Count("id"), ok=Count("id", filter=Q(late=False))).order_by()
            .values_list("assignee_id", "ok", "n"))
    return _roll(_counts(rows, 100), group)


def _callbacks(period: Period, group: str) -> dict:
    from kefu.reports.models import CallbackCase, CaseState

    counted = Q(state__in=[CaseState.REACHED, CaseState.CLOSED_UNREACHABLE]) | Q(
        state=CaseState.OPEN, first_due__lte=min(period.end, period.now))
    rows = (CallbackCase.objects.filter(first_due__gte=period.start, first_due__lt=period.end).filter(counted)
            .values("agent_id").annotate(n=Count("id"), done=Count("id", filter=Q(state=CaseState.REACHED)))
            .order_by().values_list("agent_id", "done", "n"))
    return _roll(_counts(rows, 100), group)


def _answers(period: Period):
    from kefu.reports.models import SurveyAnswer

    return SurveyAnswer.objects.filter(answered_at__gte=period.start, answered_at__lt=period.end)


def _csat(period: Period, group: str) -> dict:
    rows = (_answers(period).filter(csat__isnull=False).values("agent_id")
            .annotate(n=Count("id"), good=Count("id", filter=Q(csat__gte=4))).order_by()
            .values_list("agent_id", "good", "n"))
    return _roll(_counts(rows, 100), group)


def _nps(period: Period, group: str) -> dict:
    rows = (_answers(period).filter(nps__isnull=False).values("agent_id")
            .annotate(n=Count("id"), pro=Count("id", filter=Q(nps__gte=9)), det=Count("id", filter=Q(nps__lte=6)))
            .order_by().values_list("agent_id", "pro", "det", "n"))
    return _roll({agent: Ratio(pro - det, n, 100) for agent, pro, det, n in rows}, group)


def _compliments(period: Period, group: str) -> dict:
    rows = (_answers(period).filter(csat=5).values("agent_id").annotate(n=Count("id")).order_by()
            .values_list("agent_id", "n"))
    by_agent = {agent: Ratio(n, 1, 1) for agent, n in rows}
    rolled = _roll(by_agent, group)
    for ratio in rolled.values():
        ratio.denominator = 1
    return rolled


def _qa(period: Period, group: str) -> dict:
    from kefu.quality.models import Evaluation

    rows = (Evaluation.objects.filter(scored_at__gte=period.start, scored_at__lt=period.end)
            .values("agent_id").annotate(total=Sum("score"), n=Count("id")).order_by()
            .values_list("agent_id", "total", "n"))
    return _roll(_counts(rows, 1), group)


def _complaints(period: Period, group: str) -> dict:
    """Complaint tickets (by the team found responsible, else the ticket's team) per 1,000 tickets opened."""
    from kefu.tickets.models import Ticket

    if group == AGENT:
        return {}
    opened = Ticket.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
    contacts = dict(opened.filter(created_by__isnull=False).values("created_by__team_id").annotate(n=Count("id"))
                    .order_by().values_list("created_by__team_id", "n"))
    complaints = (opened.filter(ticket_type__is_complaint=True)
                  .values_list("complaint_record__responsible_team_id", "team_id"))
    per_team: dict = defaultdict(int)
    for responsible, team in complaints:
        per_team[responsible or team] += 1
    if group == CENTER:
        return {None: Ratio(sum(per_team.values()), sum(contacts.values()), 1000)}
    return {team: Ratio(per_team.get(team, 0), contacts.get(team, 0), 1000)
            for team in set(contacts) | set(per_team) if team is not None}


def _exams(period: Period, group: str) -> dict:
    from kefu.training.models import Attempt

    rows = (Attempt.objects.filter(finished_at__gte=period.start, finished_at__lt=period.end)
            .values("agent_id").annotate(n=Count("id"), ok=Count("id", filter=Q(passed=True))).order_by()
            .values_list("agent_id", "ok", "n"))
    return _roll(_counts(rows, 100), group)


for _measure in (
    Measure("contacts", _("Contacts handled"),
            _("Tickets the agent opened in the period, by the ticket's channel (each ticket is one contact)."),
            "count", _contacts),
    Measure("aht", _("Average handle time"),
            _("Talk seconds of the calls answered in the period that have ended ÷ those calls."), "seconds",
            _aht, higher_is_better=False),
    Measure("fcr", _("First-contact resolution"),
            _("Tickets opened in the period whose customer (or caller's number) opened no other ticket of the same "
              "type within the next N days ÷ tickets opened with a customer or number; N is set in the KPI "
              "settings."), "percent", _fcr),
    Measure("sla", _("SLA compliance"),
            _("Tickets resolved in the period without a time-limit breach event ÷ tickets resolved, by the "
              "assignee."), "percent", _sla),
    Measure("callbacks", _("Callback completion"),
            _("Callback cases whose first task fell due in the period in which the customer was reached ÷ cases "
              "counted (ended, or due and still open; cancelled cases are not counted) — the callback report's "
              "completion rate."), "percent", _callbacks),
    Measure("csat", _("CSAT"), _("Survey answers scoring 4 or 5 of 5 ÷ answers with a CSAT score, answered in "
                                 "the period, by the agent who handled the ticket."), "percent", _csat),
    Measure("nps", _("NPS"), _("Promoters (9–10) minus detractors (0–6) ÷ answers with an NPS score, ×100."),
            "nps", _nps),
    Measure("compliments", _("Compliments"), _("Survey answers with the top CSAT score (5 of 5) in the period."),
            "count", _compliments),
    Measure("qa", _("QA score"), _("Sum of the QA evaluation scores given in the period (after appeals) ÷ "
                                   "evaluations."), "score", _qa),
    Measure("complaints", _("Complaints per 1,000 contacts"),
            _("Complaint tickets opened in the period, counted against the team found responsible (else the "
              "ticket's team), ×1000 ÷ tickets opened by that team's agents. Not pinned on single agents."),
            "per_mille", _complaints, higher_is_better=False, per_agent=False),
    Measure("exams", _("Exam pass rate"), _("Exam attempts finished in the period that passed ÷ attempts "
                                            "finished."), "percent", _exams),
):
    register(_measure)


def month_period(month: date, now: datetime | None = None) -> Period:
    """The Period of a calendar month in the center's time zone."""
    return Period.month(month, now=now)
