"""Stage 2 of scheduling: named agents for the planned shifts, every labour rule kept, the load spread fairly.

One binary per (agent, day, pattern) for the patterns stage 1 chose (a few dozen a day, not hundreds),
solved by HiGHS: fill as many planned shifts as possible, then spread nights and weekend/holiday days
evenly (counting what each agent already worked this month), then honour preferences. The rules — one
shift a day, days per week, weekly hours, minimum rest between shifts, maximum consecutive days, two
consecutive days off — are constraints, not penalties.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import highspy

from kefu.workforce.scheduling.matching import assign_by_day
from kefu.workforce.scheduling.setup import Agent, Pattern, Rules
from kefu.workforce.scheduling.shifts import ShiftPlan, Solve, _Model

FILL = 1000.0  # reward for each planned shift given to an agent
FAIRNESS = 2.0  # per night or weekend day above or below the even share
PREFERENCE = 0.5  # reward for a shift the agent asked for
EXACT_LIMIT = 20_000  # (agent, shift) pairs up to which the exact programme is tried


@dataclass(frozen=True)
class Assignment:
    """Agent `agent` (index) works pattern `pattern` (index) on day `day` (0 = Monday) for group `group`."""

    agent: int
    day: int
    pattern: int
    group: int


def _rest_conflict(p: Pattern, q: Pattern, rules: Rules) -> bool:
    """Whether working p one day and q the next leaves less than the minimum rest between them."""
    return q.start + 1440 - p.end < rules.min_rest_hours * 60


def _weekend(week: date, day: int, holidays: set[date]) -> bool:
    d = week + timedelta(days=day)
    return day >= 5 or d in holidays


def assign(plan: ShiftPlan, patterns: list[Pattern], agents: list[Agent], rules: Rules, week: date, *,
           holidays: set[date] | None = None, cancelled: Callable[[], bool] | None = None,
           progress: Callable[[float], None] | None = None) -> tuple[list[Assignment], list[tuple], Solve]:
    """Named agents for the planned shifts; returns assignments, unfilled (group, day, pattern, n) and figures.

    The day-by-day assignment answers first; when the week is small enough, the exact programme starts
    from it, fills what the rules allow and spreads nights and weekends evenly.
    """
    holidays = holidays or set()
    began = time.monotonic()
    quick = assign_by_day(plan, patterns, agents, rules, week, holidays)
    planned = sum(plan.counts.values())
    size = sum(len(plan.members[g]) for g, _, _ in plan.counts)
    if size <= EXACT_LIMIT:
        chosen, solve = _exact(plan, patterns, agents, rules, week, holidays, quick, cancelled, progress)
    else:
        chosen = [Assignment(agent=a, day=d, pattern=p, group=g) for a, d, p, g in quick]
        solve = Solve(status="Assignment per day", objective=float(len(chosen)), bound=float(planned),
                      gap=(planned - len(chosen)) / planned if planned else 0.0,
                      seconds=time.monotonic() - began)
    filled: dict[tuple[int, int, int], int] = {}
    for s in chosen:
        filled[(s.group, s.day, s.pattern)] = filled.get((s.group, s.day, s.pattern), 0) + 1
    unfilled = [(g, d, p, n - filled.get((g, d, p), 0)) for (g, d, p), n in plan.counts.items()
                if n > filled.get((g, d, p), 0)]
    return sorted(chosen, key=lambda s: (s.day, patterns[s.pattern].start, s.agent)), unfilled, solve


def _exact(plan, patterns, agents, rules, week, holidays, quick, cancelled, progress):
    """The roster as an integer programme started from the quick answer."""
    m = _Model()
    z: dict[tuple[int, int, int], int] = {}  # (agent, day, pattern) → column
    owner: dict[int, int] = {}
    slot_terms: dict[tuple[int, int, int], list] = {}
    for (g, d, p), _count in plan.counts.items():
        pat = patterns[p]
        for a in plan.members[g]:
            agent = agents[a]
            if week + timedelta(days=d) in agent.unavailable or (agent.no_nights and pat.night(rules)):
                continue
            if d == 0 and not agent.rested(pat, rules):  # rest after last week's final shift
                continue
            if pat.paid_minutes / 60 > agent.max_hours or (pat.skill and pat.skill not in agent.skills
                                                          and plan.groups[g] != frozenset({""})):
                continue
            bonus = PREFERENCE if (pat.name in agent.prefers or pat.name.split("/")[0] in agent.prefers) else 0.0
            c = m.col(-FILL - bonus, upper=1, integer=True)
            z[(a, d, p)] = c
            owner[c] = g
            slot_terms.setdefault((g, d, p), []).append((c, 1.0))
    for key, count in plan.counts.items():
        if key in slot_terms:
            m.row(-highspy.kHighsInf, count, slot_terms[key])
    by_agent: dict[int, dict[int, list[tuple[int, int]]]] = {}
    for (a, d, p), c in z.items():
        by_agent.setdefault(a, {}).setdefault(d, []).append((p, c))
    night_total = sum(n for (g, d, p), n in plan.counts.items() if patterns[p].night(rules))
    weekend_total = sum(n for (g, d, p), n in plan.counts.items() if _weekend(week, d, holidays))
    pool = list(by_agent)
    night_share = (night_total + sum(agents[a].nights_so_far for a in pool)) / max(len(pool), 1)
    weekend_share = (weekend_total + sum(agents[a].weekends_so_far for a in pool)) / max(len(pool), 1)
    for a, days in by_agent.items():
        _agent_rows(m, agents[a], days, patterns, rules, week, holidays, night_share, weekend_share)
    start = {(a, d, p) for a, d, p, _ in quick}
    # The fill reward dwarfs the fairness terms, so a relative gap would stop before spreading nights:
    # stop only within half a fairness step of the bound (or at the time limit).
    values, solve = m.solve(time_limit=rules.time_limit_s, gap=0.0, abs_gap=FAIRNESS / 2, cancelled=cancelled,
                            progress=progress, start={c: 1.0 if key in start else 0.0 for key, c in z.items()})
    chosen = [Assignment(agent=a, day=d, pattern=p, group=owner[c]) for (a, d, p), c in z.items() if values[c] > 0.5]
    return chosen, solve


def _agent_rows(m: _Model, agent: Agent, days: dict[int, list[tuple[int, int]]], patterns: list[Pattern],
                rules: Rules, week: date, holidays: set[date], night_share: float, weekend_share: float) -> None:
    """One agent's constraints: a shift a day, days, hours, rest, consecutive days, days off, fairness."""
    every = [(d, p, c) for d, items in days.items() for p, c in items]
    for items in days.values():
        m.row(-highspy.kHighsInf, 1, [(c, 1.0) for _, c in items])
    m.row(-highspy.kHighsInf, agent.days_per_week, [(c, 1.0) for _, _, c in every])
    hours = [(c, patterns[p].paid_minutes / 60) for _, p, c in every]
    m.row(-highspy.kHighsInf, agent.max_hours, hours)
    if agent.min_hours > 0:
        slack = m.col(FILL / 10)  # falling short of the contract's hours is allowed but costly
        m.row(agent.min_hours, highspy.kHighsInf, hours + [(slack, 1.0)])
    for d, items in days.items():
        tomorrow = days.get(d + 1, [])
        for p, c in items:
            clash = [(c2, 1.0) for q, c2 in tomorrow if _rest_conflict(patterns[p], patterns[q], rules)]
            if clash:
                m.row(-highspy.kHighsInf, 1, [(c, 1.0)] + clash)
    span = rules.max_consecutive_days + 1
    for start in range(0, 8 - span):
        window = [(c, 1.0) for d, _, c in every if start <= d < start + span]
        if window:
            m.row(-highspy.kHighsInf, rules.max_consecutive_days, window)
    if agent.prior_run:  # the run of working days that reaches into this week from the one before
        first_off_by = max(0, rules.max_consecutive_days - agent.prior_run)
        window = [(c, 1.0) for d, _, c in every if d <= first_off_by]
        if window and first_off_by < 7:
            m.row(-highspy.kHighsInf, first_off_by, window)
    if rules.consecutive_days_off and agent.days_per_week <= 5:
        pairs = []
        for d in range(6):  # u_d = 1 only if the agent is off on day d and day d + 1
            u = m.col(0.0, upper=1, integer=True)
            pairs.append((u, 1.0))
            for day in (d, d + 1):
                m.row(-highspy.kHighsInf, 1, [(u, 1.0)] + [(c, 1.0) for _, c in days.get(day, [])])
        m.row(1, highspy.kHighsInf, pairs)
    nights = [(c, 1.0) for _, p, c in every if patterns[p].night(rules)]
    weekends = [(c, 1.0) for d, _, c in every if _weekend(week, d, holidays)]
    for terms, so_far, share in ((nights, agent.nights_so_far, night_share),
                                 (weekends, agent.weekends_so_far, weekend_share)):
        if not terms:
            continue
        dev = m.col(FAIRNESS)  # |so_far + this week − even share|
        m.row(share - so_far, highspy.kHighsInf, terms + [(dev, 1.0)])
        m.row(-highspy.kHighsInf, share - so_far, terms + [(dev, -1.0)])

