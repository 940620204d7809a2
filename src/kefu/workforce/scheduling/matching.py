"""A fast named roster for large weeks: days off first, then one assignment problem per day.

Stage 1 decided how many agents of each group take each pair of consecutive days off. Agents are given
those pairs by an assignment that spreads weekends fairly (whoever worked more weekend days this month is
likelier to get a pair on the weekend) and respects unavailable days; then each day's planned shifts go to
that day's workers by a minimum-cost assignment
(scipy's linear_sum_assignment) in which a shift that would break a rule costs too much to be chosen:
too little rest after yesterday's shift, a night for an agent exempt from nights, more hours than the
contract, too many days. Nights are spread by a cost on the nights each agent already has, preferences
lower the cost, and keeping yesterday's start time is slightly cheaper so rosters stay regular.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from scipy.optimize import linear_sum_assignment

from kefu.workforce.scheduling.setup import Agent, Pattern, Rules
from kefu.workforce.scheduling.shifts import ShiftPlan

FORBIDDEN = 1e9


def _rest_ok(prev: Pattern | None, nxt: Pattern, rules: Rules) -> bool:
    return prev is None or nxt.start + 1440 - prev.end >= rules.min_rest_hours * 60


def _pairs_for(plan: ShiftPlan, g: int, agents: list[Agent], week: date, holidays: set[date]) -> dict[int, int]:
    """Each agent of group g → an off pair (0 = Mon–Tue … 5 = Sat–Sun, 6 = no fixed pair)."""
    members = plan.members[g]
    counts = plan.days_off.get(g)
    if not counts:
        return {a: 6 for a in members}
    slots = [j for j, n in enumerate(counts) for _ in range(n)]
    slots += [6] * max(0, len(members) - len(slots))
    cost = np.zeros((len(members), len(slots)))
    for r, a in enumerate(members):
        agent = agents[a]
        for c, j in enumerate(slots):
            off = {j, j + 1} if j < 6 else set()
            lost = sum(1 for k in range(7) if k not in off and week + timedelta(days=k) in agent.unavailable)
            weekend_work = sum(1 for k in range(7) if k not in off and (k >= 5 or week + timedelta(days=k) in holidays))
            cost[r, c] = lost * 10 + weekend_work * agent.weekends_so_far * 0.1 + (agent.days_per_week > 5) * (j < 6)
    rows, cols = linear_sum_assignment(cost)
    return {members[r]: slots[c] for r, c in zip(rows, cols, strict=True)}


def assign_by_day(plan: ShiftPlan, patterns: list[Pattern], agents: list[Agent], rules: Rules, week: date,
                  holidays: set[date]) -> set[tuple[int, int, int, int]]:
    """(agent, day, pattern, group) for as many planned shifts as the rules allow."""
    pair: dict[int, int] = {}
    group_of: dict[int, int] = {}
    for g in range(len(plan.members)):
        pair.update(_pairs_for(plan, g, agents, week, holidays))
        group_of.update({a: g for a in plan.members[g]})
    last: dict[int, Pattern | None] = {}
    days_worked = dict.fromkeys(pair, 0)
    hours = dict.fromkeys(pair, 0.0)
    nights = {a: agents[a].nights_so_far for a in pair}
    run = {a: agents[a].prior_run for a in pair}
    chosen = set()
    for d in range(7):
        today = week + timedelta(days=d)
        for g in range(len(plan.members)):
            shifts = [p for (gg, dd, p), n in sorted(plan.counts.items()) if gg == g and dd == d for _ in range(n)]
            workers = [a for a in plan.members[g]
                       if d not in ({pair[a], pair[a] + 1} if pair[a] < 6 else set())
                       and today not in agents[a].unavailable and days_worked[a] < agents[a].days_per_week
                       and run[a] < rules.max_consecutive_days]
            if not shifts or not workers:
                continue
            cost = np.array([[_cost(a, patterns[p], agents[a], rules, last.get(a), hours[a], nights[a],
                                    days_left=7 - d, worked=days_worked[a], first_day=d == 0)
                              for p in shifts] for a in workers])
            rows, cols = linear_sum_assignment(cost)
            for r, c in zip(rows, cols, strict=True):
                if cost[r, c] >= FORBIDDEN:
                    continue
                a, p = workers[r], shifts[c]
                chosen.add((a, d, p, g))
                hours[a] += patterns[p].paid_minutes / 60
                days_worked[a] += 1
                nights[a] += patterns[p].night(rules)
        working = {a for a, dd, _, _ in chosen if dd == d}
        for a in pair:
            if a in working:
                run[a] += 1
                last[a] = next(patterns[p] for aa, dd, p, _ in chosen if aa == a and dd == d)
            else:
                run[a] = 0
                last[a] = None
    return chosen


def _cost(a: int, pat: Pattern, agent: Agent, rules: Rules, prev: Pattern | None, hours: float, nights: int, *,
          days_left: int, worked: int, first_day: bool = False) -> float:
    """What giving this shift to this agent costs; FORBIDDEN when it would break a rule."""
    if not _rest_ok(prev, pat, rules) or (agent.no_nights and pat.night(rules)):
        return FORBIDDEN
    if first_day and not agent.rested(pat, rules):
        return FORBIDDEN
    if hours + pat.paid_minutes / 60 > agent.max_hours + 1e-9:
        return FORBIDDEN
    if pat.skill and pat.skill not in agent.skills:
        return FORBIDDEN
    cost = 0.0
    if pat.night(rules):
        cost += 5.0 * nights
    if pat.name in agent.prefers or pat.name.split("/")[0] in agent.prefers:
        cost -= 3.0
    if prev is not None:
        cost += abs(pat.start - prev.start) / 240
    # Agents who still owe more days than are left get the shift first, so contracts are met.
    owed = agent.days_per_week - worked
    cost -= 2.0 * owed / max(days_left, 1)
    return cost + 1e-3 * (a % 97)  # a deterministic tie-break keeps runs reproducible
