"""Stage 1 of scheduling: how many agents start which shift pattern on which day (integer programme, HiGHS).

Minimise paid hours subject to covering the requirement of every interval of the week; an uncovered
agent-interval is allowed only at a high price, so when there are too few agents the solver reports the
shortfall instead of failing. Agents with the same skills form a group; with several skills, the time of a
group's agents on duty is split between the skills they have (a continuous allocation per interval).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import highspy
import numpy as np

from kefu.workforce.scheduling.setup import Agent, Pattern, Requirement, Rules

SHORT_COST = 100.0  # per agent-interval uncovered: far above any shift's paid hours


class Cancelled(Exception):
    """The caller asked the solve to stop."""


@dataclass
class Solve:
    """Solver figures reported with a schedule."""

    status: str
    objective: float
    bound: float
    gap: float
    seconds: float


@dataclass
class ShiftPlan:
    """Stage 1's answer: agents starting pattern p on day d for each agent group."""

    groups: list[frozenset[str]]
    members: list[list[int]]  # agent indexes per group
    counts: dict[tuple[int, int, int], int] = field(default_factory=dict)  # (group, day, pattern) → agents
    shortfall: float = 0.0
    solve: Solve | None = None
    days_off: dict[int, list[int]] = field(default_factory=dict)  # group → agents per off pair (Mon–Tue…, free)


def covered_offsets(pattern: Pattern, interval: int) -> np.ndarray:
    """Interval offsets from the day's first interval during which the pattern is on duty the whole time."""
    out = []
    for s, e in pattern.segments:
        first = -(-s // interval)
        last = e // interval
        out.extend(range(first, last))
    return np.array(sorted(out), dtype=np.int64)


def groups_of(agents: list[Agent], skills: list[str]) -> tuple[list[frozenset[str]], list[list[int]]]:
    """Agents grouped by the skills of the requirement they have (one group when skills are not used)."""
    if skills == [""]:
        return [frozenset({""})], [list(range(len(agents)))]
    keys: dict[frozenset[str], list[int]] = {}
    for i, a in enumerate(agents):
        mine = frozenset(a.skills) & frozenset(skills)
        if mine:
            keys.setdefault(mine, []).append(i)
    ordered = sorted(keys, key=lambda k: sorted(k))
    return ordered, [keys[k] for k in ordered]


def _highs() -> highspy.Highs:
    """A HiGHS instance; its one-time banner on file descriptor 1 would corrupt JSON on stdout."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


class _Model:
    """A small column-wise builder for a HiGHS model."""

    def __init__(self):
        self.cost, self.lower, self.upper, self.integer = [], [], [], []
        self.rows_lo, self.rows_hi = [], []
        self.entries: list[tuple[int, int, float]] = []

    def col(self, cost, lower=0.0, upper=highspy.kHighsInf, integer=False) -> int:
        self.cost.append(cost)
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(integer)
        return len(self.cost) - 1

    def row(self, lo, hi, terms) -> int:
        r = len(self.rows_lo)
        self.rows_lo.append(lo)
        self.rows_hi.append(hi)
        self.entries.extend((r, c, v) for c, v in terms)
        return r

    def solve(self, *, time_limit, gap, cancelled=None, progress=None, start=None,
              abs_gap=None) -> tuple[np.ndarray, Solve]:
        h = _highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("time_limit", float(time_limit))
        h.setOptionValue("mip_rel_gap", float(gap))
        if abs_gap is not None:
            h.setOptionValue("mip_abs_gap", float(abs_gap))
        h.setOptionValue("threads", 1)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = len(self.cost), len(self.rows_lo)
        lp.col_cost_, lp.col_lower_, lp.col_upper_ = self.cost, self.lower, self.upper
        lp.row_lower_, lp.row_upper_ = self.rows_lo, self.rows_hi
        ent = np.array(self.entries, dtype=float).reshape(-1, 3)
        order = np.lexsort((ent[:, 0], ent[:, 1]))
        ent = ent[order]
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.searchsorted(ent[:, 1], np.arange(lp.num_col_ + 1)).astype(np.int32)
        lp.a_matrix_.index_ = ent[:, 0].astype(np.int32)
        lp.a_matrix_.value_ = ent[:, 2]
        lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                           for i in self.integer]
        h.passModel(lp)
        if start:  # a known feasible part-solution; HiGHS completes the other columns
            keys = np.array(sorted(start), dtype=np.int32)
            h.setSolution(len(keys), keys, np.array([start[k] for k in keys], dtype=float))
        stop = {"cancelled": False, "last": 0.0}

        def interrupt(event):
            if cancelled and cancelled():
                stop["cancelled"] = True
                event.interrupt()
            now = time.monotonic()
            if progress and now - stop["last"] > 1.0:
                stop["last"] = now
                progress(float(event.data_out.mip_gap))

        if cancelled or progress:
            h.cbMipInterrupt.subscribe(interrupt)
        began = time.monotonic()
        h.run()
        if stop["cancelled"]:
            raise Cancelled()
        info = h.getInfo()
        status = h.modelStatusToString(h.getModelStatus())
        values = np.array(h.getSolution().col_value)
        if values.size != lp.num_col_:
            raise RuntimeError(f"HiGHS found no solution ({status})")
        mip = any(self.integer)
        bound = float(info.mip_dual_bound) if mip else float(info.objective_function_value)
        gap_now = float(info.mip_gap) if mip else 0.0
        return values, Solve(status=status, objective=float(info.objective_function_value), bound=bound,
                             gap=max(0.0, gap_now), seconds=time.monotonic() - began)


def _days_off_columns(m: _Model, rules: Rules, group: list[Agent]) -> tuple[list[list[int]], list[int]] | None:
    """Agents per pair of consecutive days off (Mon–Tue … Sat–Sun, or free for 6-day contracts).

    With two consecutive days off required, the number working on a day is bounded by the agents whose
    pair falls elsewhere; without this the named roster could not fill every planned shift.
    """
    if not rules.consecutive_days_off:
        return None
    pairs = [m.col(0.0, integer=True) for _ in range(6)]
    free = m.col(0.0, upper=sum(1 for a in group if a.days_per_week > 5), integer=True)
    m.row(len(group), len(group), [(y, 1.0) for y in pairs + [free]])
    return [[y for j, y in enumerate(pairs) if d not in (j, j + 1)] + [free] for d in range(7)], pairs + [free]


def plan_shifts(req: Requirement, patterns: list[Pattern], agents: list[Agent], rules: Rules, *,
                cancelled: Callable[[], bool] | None = None,
                progress: Callable[[float], None] | None = None) -> ShiftPlan:
    """Stage 1: the cheapest pattern counts per day and group that cover the requirement (or report a gap)."""
    skills = sorted(req.need)
    groups, members = groups_of(agents, skills)
    slots = req.slots
    week_slots = 7 * slots
    m = _Model()
    offsets = [covered_offsets(p, req.interval_minutes) for p in patterns]
    cover_cols: dict[tuple[int, int], list[int]] = {}  # (group, week slot) → x columns on duty
    plan = ShiftPlan(groups=groups, members=members)
    xcols = {}
    off_cols: dict[int, list[int]] = {}
    for g, idx in enumerate(members):
        group_skills = groups[g]
        off = _days_off_columns(m, rules, [agents[i] for i in idx])
        on_days = off[0] if off else None
        if off:
            off_cols[g] = off[1]
        for d in range(7):
            day = req.week.toordinal() + d
            free = [i for i in idx if day not in {u.toordinal() for u in agents[i].unavailable}]
            if not free:
                continue
            day_cols = []
            for p, pat in enumerate(patterns):
                if d not in pat.days or (pat.skill and pat.skill not in group_skills):
                    continue
                ok = [i for i in free if not (agents[i].no_nights and pat.night(rules))
                      and (not pat.skill or pat.skill in agents[i].skills or skills == [""])]
                if not ok:
                    continue
                c = m.col(pat.paid_minutes / 60, upper=len(ok), integer=True)
                xcols[(g, d, p)] = c
                day_cols.append(c)
                for o in offsets[p]:
                    t = d * slots + int(o)
                    if t < week_slots:
                        cover_cols.setdefault((g, t), []).append(c)
            if day_cols:
                m.row(-highspy.kHighsInf, len(free), [(c, 1.0) for c in day_cols])
                if on_days:  # and no more than the agents whose days off are elsewhere
                    m.row(-highspy.kHighsInf, 0.0, [(c, 1.0) for c in day_cols] + [(y, -1.0) for y in on_days[d]])
        cols = [c for (gg, _, _), c in xcols.items() if gg == g]
        if cols:
            m.row(-highspy.kHighsInf, sum(agents[i].days_per_week for i in idx), [(c, 1.0) for c in cols])
            hours = {c: patterns[p].paid_minutes / 60 for (gg, _, p), c in xcols.items() if gg == g}
            m.row(-highspy.kHighsInf, sum(agents[i].max_hours for i in idx), list(hours.items()))
    short_cols = []
    alloc: dict[tuple[int, int], list[int]] = {}  # (group, week slot) → its time given to each skill
    for k in skills:
        need = req.need[k].reshape(-1)
        for t in np.nonzero(need > 0)[0]:
            s = m.col(SHORT_COST)
            short_cols.append(s)
            if skills == [""]:
                m.row(float(need[t]), highspy.kHighsInf, [(c, 1.0) for c in cover_cols.get((0, t), [])] + [(s, 1.0)])
                continue
            terms = [(s, 1.0)]
            for g, group_skills in enumerate(groups):
                if k in group_skills and (g, t) in cover_cols:
                    a = m.col(0.0)
                    alloc.setdefault((g, int(t)), []).append(a)
                    terms.append((a, 1.0))
            m.row(float(need[t]), highspy.kHighsInf, terms)
    for (g, t), cols in alloc.items():  # a group's split time cannot exceed its agents on duty
        m.row(-highspy.kHighsInf, 0.0, [(c, 1.0) for c in cols] + [(x, -1.0) for x in cover_cols[(g, t)]])
    values, plan.solve = m.solve(time_limit=rules.time_limit_s, gap=rules.mip_gap, cancelled=cancelled,
                                 progress=progress)
    plan.counts = {key: int(round(values[c])) for key, c in xcols.items() if round(values[c]) > 0}
    plan.shortfall = float(sum(values[s] for s in short_cols))
    plan.days_off = {g: [int(round(values[c])) for c in cols] for g, cols in off_cols.items()}
    return plan
